/** The IPC messages between `startLocalDynamoDb` (parent) and `dynalite-process.ts` (child). */
import type { StreamRecord, TableStream } from '../streams/stream-source.ts'

export interface DynaliteProcessOptions {
  host: string
  port: number
  /** LevelDB folder; in memory when absent. */
  dir?: string
  /** Folder of the stream logs; the streams stay in memory when absent. */
  streamsDir?: string
  /** For the ARNs and the records' awsRegion. */
  region: string
  accountId: string
}

/** Requests the parent answers by `id`; see `StreamSource`. */
export type StreamRequest =
  | { type: 'streams'; id: number }
  | { type: 'read'; id: number; tableName: string; after?: string; limit: number }

export type StreamResponse =
  | { type: 'streams-result'; id: number; streams: TableStream[] }
  | { type: 'read-result'; id: number; records: StreamRecord[] }
  | { type: 'request-failed'; id: number; message: string }

export type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'failed'; message: string }
  /** Records were appended to that table's stream (at most one notice per table per event-loop turn). */
  | { type: 'appended'; tableName: string }
  | StreamResponse

export type ParentMessage =
  | { type: 'close' }
  /** Fire and forget: the records up to and including `upTo` may be dropped. */
  | { type: 'trim'; tableName: string; upTo: string }
  | StreamRequest

type Fields = Record<string, unknown>

function fieldsOf(message: unknown): Fields | undefined {
  return typeof message === 'object' && message !== null ? (message as Fields) : undefined
}

export function isChildMessage(message: unknown): message is ChildMessage {
  const fields = fieldsOf(message)
  switch (fields?.type) {
    case 'ready':
      return typeof fields.port === 'number'
    case 'failed':
      return typeof fields.message === 'string'
    case 'appended':
      return typeof fields.tableName === 'string'
    case 'streams-result':
      return typeof fields.id === 'number' && Array.isArray(fields.streams)
    case 'read-result':
      return typeof fields.id === 'number' && Array.isArray(fields.records)
    case 'request-failed':
      return typeof fields.id === 'number' && typeof fields.message === 'string'
    default:
      return false
  }
}

export function isStreamResponse(message: ChildMessage): message is StreamResponse {
  return (
    message.type === 'streams-result' || message.type === 'read-result' || message.type === 'request-failed'
  )
}

export function isParentMessage(message: unknown): message is ParentMessage {
  const fields = fieldsOf(message)
  switch (fields?.type) {
    case 'close':
      return true
    case 'trim':
      return typeof fields.tableName === 'string' && typeof fields.upTo === 'string'
    case 'streams':
      return typeof fields.id === 'number'
    case 'read':
      return (
        typeof fields.id === 'number' &&
        typeof fields.tableName === 'string' &&
        (fields.after === undefined || typeof fields.after === 'string') &&
        Number.isInteger(fields.limit)
      )
    default:
      return false
  }
}
