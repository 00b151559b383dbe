/**
 * API Gateway's own error answers (unknown route, authorizer denials, invalid body, throttling,
 * integration failures), with the headers of the `AWS::ApiGateway::GatewayResponse` resources in
 * serverless.ts.
 */

export type GatewayResponseType =
  | 'RESOURCE_NOT_FOUND'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'AUTHORIZER_FAILURE'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'BAD_REQUEST_BODY'
  | 'REQUEST_TOO_LARGE'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'METHOD_NOT_ALLOWED'
  | 'THROTTLED'

const defaults: Record<GatewayResponseType, { status: number; message: string }> = {
  RESOURCE_NOT_FOUND: { status: 404, message: 'Not Found' },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method Not Allowed' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized' },
  ACCESS_DENIED: { status: 403, message: 'User is not authorized to access this resource' },
  AUTHORIZER_FAILURE: { status: 500, message: 'Authorizer failed' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, message: 'Authorizer configuration error' },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long' },
  THROTTLED: { status: 429, message: 'Too Many Requests' },
  INTEGRATION_FAILURE: { status: 502, message: 'Internal server error' },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out' },
}

export interface GatewayAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

interface Resource {
  Type: string
  Properties?: Record<string, unknown>
}

export class GatewayResponses {
  readonly #headersByType = new Map<string, Record<string, string>>()

  constructor(resources: Record<string, Resource>) {
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::ApiGateway::GatewayResponse') continue
      const type = String(resource.Properties?.ResponseType ?? '')
      this.#headersByType.set(type, headersFrom(resource.Properties?.ResponseParameters))
    }
  }

  answer(type: GatewayResponseType, extraHeaders: Record<string, string> = {}): GatewayAnswer {
    const { status, message } = defaults[type]
    const family = status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'
    return {
      status,
      headers: {
        'content-type': 'application/json',
        ...(this.#headersByType.get(family) ?? {}),
        ...(this.#headersByType.get(type) ?? {}),
        ...extraHeaders,
      },
      body: JSON.stringify({ message }),
    }
  }
}

/** `gatewayresponse.header.X: "'value'"` -> `{ x: 'value' }`; only static values are meaningful locally. */
function headersFrom(parameters: unknown): Record<string, string> {
  const headers: Record<string, string> = {}
  if (typeof parameters !== 'object' || parameters === null) return headers
  for (const [key, value] of Object.entries(parameters)) {
    const name = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1]
    const literal = typeof value === 'string' ? /^'(.*)'$/.exec(value)?.[1] : undefined
    if (name !== undefined && literal !== undefined) headers[name.toLowerCase()] = literal
  }
  return headers
}
