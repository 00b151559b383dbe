import type { IncomingMessage } from 'node:http'
import type { APIGatewayProxyEvent } from 'aws-lambda'
import { headersOf, queryOf, requestTime } from './request-parts.ts'
import type { RestRoute } from './rest-routes.ts'

export interface ApiIdentity {
  apiId: string
  accountId: string
  stage: string
}

export interface ParsedRequest {
  method: string
  /** Path as received, without the query, starting with the stage. */
  path: string
  query: URLSearchParams
  body: Buffer
  requestId: string
  receivedAt: Date
}

/** Builds the Lambda proxy integration event (REST API, payload v1) that API Gateway would send. */
export function proxyEvent(options: {
  request: IncomingMessage
  parsed: ParsedRequest
  route: RestRoute
  pathParameters: Record<string, string> | null
  authorizer: Record<string, unknown> | null
  api: ApiIdentity
}): APIGatewayProxyEvent {
  const { request, parsed, route, api } = options
  const { headers, multiValueHeaders } = headersOf(request)
  const { single, multi } = queryOf(parsed.query)
  const pathWithoutStage = parsed.path.slice(api.stage.length + 1) || '/'
  const isBinary = parsed.body.length > 0 && !isTextual(headers['content-type'] ?? headers['Content-Type'])
  return {
    resource: route.resourcePath,
    path: pathWithoutStage,
    httpMethod: parsed.method,
    headers,
    multiValueHeaders,
    queryStringParameters: single,
    multiValueQueryStringParameters: multi,
    pathParameters: options.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      authorizer: options.authorizer,
      domainName: headers.Host ?? headers.host ?? '127.0.0.1',
      domainPrefix: '127',
      extendedRequestId: parsed.requestId,
      httpMethod: parsed.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: firstHeader(request, 'user-agent') ?? null,
        userArn: null,
      },
      path: parsed.path,
      protocol: `HTTP/${request.httpVersion}`,
      requestId: parsed.requestId,
      requestTime: requestTime(parsed.receivedAt),
      requestTimeEpoch: parsed.receivedAt.getTime(),
      resourceId: route.resourcePath,
      resourcePath: route.resourcePath,
      stage: api.stage,
    },
    body: parsed.body.length === 0 ? null : parsed.body.toString(isBinary ? 'base64' : 'utf8'),
    isBase64Encoded: isBinary,
  }
}

function firstHeader(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function isTextual(contentType: string | undefined): boolean {
  if (contentType === undefined) return true
  return /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript)|[^;]*\+json|[^;]*\+xml)/i.test(
    contentType,
  )
}
