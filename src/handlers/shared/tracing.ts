import type { MiddlewareObj } from '@middy/core'

/** What handlers and composition roots need of a tracer: the Powertools Tracer, or nothing at all. */
export interface Tracing {
  /** Each call the client makes becomes a subsegment (the client itself is returned, instrumented). */
  captureAWSv3Client<T>(client: T): T
  /** An annotation on the current subsegment: indexed, so traces can be searched by it. */
  annotate(key: string, value: string): void
  /** The handler subsegment (cold start and service annotations, errors); none when off. */
  middlewares: MiddlewareObj[]
}

const noTracing: Tracing = {
  captureAWSv3Client: (client) => client,
  annotate: () => undefined,
  middlewares: [],
}

/**
 * The Powertools Tracer when tracing is on, loaded only then: importing it (and the X-Ray SDK it
 * wraps) costs a cold start ~130 ms (measured on a 2-core machine), which the local cloud, with no
 * X-Ray daemon to send to, should not pay for each function. Responses are never recorded as trace metadata: they
 * carry upload URLs and authorizer decisions. Outgoing HTTPS requests (OpenSearch's) are captured too,
 * the Tracer's default.
 */
export async function createTracing(enabled: boolean): Promise<Tracing> {
  if (!enabled) return noTracing
  const [{ Tracer }, { captureLambdaHandler }] = await Promise.all([
    import('@aws-lambda-powertools/tracer'),
    import('@aws-lambda-powertools/tracer/middleware'),
  ])
  const tracer = new Tracer()
  return {
    captureAWSv3Client: (client) => tracer.captureAWSv3Client(client),
    annotate: (key, value) => tracer.putAnnotation(key, value),
    middlewares: [captureLambdaHandler(tracer, { captureResponse: false }) as MiddlewareObj],
  }
}
