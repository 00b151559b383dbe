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
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; errorType: string; errorMessage: string }

export interface WorkerSetup {
  functionName: string
  modulePath: string
  exportName: string
  memorySize: number
  region: string
  accountId: string
  /** Node's compile cache folder, when the local cloud runs with one: cold starts then skip re-parsing. */
  compileCacheDir: string | undefined
}

/** Invokes functions by name; what the event sources of the local cloud depend on. */
export interface FunctionInvoker {
  invoke(functionName: string, event: unknown): Promise<InvocationOutcome>
}
