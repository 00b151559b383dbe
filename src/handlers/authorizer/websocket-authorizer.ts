import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import middy from '@middy/core'
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda'
import { JoseTokenVerifier } from '#adapters/auth/jose-token-verifier.ts'
import { loadAuthConfig } from '#config/auth-config.ts'
import { logger } from '../shared/logger.ts'
import { allow, callerIdFrom } from './authorizer-decision.ts'

const verifier = new JoseTokenVerifier(loadAuthConfig(process.env))

/**
 * REQUEST authorizer of the WebSocket API's `$connect`: browsers cannot set headers on a WebSocket, so
 * the same access token comes as `?token=`.
 */
async function authorize(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const userId = await callerIdFrom(verifier, event.queryStringParameters?.token)
  return allow(userId, event.methodArn)
}

export const handler = middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(injectLambdaContext(logger))
  .handler(authorize)
