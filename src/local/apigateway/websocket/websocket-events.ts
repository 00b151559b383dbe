/**
 * The events API Gateway sends for a WebSocket API with the Lambda proxy integration: CONNECT, MESSAGE
 * and DISCONNECT (`APIGatewayProxyWebsocketEventV2` in @types/aws-lambda), and the REQUEST authorizer's.
 */
import type { IncomingMessage } from 'node:http'
import { headersOf, queryOf, requestTime } from '../request-parts.ts'
import type { CloseStatus, ConnectionOrigin } from './connection-registry.ts'

export interface WebSocketApiIdentity {
  apiId: string
  stage: string
  region: string
  accountId: string
}

/** One request API Gateway makes of an integration: its id and when it began. */
export interface GatewayRequest {
  requestId: string
  receivedAt: number
}

type EventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT'

/** The upgrade request's headers and query, in the shapes API Gateway passes them on. */
export interface HandshakeRequest {
  headers: Record<string, string>
  multiValueHeaders: Record<string, string[]>
  queryStringParameters: Record<string, string> | undefined
  multiValueQueryStringParameters: Record<string, string[]> | undefined
}

export function handshakeRequestOf(request: IncomingMessage, query: URLSearchParams): HandshakeRequest {
  const { single, multi } = queryOf(query)
  return {
    ...headersOf(request),
    queryStringParameters: single ?? undefined,
    multiValueQueryStringParameters: multi ?? undefined,
  }
}

function requestContext(
  origin: ConnectionOrigin,
  api: WebSocketApiIdentity,
  routeKey: string,
  eventType: EventType,
  request: GatewayRequest,
) {
  return {
    routeKey,
    eventType,
    extendedRequestId: request.requestId,
    requestTime: requestTime(new Date(request.receivedAt)),
    messageDirection: 'IN' as const,
    stage: api.stage,
    connectedAt: origin.connectedAt,
    requestTimeEpoch: request.receivedAt,
    identity: { sourceIp: origin.sourceIp, userAgent: origin.userAgent ?? null },
    requestId: request.requestId,
    domainName: origin.domainName,
    connectionId: origin.connectionId,
    apiId: api.apiId,
  }
}

export function connectEvent(options: {
  origin: ConnectionOrigin
  api: WebSocketApiIdentity
  handshake: HandshakeRequest
  request: GatewayRequest
  /** How long the authorizer took, which API Gateway reports on $connect only. */
  authorizerLatencyMs: number | undefined
}) {
  const { origin, handshake } = options
  const context = requestContext(origin, options.api, '$connect', 'CONNECT', options.request)
  return {
    headers: handshake.headers,
    multiValueHeaders: handshake.multiValueHeaders,
    ...(handshake.queryStringParameters && {
      queryStringParameters: handshake.queryStringParameters,
      multiValueQueryStringParameters: handshake.multiValueQueryStringParameters,
    }),
    requestContext: {
      ...context,
      ...(origin.authorizer && {
        authorizer: { ...origin.authorizer, integrationLatency: options.authorizerLatencyMs ?? 0 },
      }),
    },
    isBase64Encoded: false,
  }
}

export function messageEvent(options: {
  origin: ConnectionOrigin
  api: WebSocketApiIdentity
  routeKey: string
  data: Buffer
  isBinary: boolean
  messageId: string
  request: GatewayRequest
}) {
  const { origin } = options
  const context = requestContext(origin, options.api, options.routeKey, 'MESSAGE', options.request)
  return {
    requestContext: {
      ...context,
      messageId: options.messageId,
      ...(origin.authorizer && { authorizer: origin.authorizer }),
    },
    body: options.data.toString(options.isBinary ? 'base64' : 'utf8'),
    isBase64Encoded: options.isBinary,
  }
}

export function disconnectEvent(options: {
  origin: ConnectionOrigin
  api: WebSocketApiIdentity
  status: CloseStatus
  request: GatewayRequest
}) {
  const { origin } = options
  const context = requestContext(origin, options.api, '$disconnect', 'DISCONNECT', options.request)
  // API Gateway sends these few headers on $disconnect, not the handshake's.
  const headers = { Host: origin.domainName, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' }
  return {
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    requestContext: {
      ...context,
      disconnectStatusCode: options.status.code,
      disconnectReason: options.status.reason,
      ...(origin.authorizer && { authorizer: origin.authorizer }),
    },
    isBase64Encoded: false,
  }
}

export function methodArnOf(api: WebSocketApiIdentity): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${api.stage}/$connect`
}

/** The REQUEST authorizer event of a WebSocket API's $connect. */
export function authorizerEvent(options: {
  origin: ConnectionOrigin
  api: WebSocketApiIdentity
  handshake: HandshakeRequest
  request: GatewayRequest
}) {
  const { handshake } = options
  return {
    type: 'REQUEST' as const,
    methodArn: methodArnOf(options.api),
    headers: handshake.headers,
    multiValueHeaders: handshake.multiValueHeaders,
    queryStringParameters: handshake.queryStringParameters ?? {},
    multiValueQueryStringParameters: handshake.multiValueQueryStringParameters ?? {},
    stageVariables: null,
    requestContext: requestContext(options.origin, options.api, '$connect', 'CONNECT', options.request),
  }
}
