import type { APIGatewayProxyResultV2 } from 'aws-lambda'
import { DomainError, type DomainErrorCode } from '#core/shared/errors.ts'
import { logContext, logger, observedHandler } from '../shared/observability.ts'

/** The part of API Gateway's WebSocket event the routes read. */
export interface WebSocketEvent {
  requestContext: {
    connectionId: string
    routeKey: string
    requestId?: string
    authorizer?: { principalId?: unknown } | null
  }
  body?: string | null
}

export type WebSocketResult = APIGatewayProxyResultV2 & { statusCode: number }

const statusByCode: Record<DomainErrorCode, number> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FORBIDDEN: 403,
}

/** A route answer; with `routeResponseSelectionExpression: $default` API Gateway sends `body` back to the client. */
export function reply(statusCode: number, message: Record<string, unknown>): WebSocketResult {
  return { statusCode, body: JSON.stringify(message) }
}

/**
 * The one stack of the WebSocket routes: the shared observability stack, the request id as correlation
 * id and the caller and connection in every log line, and domain errors answered as error messages.
 */
export function websocketRoute(route: (event: WebSocketEvent) => Promise<WebSocketResult>) {
  return observedHandler<WebSocketEvent, WebSocketResult>().handler(async (event) => {
    const principalId = event.requestContext.authorizer?.principalId
    logContext({
      correlationId: event.requestContext.requestId,
      userId: typeof principalId === 'string' ? principalId : undefined,
    })
    logger.appendKeys({ connectionId: event.requestContext.connectionId })
    try {
      return await route(event)
    } catch (error) {
      if (error instanceof DomainError)
        return reply(statusByCode[error.code], { type: 'error', message: error.message })
      logger.error('unhandled error', { error })
      return reply(500, {
        type: 'error',
        message: 'Internal server error',
        requestId: event.requestContext.requestId,
      })
    }
  })
}

/** The message as JSON; API Gateway chose the route from it, so it parsed once already. */
export function messageOf(event: WebSocketEvent): unknown {
  try {
    return JSON.parse(event.body ?? '')
  } catch {
    return undefined
  }
}
