/** The IPC messages between `startLocalDynamoDb` (parent) and `dynalite-process.ts` (child). */

export interface DynaliteProcessOptions {
  host: string
  port: number
  /** LevelDB folder; in memory when absent. */
  dir?: string
}

export type ChildMessage = { type: 'ready'; port: number } | { type: 'failed'; message: string }

export type ParentMessage = { type: 'close' }

export function isChildMessage(message: unknown): message is ChildMessage {
  if (typeof message !== 'object' || message === null) return false
  const { type, port, message: text } = message as Record<string, unknown>
  return (type === 'ready' && typeof port === 'number') || (type === 'failed' && typeof text === 'string')
}

export function isParentMessage(message: unknown): message is ParentMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'close'
}
