/** Clients and a recording invoker for the local WebSocket API's tests. */

import WebSocket from 'ws'
import type { FunctionInvoker, InvocationOutcome } from '#local/lambda/invocation.ts'
import type { LocalFunctionDefinition } from '#local/serverless/service-definition.ts'
import { aFunction, fixtureHandlers } from '#test/builders/function-definitions.ts'

const modulePath = fixtureHandlers('websocket-functions.ts')

/** A function of test/fixtures/handlers/websocket-functions.ts with these events. */
export function wsFunction(name: string, exportName: string, events: LocalFunctionDefinition['events'] = []) {
  return aFunction(modulePath, name, exportName, { events })
}

/** Any event: the tests read the fields API Gateway sets. */
// biome-ignore lint/suspicious/noExplicitAny: events are checked field by field
export type AnyEvent = any

export interface Invocation {
  functionName: string
  event: AnyEvent
  outcome: InvocationOutcome | undefined
}

/**
 * Passes invocations on to the real local Lambda and records them, so a test can tell which functions
 * API Gateway invoked, with which events, and wait for one (a $disconnect, say) to complete.
 */
export class RecordingInvoker implements FunctionInvoker {
  target: FunctionInvoker | undefined
  readonly invocations: Invocation[] = []
  readonly #waiters: {
    accepts: (invocation: Invocation) => boolean
    resolve: (invocation: Invocation) => void
  }[] = []

  async invoke(functionName: string, event: unknown): Promise<InvocationOutcome> {
    if (this.target === undefined) throw new Error('RecordingInvoker has no target yet')
    const invocation: Invocation = { functionName, event, outcome: undefined }
    this.invocations.push(invocation)
    invocation.outcome = await this.target.invoke(functionName, event)
    for (const waiter of [...this.#waiters]) {
      if (!waiter.accepts(invocation)) continue
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
      waiter.resolve(invocation)
    }
    return invocation.outcome
  }

  count(functionName: string): number {
    return this.invocations.filter((invocation) => invocation.functionName === functionName).length
  }

  /** The first completed invocation of functionName for this connection, past or to come. */
  completed(functionName: string, connectionId: string): Promise<Invocation> {
    const accepts = (invocation: Invocation) =>
      invocation.functionName === functionName &&
      invocation.outcome !== undefined &&
      invocation.event?.requestContext?.connectionId === connectionId
    const done = this.invocations.find(accepts)
    if (done !== undefined) return Promise.resolve(done)
    return new Promise((resolve) => this.#waiters.push({ accepts, resolve }))
  }
}

/** A connected client that queues what it receives. */
export class TestSocket {
  readonly socket: WebSocket
  readonly closed: Promise<{ code: number; reason: string }>
  readonly #received: { data: string | Buffer; isBinary: boolean }[] = []
  readonly #waiting: ((message: { data: string | Buffer; isBinary: boolean }) => void)[] = []

  constructor(socket: WebSocket) {
    this.socket = socket
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const message = { data: isBinary ? data : data.toString('utf8'), isBinary }
      const waiting = this.#waiting.shift()
      if (waiting) waiting(message)
      else this.#received.push(message)
    })
    this.closed = new Promise((resolve) =>
      socket.once('close', (code: number, reason: Buffer) =>
        resolve({ code, reason: reason.toString('utf8') }),
      ),
    )
  }

  next(): Promise<{ data: string | Buffer; isBinary: boolean }> {
    const queued = this.#received.shift()
    if (queued) return Promise.resolve(queued)
    return new Promise((resolve) => this.#waiting.push(resolve))
  }

  async nextText(): Promise<string> {
    const { data } = await this.next()
    if (typeof data !== 'string') throw new Error('expected a text frame')
    return data
  }

  async nextJson(): Promise<AnyEvent> {
    return JSON.parse(await this.nextText())
  }

  send(data: string | Buffer, options: { binary?: boolean } = {}): void {
    this.socket.send(data, { binary: options.binary ?? typeof data !== 'string' })
  }
}

export type Handshake =
  | { kind: 'open'; client: TestSocket }
  | { kind: 'refused'; status: number; body: string }

/** Opens a WebSocket as wscat would, reporting an HTTP refusal instead of throwing it. */
export function handshake(url: string, options: WebSocket.ClientOptions & { protocols?: string[] } = {}) {
  const { protocols, ...clientOptions } = options
  return new Promise<Handshake>((resolve, reject) => {
    const socket = new WebSocket(url, protocols, clientOptions)
    const client = new TestSocket(socket)
    socket.once('open', () => resolve({ kind: 'open', client }))
    socket.once('unexpected-response', (request, response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.once('end', () => {
        resolve({
          kind: 'refused',
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
        })
        request.destroy()
      })
    })
    socket.once('error', reject)
  })
}

export async function open(url: string, options: WebSocket.ClientOptions & { protocols?: string[] } = {}) {
  const outcome = await handshake(url, options)
  if (outcome.kind !== 'open') throw new Error(`refused with ${outcome.status} ${outcome.body}`)
  return outcome.client
}

export async function refusal(url: string): Promise<{ status: number; body: string }> {
  const outcome = await handshake(url)
  if (outcome.kind !== 'refused') {
    outcome.client.socket.terminate()
    throw new Error('the handshake was expected to be refused')
  }
  return { status: outcome.status, body: outcome.body }
}
