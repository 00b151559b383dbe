import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import middy from '@middy/core'
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda'
import { logger } from '../shared/logger.ts'
import { allow, callerIdFrom } from './authorizer-decision.ts'
import { tokenVerification } from './token-verification.ts'

/**
 * REQUEST authorizer of the WebSocket API's `$connect`: browsers cannot set headers on a WebSocket, so
 * the same access token comes as `?token=`.
 */
async function authorize(
  event: APIGatewayRequestAuthorizerEvent,
  context: Context,
): Promise<APIGatewayAuthorizerResult> {
  const userId = await callerIdFrom(
    tokenVerification.verifierFor(context),
    event.queryStringParameters?.token,
  )
  return allow(userId, event.methodArn)
}

export const handler = middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(injectLambdaContext(logger))
  .use(tokenVerification.middlewares)
  .handler(authorize)
