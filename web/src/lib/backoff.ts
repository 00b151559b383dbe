export interface BackoffPolicy {
  /** The ceiling of the first wait. */
  baseMs: number
  /** No wait is longer, however many attempts failed. */
  maxMs: number
}

export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000 }

/**
 * How long to wait before reconnect attempt `attempt` (0 for the first): exponential with full jitter
 * (a random wait up to base x 2^attempt, capped), so clients dropped together by a restart do not all
 * come back in the same instant.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt))
  return Math.round(ceiling * Math.min(1, Math.max(0, random())))
}
