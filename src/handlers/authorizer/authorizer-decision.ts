import type { APIGatewayAuthorizerResult } from 'aws-lambda'
import type { TokenVerifier } from '#core/ports/token-verifier.ts'
import { logger } from '../shared/logger.ts'

/**
 * The caller a token speaks for. Throws exactly 'Unauthorized' otherwise: API Gateway turns that one
 * message into a 401, anything else into a 500. Why a token was refused is logged, never the token.
 */
export async function callerIdFrom(verifier: TokenVerifier, token: string | undefined): Promise<string> {
  if (token === undefined || token.length === 0) throw new Error('Unauthorized')
  try {
    return (await verifier.verify(token)).userId
  } catch (error) {
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
