import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import middy from '@middy/core'
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda'
import { JoseTokenVerifier } from '#adapters/auth/jose-token-verifier.ts'
import { loadAuthConfig } from '#config/auth-config.ts'
import { logger } from '../shared/logger.ts'

const verifier = new JoseTokenVerifier(loadAuthConfig(process.env))

/**
 * REQUEST authorizer of the WebSocket API's `$connect`: browsers cannot set headers on a WebSocket, so
 * the same access token comes as `?token=`. Throwing 'Unauthorized' makes API Gateway answer 401.
 */
async function authorize(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const token = event.queryStringParameters?.token
  if (token === undefined || token.length === 0) throw new Error('Unauthorized')
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
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
    context: { userId },
  }
}

export const handler = middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(injectLambdaContext(logger))
  .handler(authorize)
