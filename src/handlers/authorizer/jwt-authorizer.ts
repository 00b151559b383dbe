import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import middy from '@middy/core'
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda'
import { JoseTokenVerifier } from '#adapters/auth/jose-token-verifier.ts'
import { loadAuthConfig } from '#config/auth-config.ts'
import { logger } from '../shared/logger.ts'
import { allow, callerIdFrom } from './authorizer-decision.ts'
import { bearerToken, wholeApiResource } from './authorizer-policy.ts'

const verifier = new JoseTokenVerifier(loadAuthConfig(process.env))

/**
 * The REST API's TOKEN authorizer. The Allow policy covers the whole API because API Gateway caches
 * it per token and applies it to the caller's next, different routes too.
 */
async function authorize(event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const userId = await callerIdFrom(verifier, bearerToken(event.authorizationToken))
  return allow(userId, wholeApiResource(event.methodArn))
}

export const handler = middy<APIGatewayTokenAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(injectLambdaContext(logger))
  .handler(authorize)
