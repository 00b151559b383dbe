import type { APIGatewayProxyResult } from 'aws-lambda'

export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }
}

/** 204: done, nothing to say. Middy's CORS headers are still added. */
export function noContent(): APIGatewayProxyResult {
  return { statusCode: 204, headers: {}, body: '' }
}
