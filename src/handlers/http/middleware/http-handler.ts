import httpCors from '@middy/http-cors'
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'
import { observedHandler } from '../../shared/observability.ts'
import { errorMapper } from './error-mapper.ts'
import { requestLogContext } from './request-log-context.ts'

export type HttpRoute = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>

/**
 * The one middleware stack of every REST handler: the shared observability stack, the request's
 * correlation id and ids in the logs, CORS on every answer (errors included), and error mapping.
 * Handlers only parse, call a use case and shape the answer.
 */
export function httpHandler(route: HttpRoute, cors: { origin: string }) {
  return observedHandler<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(requestLogContext())
    .use(httpCors({ origin: cors.origin, credentials: true }))
    .use(errorMapper())
    .handler(route)
}
