import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import middy from '@middy/core'
import httpCors from '@middy/http-cors'
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'
import { logger } from '../../shared/logger.ts'
import { errorMapper } from './error-mapper.ts'

export type HttpRoute = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>

/**
 * The one middleware stack of every REST handler: logging context, CORS on every answer (errors
 * included), and error mapping. Handlers only parse, call a use case and shape the answer.
 */
export function httpHandler(route: HttpRoute, cors: { origin: string }) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger))
    .use(httpCors({ origin: cors.origin, credentials: true }))
    .use(errorMapper())
    .handler(route)
}
