import type { APIGatewayAuthorizerResult } from 'aws-lambda'
import type { TokenVerifier } from '#core/ports/token-verifier.ts'
import { count, logger } from '../shared/observability.ts'

/**
 * The caller a token speaks for. Throws exactly 'Unauthorized' otherwise: API Gateway turns that one
 * message into a 401, anything else into a 500. Why a token was refused is logged, never the token;
 * every refusal counts as AuthorizerDenied.
 */
export async function callerIdFrom(verifier: TokenVerifier, token: string | undefined): Promise<string> {
  if (token === undefined || token.length === 0) {
    count('AuthorizerDenied')
    logger.info('token refused', { reason: 'no bearer token' })
    throw new Error('Unauthorized')
  }
  try {
    const { userId } = await verifier.verify(token)
    logger.appendKeys({ userId })
    return userId
  } catch (error) {
    count('AuthorizerDenied')
    logger.info('token refused', { reason: error instanceof Error ? error.message : String(error) })
    throw new Error('Unauthorized')
  }
}

/** Lets `userId` invoke `resource`; `principalId` and `context.userId` reach the functions. */
export function allow(userId: string, resource: string): APIGatewayAuthorizerResult {
  return {
    principalId: userId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }],
    },
    context: { userId },
  }
}
