import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import middy from '@middy/core'
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda'
import { JoseTokenVerifier } from '#adapters/auth/jose-token-verifier.ts'
import { loadAuthConfig } from '#config/auth-config.ts'
import { logger } from '../shared/logger.ts'
import { bearerToken, wholeApiResource } from './authorizer-policy.ts'

const config = loadAuthConfig(process.env)
const verifier = new JoseTokenVerifier(config)

/**
 * API Gateway TOKEN authorizer. Throwing exactly 'Unauthorized' makes API Gateway answer 401; the
 * Allow policy covers the whole API because API Gateway caches it per token for every route.
 */
async function authorize(event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const token = bearerToken(event.authorizationToken)
  if (token === undefined) throw new Error('Unauthorized')
  let userId: string
  try {
    userId = (await verifier.verify(token)).userId
  } catch (error) {
    logger.info('token refused', { reason: error instanceof Error ? error.message : String(error) })
    throw new Error('Unauthorized')
  }
  return {
    principalId: userId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wholeApiResource(event.methodArn) },
      ],
    },
    context: { userId },
  }
}

export const handler = middy<APIGatewayTokenAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(injectLambdaContext(logger))
  .handler(authorize)
