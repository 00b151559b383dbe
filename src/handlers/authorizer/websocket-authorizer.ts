import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda'
import { logContext, observedHandler } from '../shared/observability.ts'
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
  logContext({ correlationId: event.requestContext?.requestId })
  const userId = await callerIdFrom(
    tokenVerification.verifierFor(context),
    event.queryStringParameters?.token,
  )
  return allow(userId, event.methodArn)
}

export const handler = observedHandler<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(tokenVerification.middlewares)
  .handler(authorize)
