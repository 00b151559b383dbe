import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import middy from '@middy/core'
import { logger } from './logger.ts'
import { loadObservabilityConfig } from './observability-config.ts'
import { createTracing } from './tracing.ts'

export { logger } from './logger.ts'

const config = loadObservabilityConfig(process.env)

/** The business metrics, one name each; the alarms in infra/resources/alarms.ts watch some of them. */
export type BusinessMetric =
  | 'GroupsCreated'
  | 'ImagesCreated'
  | 'ImagesUploaded'
  | 'ThumbnailsCreated'
  | 'ThumbnailFailures'
  | 'NotificationsSent'
  | 'StaleConnectionsRemoved'
  | 'SearchQueries'
  | 'IndexerRecords'
  | 'AuthorizerDenied'

const EMPTY_METRICS_WARNING = 'No application metrics to publish'

/**
 * Metrics as CloudWatch embedded metric format lines on stdout, flushed at the end of each invocation
 * (no API call). Namespace from POWERTOOLS_METRICS_NAMESPACE, dimensions `service`
 * (POWERTOOLS_SERVICE_NAME) and `stage`. Most invocations (every read) count nothing: the warning
 * Powertools prints for each of them is debug here, not a WARN line per GET.
 */
export const metrics = new Metrics({
  defaultDimensions: { stage: config.stage },
  logger: {
    debug: (...args: unknown[]) => logger.debug(String(args[0]), ...args.slice(1).map(asExtra)),
    info: (...args: unknown[]) => logger.info(String(args[0]), ...args.slice(1).map(asExtra)),
    warn: (...args: unknown[]) => {
      const message = String(args[0])
      if (message.startsWith(EMPTY_METRICS_WARNING)) logger.debug(message)
      else logger.warn(message, ...args.slice(1).map(asExtra))
    },
    error: (...args: unknown[]) => logger.error(String(args[0]), ...args.slice(1).map(asExtra)),
  },
})

function asExtra(value: unknown): Record<string, unknown> {
  return value instanceof Error ? { error: value } : { detail: value }
}

/** Adds `value` to a count metric of this invocation. */
export function count(name: BusinessMetric, value = 1): void {
  if (value > 0) metrics.addMetric(name, MetricUnit.Count, value)
}

/** A duration metric of this invocation, in milliseconds. */
export function milliseconds(name: 'ThumbnailLatency', value: number): void {
  metrics.addMetric(name, MetricUnit.Milliseconds, Math.max(0, value))
}

export const tracing = await createTracing(config.tracing)

/**
 * The stack every handler starts from, whatever its event source: the Logger's Lambda context
 * (function name, cold start, request id; keys appended during an invocation are cleared after it;
 * the event is never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT says), the handler's trace
 * subsegment, and the metrics flush with a ColdStart metric.
 */
export function observedHandler<TEvent, TResult>() {
  return middy<TEvent, TResult>()
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(tracing.middlewares)
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
}

/**
 * Puts what is known about the caller and the thing the invocation is about into every log line of
 * the invocation (and, for the ids traces are searched by, into its trace).
 */
export function logContext(keys: {
  correlationId?: string | undefined
  userId?: string | undefined
  groupId?: string | undefined
  imageId?: string | undefined
}): void {
  if (keys.correlationId !== undefined) logger.setCorrelationId(keys.correlationId)
  const { correlationId: _, ...ids } = keys
  for (const [key, value] of Object.entries(ids)) {
    if (value === undefined) continue
    logger.appendKeys({ [key]: value })
    if (key === 'groupId' || key === 'imageId') tracing.annotate(key, value)
  }
}
