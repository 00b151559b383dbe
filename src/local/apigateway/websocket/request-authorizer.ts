import type { IncomingMessage } from 'node:http'
import type { InvocationOutcome } from '../../lambda/invocation.ts'
import { parseAuthorizerResult } from '../authorizer-result.ts'
import { policyAllows } from '../iam-policy.ts'
import { describeFailure } from './websocket-context.ts'
import type { WebSocketAuthorizer } from './websocket-routes.ts'

export type ConnectAuthorization =
  | { kind: 'allow'; authorizer: Record<string, unknown>; latencyMs: number }
  | { kind: 'unauthorized' }
  | { kind: 'denied' }
  | { kind: 'failed'; reason: string }

/**
 * API Gateway's REQUEST authorizer on a WebSocket API's $connect: a missing identity source is refused
 * without invoking the function; its policy must allow `execute-api:Invoke` on the $connect method ARN.
 * WebSocket APIs do not cache authorizer results, so every handshake invokes it.
 */
export async function authorizeConnect(options: {
  invoke(functionName: string, event: unknown): Promise<InvocationOutcome>
  authorizer: WebSocketAuthorizer
  request: IncomingMessage
  query: URLSearchParams
  event: { methodArn: string }
  now?: () => number
}): Promise<ConnectAuthorization> {
  const { authorizer, request, query } = options
  const now = options.now ?? Date.now
  for (const source of authorizer.identitySources) {
    const value = source.kind === 'header' ? request.headers[source.name] : query.get(source.name)
    if (value === undefined || value === null || value.length === 0) return { kind: 'unauthorized' }
  }
  const started = now()
  const outcome = await options.invoke(authorizer.functionName, options.event)
  const latencyMs = now() - started
  if (outcome.kind === 'error' && outcome.errorMessage === 'Unauthorized') return { kind: 'unauthorized' }
  if (outcome.kind !== 'ok') return { kind: 'failed', reason: describeFailure(outcome) }
  const result = parseAuthorizerResult(outcome.value)
  if (result === undefined)
    return { kind: 'failed', reason: 'authorizer returned no principalId/policyDocument' }
  if (!policyAllows(result.policy, options.event.methodArn)) return { kind: 'denied' }
  return { kind: 'allow', authorizer: { ...result.context, principalId: result.principalId }, latencyMs }
}
