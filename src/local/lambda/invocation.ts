/** What happened to one invocation, as Lambda would report it to its caller. */
export type InvocationOutcome =
  | { kind: 'ok'; value: unknown }
  | { kind: 'error'; errorType: string; errorMessage: string }
  | { kind: 'timeout'; timeoutSeconds: number }
  /** The runtime died (uncaught exception, process.exit, out of memory) or could not load the handler. */
  | { kind: 'crash'; errorMessage: string }

export interface InvokeRequest {
  event: unknown
  requestId: string
}

/** Messages between the local Lambda service and a function's worker thread. */
export type ToWorker = { type: 'invoke'; id: number; event: unknown; requestId: string; deadline: number }

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; errorMessage: string }
  | { type: 'result'; id: number; value: unknown; capture?: InvocationCapture }
  | { type: 'error'; id: number; errorType: string; errorMessage: string; capture?: InvocationCapture }

/** An outgoing HTTP call a function made during one invocation (an AWS SDK call, mostly). */
export interface ClientCallSpan {
  method: string
  /** The operation an AWS JSON protocol call names in `X-Amz-Target` (`DynamoDB_20120810.PutItem`). */
  target?: string
  host: string
  /** Without the query string, which may hold a presigned URL's signature. */
  path: string
  /** 0 when the call failed before any answer. */
  status: number
  startedAt: number
  durationMs: number
}

/** What a worker saw of one invocation when it records them: its output and its outgoing calls. */
export interface InvocationCapture {
  /** The stdout and stderr text the invocation wrote, cut at the worker's cap. */
  logs: string
  logsTruncated: boolean
  calls: ClientCallSpan[]
}

/** One finished invocation, as the local Lambda service reports it to an observer. */
export interface ObservedInvocation {
  functionName: string
  requestId: string
  event: unknown
  outcome: InvocationOutcome
  /** Epoch milliseconds. */
  startedAt: number
  durationMs: number
  /** The invocation waited for its environment to load the handler. */
  cold: boolean
  capture: InvocationCapture | undefined
}

/**
 * Told of every invocation once it ends. Called synchronously on the caller's path, so it must only
 * keep what it is given (the operator console's recorder pushes into a ring buffer).
 */
export interface InvocationObserver {
  invoked(invocation: ObservedInvocation): void
}

export interface WorkerSetup {
  functionName: string
  modulePath: string
  exportName: string
  memorySize: number
  region: string
  accountId: string
  /** Node's compile cache folder, when the local cloud runs with one: cold starts then skip re-parsing. */
  compileCacheDir: string | undefined
  /** Capture each invocation's output and outgoing calls and send them back with its result. */
  capture: boolean
}

/** Invokes functions by name; what the event sources of the local cloud depend on. */
export interface FunctionInvoker {
  invoke(functionName: string, event: unknown): Promise<InvocationOutcome>
}
