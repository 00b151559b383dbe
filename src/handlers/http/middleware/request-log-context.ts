import type { MiddlewareObj } from '@middy/core'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { logContext } from '../../shared/observability.ts'
import { correlationIdOf } from './http-request.ts'

/**
 * Every log line of the request carries its correlation id, the caller (the authorizer's principal)
 * and the group or image named in the path. Only these ids are read from the event: never its
 * headers as a whole (the Authorization header is among them) nor its body.
 */
export function requestLogContext(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    before: ({ event }) => {
      const principalId: unknown = event.requestContext?.authorizer?.principalId
      logContext({
        correlationId: correlationIdOf(event),
        userId: typeof principalId === 'string' ? principalId : undefined,
        groupId: event.pathParameters?.groupId,
        imageId: event.pathParameters?.imageId,
      })
    },
  }
}
