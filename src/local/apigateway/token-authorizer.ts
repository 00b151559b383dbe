import type { FunctionInvoker } from '../lambda/invocation.ts'
import { parseAuthorizerResult } from './authorizer-result.ts'
import { type PolicyDocument, policyAllows } from './iam-policy.ts'
import type { RouteAuthorizer } from './rest-routes.ts'

export type AuthorizerDecision =
  | { kind: 'allow'; context: Record<string, unknown> }
  | { kind: 'unauthorized' }
  | { kind: 'denied' }
  | { kind: 'failed'; reason: string }

interface CachedPolicy {
  expiresAt: number
  principalId: string
  policy: PolicyDocument
  context: Record<string, unknown>
}

const MAX_CACHE_ENTRIES = 10_000

/**
 * API Gateway's TOKEN authorizer flow: a missing token is refused without calling the function;
 * otherwise the function's policy is cached per token for the TTL and evaluated against each method.
 */
export class TokenAuthorizer {
  readonly #lambda: FunctionInvoker
  readonly #cache = new Map<string, CachedPolicy>()
  readonly #now: () => number

  constructor(lambda: FunctionInvoker, now: () => number = Date.now) {
    this.#lambda = lambda
    this.#now = now
  }

  async authorize(
    authorizer: RouteAuthorizer,
    token: string | undefined,
    methodArn: string,
  ): Promise<AuthorizerDecision> {
    if (token === undefined || token.length === 0) return { kind: 'unauthorized' }
    if (authorizer.identityValidationExpression && !authorizer.identityValidationExpression.test(token)) {
      return { kind: 'unauthorized' }
    }
    const cacheKey = `${authorizer.functionName}\u0000${token}`
    let cached = this.#cache.get(cacheKey)
    if (cached === undefined || cached.expiresAt <= this.#now()) {
      this.#cache.delete(cacheKey)
      const outcome = await this.#lambda.invoke(authorizer.functionName, {
        type: 'TOKEN',
        authorizationToken: token,
        methodArn,
      })
      if (outcome.kind === 'error' && outcome.errorMessage === 'Unauthorized') return { kind: 'unauthorized' }
      if (outcome.kind !== 'ok') return { kind: 'failed', reason: describeFailure(outcome) }
      const parsed = parseAuthorizerResult(outcome.value)
      if (parsed === undefined)
        return { kind: 'failed', reason: 'authorizer returned no principalId/policyDocument' }
      cached = { ...parsed, expiresAt: this.#now() + authorizer.resultTtlSeconds * 1000 }
      if (authorizer.resultTtlSeconds > 0) this.#remember(cacheKey, cached)
    }
    if (!policyAllows(cached.policy, methodArn)) return { kind: 'denied' }
    return { kind: 'allow', context: { ...cached.context, principalId: cached.principalId } }
  }

  #remember(key: string, entry: CachedPolicy): void {
    if (this.#cache.size >= MAX_CACHE_ENTRIES) {
      const oldest = this.#cache.keys().next().value
      if (oldest !== undefined) this.#cache.delete(oldest)
    }
    this.#cache.set(key, entry)
  }
}

function describeFailure(outcome: { kind: string; errorMessage?: string }): string {
  return outcome.errorMessage ? `${outcome.kind}: ${outcome.errorMessage}` : outcome.kind
}
