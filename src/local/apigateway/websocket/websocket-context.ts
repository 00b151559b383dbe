import type { FunctionInvoker, InvocationOutcome } from '../../lambda/invocation.ts'
import type { ConnectionRegistry } from './connection-registry.ts'
import type { RouteSelector } from './route-selection.ts'
import type { TaskTracker } from './task-tracker.ts'
import type { WebSocketApiIdentity } from './websocket-events.ts'
import type { WebSocketRouteTable } from './websocket-routes.ts'

/** API Gateway's WebSocket quotas that the local API enforces. */
export interface WebSocketLimits {
  idleTimeoutMs: number
  maxConnectionDurationMs: number
  maxMessageBytes: number
  maxConnections: number
}

/** What the handshake, the connections and the Management API of one local WebSocket API share. */
export interface WebSocketApiContext {
  api: WebSocketApiIdentity
  routes: WebSocketRouteTable
  selectRoute: RouteSelector
  registry: ConnectionRegistry
  limits: WebSocketLimits
  tasks: TaskTracker
  invoker: FunctionInvoker
  /** Handshakes between the upgrade request and the end of $connect: they count toward maxConnections. */
  pendingHandshakes: number
  /** Set by close(): handshakes still running are refused. */
  closing: boolean
}

/** Invokes a function as a tracked task; a throwing invoker is reported as a crash, never thrown. */
export function invokeTracked(
  context: WebSocketApiContext,
  functionName: string,
  event: unknown,
): Promise<InvocationOutcome> {
  const invocation = (async (): Promise<InvocationOutcome> => {
    try {
      return await context.invoker.invoke(functionName, event)
    } catch (error) {
      return { kind: 'crash', errorMessage: error instanceof Error ? error.message : String(error) }
    }
  })()
  return context.tasks.track(invocation)
}

export function describeFailure(outcome: Exclude<InvocationOutcome, { kind: 'ok' }>): string {
  if (outcome.kind === 'timeout') return `Task timed out after ${outcome.timeoutSeconds} seconds`
  return `${outcome.kind === 'error' ? outcome.errorType : 'Runtime crash'}: ${outcome.errorMessage}`
}
