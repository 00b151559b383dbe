import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda'
import { observedHandler } from '../shared/observability.ts'
import { allow, callerIdFrom } from './authorizer-decision.ts'
import { bearerToken, wholeApiResource } from './authorizer-policy.ts'
import { tokenVerification } from './token-verification.ts'

/**
 * The REST API's TOKEN authorizer. The Allow policy covers the whole API because API Gateway caches
 * it per token and applies it to the caller's next, different routes too.
 */
async function authorize(
  event: APIGatewayTokenAuthorizerEvent,
  context: Context,
): Promise<APIGatewayAuthorizerResult> {
  const userId = await callerIdFrom(
    tokenVerification.verifierFor(context),
    bearerToken(event.authorizationToken),
  )
  return allow(userId, wholeApiResource(event.methodArn))
}

export const handler = observedHandler<APIGatewayTokenAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(tokenVerification.middlewares)
  .handler(authorize)
