import type { APIGatewayProxyEvent } from 'aws-lambda'
import { HttpError } from './error-mapper.ts'

/** The body as JSON; API Gateway validated it against the route's schema, but handlers never rely on that. */
export function jsonBody(event: APIGatewayProxyEvent): unknown {
  if (event.body === null || event.body === '') throw new HttpError(400, 'request body is missing')
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError(400, 'request body is not valid JSON')
  }
}

const MAX_ID_LENGTH = 128

export function pathParameter(event: APIGatewayProxyEvent, name: string): string {
  const value = event.pathParameters?.[name]
  if (value === undefined || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw new HttpError(400, `${name} must be 1 to ${MAX_ID_LENGTH} characters`)
  }
  return value
}

export function queryParameter(event: APIGatewayProxyEvent, name: string): string | undefined {
  return event.queryStringParameters?.[name] ?? undefined
}

/** The caller's id, put into the request context by the authorizer (the token's `sub`). */
export function callerId(event: APIGatewayProxyEvent): string {
  const principalId: unknown = event.requestContext.authorizer?.principalId
  if (typeof principalId !== 'string' || principalId.length === 0) {
    throw new Error('route is not behind the authorizer: no principalId in the request context')
  }
  return principalId
}

/** What a caller may send as its own correlation id: an id, not free text, and bounded. */
const CORRELATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/

/**
 * The request's correlation id: the caller's `X-Correlation-Id` when it looks like an id, else API
 * Gateway's request id (which the caller also gets back as `x-amzn-RequestId`). It is stored on what
 * the request creates, so that the work following it (the upload's thumbnail, notifications,
 * indexing) logs under the same id.
 */
export function correlationIdOf(event: APIGatewayProxyEvent): string {
  const header = Object.entries(event.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'x-correlation-id',
  )?.[1]
  if (header !== undefined && CORRELATION_ID.test(header)) return header
  return event.requestContext.requestId
}
