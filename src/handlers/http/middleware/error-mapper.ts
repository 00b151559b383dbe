import type { MiddlewareObj, Request } from '@middy/core'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { DomainError, type DomainErrorCode } from '#core/shared/errors.ts'
import { logger } from '../../shared/logger.ts'
import { jsonResponse } from './http-response.ts'

const statusByCode: Record<DomainErrorCode, number> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FORBIDDEN: 403,
}

/** An error raised at the HTTP edge itself (bad JSON, bad path parameter): its message is safe to show. */
export class HttpError extends Error {
  readonly statusCode: number

  constructor(statusCode: number, message: string) {
    super(message)
    this.name = 'HttpError'
    this.statusCode = statusCode
  }
}

/**
 * Turns every thrown error into a JSON `{message}` answer: domain and edge errors say what was wrong;
 * anything else is logged with its cause and answered as a generic 500 carrying the request id.
 */
export function errorMapper(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: (request: Request<APIGatewayProxyEvent, APIGatewayProxyResult>) => {
      const { error } = request
      if (error instanceof DomainError) {
        request.response = jsonResponse(statusByCode[error.code], { message: error.message })
        return
      }
      if (error instanceof HttpError) {
        request.response = jsonResponse(error.statusCode, { message: error.message })
        return
      }
      logger.error('unhandled error', { error })
      request.response = jsonResponse(500, {
        message: 'Internal server error',
        requestId: request.context.awsRequestId,
      })
    },
  }
}
