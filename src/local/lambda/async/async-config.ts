import type { ServiceConfig } from '../../serverless/service-definition.ts'

/** How Lambda treats one function's asynchronous invocations: what osls compiles into its EventInvokeConfig. */
export interface AsyncFunctionConfig {
  /** Retries after the first attempt, 0-2. */
  maximumRetryAttempts: number
  /** Events older than this are given up on, 60-21600 s. */
  maximumEventAgeSeconds: number
  /** `destinations.onFailure`, else `onError`, as serverless.ts writes it; shown with the dead letters. */
  failureDestination: unknown
}

/** Lambda's own defaults: two retries, six hours. */
export const DEFAULT_ASYNC_CONFIG: AsyncFunctionConfig = {
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 21_600,
  failureDestination: undefined,
}

/**
 * Reads `maximumRetryAttempts`, `maximumEventAge` and the failure destination of every function of a
 * resolved serverless.ts (`ServiceDefinition.config.functions`). They are top-level keys of a function's
 * config, which `LocalFunctionDefinition` does not carry. Out-of-range values fail here, as osls's
 * schema would fail them at deploy time (`maximumRetryAttempts` 0-2, `maximumEventAge` 60-21600).
 */
export function asyncConfigsFrom(functions: ServiceConfig['functions']): Map<string, AsyncFunctionConfig> {
  const configs = new Map<string, AsyncFunctionConfig>()
  for (const [name, fn] of Object.entries(functions ?? {})) {
    const destinations = (fn as { destinations?: { onFailure?: unknown } }).destinations
    configs.set(name, {
      maximumRetryAttempts: integerIn(
        fn.maximumRetryAttempts,
        0,
        2,
        DEFAULT_ASYNC_CONFIG.maximumRetryAttempts,
        `${name}'s maximumRetryAttempts`,
      ),
      maximumEventAgeSeconds: integerIn(
        fn.maximumEventAge,
        60,
        21_600,
        DEFAULT_ASYNC_CONFIG.maximumEventAgeSeconds,
        `${name}'s maximumEventAge`,
      ),
      failureDestination: destinations?.onFailure ?? (fn as { onError?: unknown }).onError,
    })
  }
  return configs
}

function integerIn(value: unknown, min: number, max: number, fallback: number, what: string): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `serverless.ts: ${what} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    )
  }
  return value
}
