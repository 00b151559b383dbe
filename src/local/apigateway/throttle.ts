import { methodKey, type StageThrottling, type ThrottleLimits } from './method-settings.ts'
import type { RestRoute } from './rest-routes.ts'

/** API Gateway's default account limits per Region, shared by every API of the account. */
export const ACCOUNT_LIMITS: ThrottleLimits = { rateLimit: 10_000, burstLimit: 5_000 }

/**
 * API Gateway's token bucket: it holds at most `burstLimit` tokens and gains `rateLimit` a second;
 * a request takes one or is throttled. Refilled lazily, when asked, so an idle bucket costs nothing.
 */
export class TokenBucket {
  readonly #burst: number
  readonly #perMs: number
  #tokens: number
  #updatedAt: number

  /** Full at `now`, as a new stage's buckets are. */
  constructor(limits: ThrottleLimits, now: number) {
    this.#burst = limits.burstLimit
    this.#perMs = limits.rateLimit / 1000
    this.#tokens = limits.burstLimit
    this.#updatedAt = now
  }

  /** Whether a token is there at `now` (milliseconds of the same clock). */
  has(now: number): boolean {
    if (now > this.#updatedAt) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#updatedAt) * this.#perMs)
      this.#updatedAt = now
    }
    return this.#tokens >= 1
  }

  /** Takes the token `has` found. */
  take(): void {
    this.#tokens -= 1
  }
}

export interface RestThrottleOptions {
  /** The REST API's routes: each is a method with a bucket of its own, and so is each CORS preflight. */
  routes: readonly RestRoute[]
  settings: StageThrottling
  account?: ThrottleLimits
  /** Milliseconds of a monotonic clock; tests pass a fake one. */
  now?: () => number
}

/**
 * Throttles as API Gateway does a REST API stage: the stage's limits "are applied at the API method
 * level", so every method (resource and HTTP method, the CORS preflight's OPTIONS too) has a bucket of
 * its own, sized by its own MethodSetting, else the resource's `*` one, else the stage's `/*` `*` one,
 * else the account's; and every request also takes a token from the account's bucket.
 */
export class RestThrottle {
  readonly #methods = new Map<RestRoute, TokenBucket>()
  readonly #preflights = new Map<string, TokenBucket>()
  readonly #account: TokenBucket
  readonly #now: () => number

  constructor(options: RestThrottleOptions) {
    this.#now = options.now ?? (() => performance.now())
    const start = this.#now()
    const account = options.account ?? ACCOUNT_LIMITS
    const { stage, methods } = options.settings
    const bucketFor = (method: string, resourcePath: string): TokenBucket => {
      const own = methods.get(methodKey(method, resourcePath))
      const resource = methods.get(methodKey('*', resourcePath))
      const limits = {
        rateLimit: own?.rateLimit ?? resource?.rateLimit ?? stage.rateLimit ?? account.rateLimit,
        burstLimit: own?.burstLimit ?? resource?.burstLimit ?? stage.burstLimit ?? account.burstLimit,
      }
      return new TokenBucket(limits, start)
    }
    this.#account = new TokenBucket(account, start)
    const known = new Set<string>()
    for (const route of options.routes) {
      this.#methods.set(route, bucketFor(route.method, route.resourcePath))
      known.add(methodKey(route.method, route.resourcePath)).add(methodKey('*', route.resourcePath))
      if (route.cors !== undefined && !this.#preflights.has(route.resourcePath)) {
        this.#preflights.set(route.resourcePath, bucketFor('OPTIONS', route.resourcePath))
        known.add(methodKey('OPTIONS', route.resourcePath))
      }
    }
    for (const key of methods.keys()) {
      if (!known.has(key)) {
        throw new Error(
          `serverless.ts: custom.restApiStage throttles ${key}, which is no method of the REST API`,
        )
      }
    }
  }

  /** Takes a token for a request to `route`; false means throttled (429). */
  admit(route: RestRoute): boolean {
    return this.#take(this.#methods.get(route))
  }

  /** Takes a token for a CORS preflight of `resourcePath`; false means throttled (429). */
  admitPreflight(resourcePath: string): boolean {
    return this.#take(this.#preflights.get(resourcePath))
  }

  #take(method: TokenBucket | undefined): boolean {
    const now = this.#now()
    if (method !== undefined && !method.has(now)) return false
    if (!this.#account.has(now)) return false
    method?.take()
    this.#account.take()
    return true
  }
}
