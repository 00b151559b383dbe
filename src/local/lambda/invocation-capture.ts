/**
 * The worker's side of recording invocations for the operator console: the stdout and stderr text an
 * invocation writes and the HTTP calls it makes (the AWS SDK's, through node:http), told apart by an
 * AsyncLocalStorage context per invocation, since one worker serves invocations concurrently.
 * Output is still written through to the local cloud's own stdout and stderr, as before.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { subscribe } from 'node:diagnostics_channel'
import type { ClientRequest, IncomingMessage } from 'node:http'
import type { ClientCallSpan, InvocationCapture } from './invocation.ts'

/** Log text kept per invocation; the rest is dropped (and `logsTruncated` set). */
export const MAX_LOG_BYTES_PER_INVOCATION = 32 * 1024
/** Outgoing calls kept per invocation. */
export const MAX_CALLS_PER_INVOCATION = 100

interface Recording {
  logs: string[]
  logBytes: number
  logsTruncated: boolean
  calls: ClientCallSpan[]
  open: Map<ClientCallSpan, number>
}

export interface CaptureScope {
  /** Runs `work` as one invocation and returns what it wrote and called, with its result. */
  around<T>(work: () => Promise<T>): Promise<{ settled: PromiseSettledResult<T>; capture: InvocationCapture }>
}

/** Patches this thread's stdout and stderr and subscribes to node:http's client channels; once per worker. */
export function installInvocationCapture(): CaptureScope {
  const storage = new AsyncLocalStorage<Recording>()
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
    stream.write = ((...args: unknown[]) => {
      const recording = storage.getStore()
      if (recording !== undefined) keepLog(recording, args[0])
      return write(...args)
    }) as typeof stream.write
  }

  const started = new WeakMap<ClientRequest, { recording: Recording; span: ClientCallSpan }>()
  subscribe('http.client.request.start', (message) => {
    const recording = storage.getStore()
    if (recording === undefined || recording.calls.length >= MAX_CALLS_PER_INVOCATION) return
    const { request } = message as { request: ClientRequest }
    const target = request.getHeader('x-amz-target')
    const span: ClientCallSpan = {
      method: request.method,
      ...(typeof target === 'string' && { target }),
      host: request.host,
      path: request.path.split('?')[0] ?? '',
      status: 0,
      startedAt: Date.now(),
      durationMs: 0,
    }
    recording.calls.push(span)
    recording.open.set(span, performance.now())
    started.set(request, { recording, span })
  })
  const finish = (request: ClientRequest, status: number) => {
    const call = started.get(request)
    if (call === undefined) return
    started.delete(request)
    const startedAt = call.recording.open.get(call.span)
    if (startedAt === undefined) return
    call.recording.open.delete(call.span)
    call.span.status = status
    call.span.durationMs = round(performance.now() - startedAt)
  }
  subscribe('http.client.response.finish', (message) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage }
    finish(request, response.statusCode ?? 0)
  })
  subscribe('http.client.request.error', (message) =>
    finish((message as { request: ClientRequest }).request, 0),
  )

  return {
    async around(work) {
      const recording: Recording = { logs: [], logBytes: 0, logsTruncated: false, calls: [], open: new Map() }
      const settled = await storage.run(recording, () =>
        work().then(
          (value) => ({ status: 'fulfilled' as const, value }),
          (reason: unknown) => ({ status: 'rejected' as const, reason }),
        ),
      )
      // Calls still waiting for an answer when the invocation ended: as long as it lasted.
      const now = performance.now()
      for (const [span, startedAt] of recording.open) span.durationMs = round(now - startedAt)
      return {
        settled,
        capture: {
          logs: recording.logs.join(''),
          logsTruncated: recording.logsTruncated,
          calls: recording.calls,
        },
      }
    },
  }
}

function keepLog(recording: Recording, chunk: unknown): void {
  if (recording.logsTruncated) return
  const text =
    typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : ''
  const room = MAX_LOG_BYTES_PER_INVOCATION - recording.logBytes
  const bytes = Buffer.byteLength(text)
  if (bytes <= room) {
    recording.logs.push(text)
    recording.logBytes += bytes
    return
  }
  recording.logs.push(Buffer.from(text).subarray(0, room).toString())
  recording.logBytes = MAX_LOG_BYTES_PER_INVOCATION
  recording.logsTruncated = true
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10
}
