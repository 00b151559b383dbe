import type { PolicyDocument } from './iam-policy.ts'

export interface AuthorizerResult {
  principalId: string
  policy: PolicyDocument
  context: Record<string, unknown>
}

/** A Lambda authorizer's answer, as API Gateway reads it; undefined when it is not one. */
export function parseAuthorizerResult(value: unknown): AuthorizerResult | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const result = value as Record<string, unknown>
  if (typeof result.principalId !== 'string' || typeof result.policyDocument !== 'object') return undefined
  const context: Record<string, unknown> = {}
  if (typeof result.context === 'object' && result.context !== null) {
    // API Gateway passes context values as strings, numbers and booleans only.
    for (const [key, item] of Object.entries(result.context)) {
      if (['string', 'number', 'boolean'].includes(typeof item)) context[key] = item
    }
  }
  return { principalId: result.principalId, policy: result.policyDocument as PolicyDocument, context }
}
