import type { ChildProcess } from 'node:child_process'
import type { StreamRecord, StreamSource, TableStream } from '../streams/stream-source.ts'
import {
  type ChildMessage,
  isStreamResponse,
  type ParentMessage,
  type StreamRequest,
} from './dynalite-protocol.ts'

/** A StreamSource that also takes the child's messages and hears when it is gone. */
export interface IpcStreamSource extends StreamSource {
  /** Handles a message from the child; other messages are ignored. */
  receive(message: ChildMessage): void
  /** The child exited or is closing: pending and later requests fail with `reason`. */
  end(reason: string): void
}

type Pending = { resolve: (message: ChildMessage) => void; reject: (error: Error) => void }

/** Distributive, so that each request keeps its own fields without its id. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never

/**
 * The dynalite child's streams, read over its IPC channel. The channel is unref'd while idle so an
 * idle local DynamoDB does not keep the parent alive; it is ref'd while a request is in flight, so
 * awaiting one keeps the parent alive until the answer comes.
 */
export function ipcStreamSource(child: ChildProcess): IpcStreamSource {
  const pending = new Map<number, Pending>()
  const listeners = new Set<(tableName: string) => void>()
  let nextId = 1
  let ended: string | undefined

  function request(message: WithoutId<StreamRequest>): Promise<ChildMessage> {
    if (ended !== undefined) return Promise.reject(new Error(`local DynamoDB streams: ${ended}`))
    const id = nextId++
    return new Promise<ChildMessage>((resolve, reject) => {
      pending.set(id, { resolve, reject })
      if (pending.size === 1) child.channel?.ref()
      child.send({ ...message, id } as ParentMessage, (error) => {
        if (error) settle(id)?.reject(new Error(`local DynamoDB streams: ${error.message}`))
      })
    })
  }

  function settle(id: number): Pending | undefined {
    const entry = pending.get(id)
    if (entry === undefined) return undefined
    pending.delete(id)
    if (pending.size === 0 && ended === undefined) child.channel?.unref()
    return entry
  }

  function answerOf<Type extends ChildMessage['type']>(
    message: ChildMessage,
    type: Type,
  ): Extract<ChildMessage, { type: Type }> {
    if (message.type === 'request-failed') throw new Error(`local DynamoDB streams: ${message.message}`)
    if (message.type !== type)
      throw new Error(`local DynamoDB streams: expected ${type}, got ${message.type}`)
    return message as Extract<ChildMessage, { type: Type }>
  }

  return {
    async streams(): Promise<TableStream[]> {
      return answerOf(await request({ type: 'streams' }), 'streams-result').streams
    },
    async read(tableName: string, after: string | undefined, limit: number): Promise<StreamRecord[]> {
      const message: WithoutId<StreamRequest> =
        after === undefined ? { type: 'read', tableName, limit } : { type: 'read', tableName, after, limit }
      return answerOf(await request(message), 'read-result').records
    },
    onAppend(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    trim(tableName: string, upTo: string): void {
      if (ended !== undefined || !child.connected) return
      const message: ParentMessage = { type: 'trim', tableName, upTo }
      // A trim lost to a dying child only keeps records longer; the 'exit' event reports the death.
      child.send(message, () => {})
    },
    receive(message: ChildMessage): void {
      if (message.type === 'appended') {
        for (const listener of listeners) listener(message.tableName)
      } else if (isStreamResponse(message)) {
        settle(message.id)?.resolve(message)
      }
    },
    end(reason: string): void {
      ended ??= reason
      for (const id of [...pending.keys()]) settle(id)?.reject(new Error(`local DynamoDB streams: ${reason}`))
    },
  }
}
