import { type IncomingMessage, STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { WebSocketServer } from 'ws'
import type { InvocationOutcome } from '../../lambda/invocation.ts'
import { type ConnectionOrigin, newGatewayId } from './connection-registry.ts'
import { ABNORMAL, GOING_AWAY, invokeDisconnect, openSession } from './connection-session.ts'
import { authorizeConnect } from './request-authorizer.ts'
import { describeFailure, invokeTracked, type WebSocketApiContext } from './websocket-context.ts'
import { authorizerEvent, connectEvent, handshakeRequestOf } from './websocket-events.ts'

const WEBSOCKET_KEY = /^[+/0-9A-Za-z]{22}==$/

/** The subprotocol each accepted upgrade request agreed to in its $connect response, for ws's handshake. */
const agreedProtocols = new WeakMap<IncomingMessage, string>()

/** ws's `handleProtocols`: API Gateway selects a subprotocol only when $connect answers with one. */
export function agreedProtocol(offered: Set<string>, request: IncomingMessage): string | false {
  const agreed = agreedProtocols.get(request)
  return agreed !== undefined && offered.has(agreed) ? agreed : false
}

/**
 * API Gateway's side of the opening handshake: the path, the connection quota, the $connect authorizer,
 * then $connect itself, and only then the 101. Whatever is refused gets an HTTP answer and no route runs.
 */
export async function handleUpgrade(
  context: WebSocketApiContext,
  server: WebSocketServer,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const onSocketError = () => socket.destroy()
  socket.on('error', onSocketError)
  const requestId = newGatewayId()
  const refuse = (status: number, message: string) => refuseUpgrade(socket, status, message, requestId)
  const rawUrl = request.url ?? '/'
  const queryAt = rawUrl.indexOf('?')
  const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt)
  if (path.replace(/\/$/, '') !== `/${context.api.stage}`) return refuse(404, 'Not Found')
  if (!isWebSocketUpgrade(request)) return refuse(400, 'Bad Request')
  if (context.closing) return refuse(503, 'Service Unavailable')
  if (context.registry.size + context.pendingHandshakes >= context.limits.maxConnections) {
    return refuse(429, 'Too Many Requests')
  }

  context.pendingHandshakes++
  try {
    const query = new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1))
    const handshake = handshakeRequestOf(request, query)
    const origin: ConnectionOrigin = {
      connectionId: newGatewayId(),
      connectedAt: Date.now(),
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      userAgent: firstHeader(request.headers['user-agent']),
      domainName: request.headers.host ?? '127.0.0.1',
      authorizer: undefined,
    }
    const gatewayRequest = { requestId, receivedAt: origin.connectedAt }
    const invoke = (functionName: string, event: unknown) => invokeTracked(context, functionName, event)

    let authorizerLatencyMs: number | undefined
    const authorizer = context.routes.connect?.authorizer
    if (authorizer !== undefined) {
      const event = authorizerEvent({ origin, api: context.api, handshake, request: gatewayRequest })
      const decision = await authorizeConnect({ invoke, authorizer, request, query, event })
      if (decision.kind === 'unauthorized') return refuse(401, 'Unauthorized')
      if (decision.kind === 'denied') return refuse(403, 'Forbidden')
      if (decision.kind === 'failed') {
        console.error(`[local websocket] authorizer ${authorizer.functionName} failed: ${decision.reason}`)
        return refuse(500, 'Internal Server Error')
      }
      origin.authorizer = decision.authorizer
      authorizerLatencyMs = decision.latencyMs
    }

    const connectRoute = context.routes.connect
    if (connectRoute !== undefined) {
      const event = connectEvent({
        origin,
        api: context.api,
        handshake,
        request: gatewayRequest,
        authorizerLatencyMs,
      })
      const verdict = connectVerdict(
        await invoke(connectRoute.functionName, event),
        connectRoute.functionName,
      )
      if (verdict.kind === 'refused') return refuse(verdict.status, verdict.message)
      if (verdict.protocol !== undefined) agreedProtocols.set(request, verdict.protocol)
    }

    if (context.closing || socket.destroyed || !socket.writable) {
      // $connect accepted a connection that will never open (the client left, or the API is closing):
      // its function may have stored the id, so $disconnect hears of it.
      if (connectRoute !== undefined)
        invokeDisconnect(context, origin, context.closing ? GOING_AWAY : ABNORMAL)
      return refuse(503, 'Service Unavailable')
    }
    socket.off('error', onSocketError)
    server.handleUpgrade(request, socket, head, (webSocket) => openSession(context, webSocket, origin))
  } finally {
    context.pendingHandshakes--
  }
}

type ConnectVerdict =
  | { kind: 'accepted'; protocol: string | undefined }
  | { kind: 'refused'; status: number; message: string }

/** A 2xx proxy result accepts; another status refuses with it; a failure or a malformed result is a 502. */
function connectVerdict(outcome: InvocationOutcome, functionName: string): ConnectVerdict {
  if (outcome.kind !== 'ok') {
    console.error(`[local websocket] $connect ${functionName} failed: ${describeFailure(outcome)}`)
    return { kind: 'refused', status: 502, message: 'Internal server error' }
  }
  const result = outcome.value as { statusCode?: unknown; headers?: unknown } | null | undefined
  const status = result?.statusCode
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    console.error(`[local websocket] $connect ${functionName} returned no statusCode`)
    return { kind: 'refused', status: 502, message: 'Internal server error' }
  }
  if (status < 200 || status > 299)
    return { kind: 'refused', status, message: STATUS_CODES[status] ?? 'Refused' }
  return { kind: 'accepted', protocol: protocolOf(result?.headers) }
}

function protocolOf(headers: unknown): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'sec-websocket-protocol' && typeof value === 'string') return value
  }
  return undefined
}

function isWebSocketUpgrade(request: IncomingMessage): boolean {
  const version = request.headers['sec-websocket-version']
  return (
    request.method === 'GET' &&
    request.headers.upgrade?.toLowerCase() === 'websocket' &&
    WEBSOCKET_KEY.test(request.headers['sec-websocket-key'] ?? '') &&
    (version === '13' || version === '8')
  )
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** An HTTP answer on the raw socket of a refused upgrade, then the end of it. */
function refuseUpgrade(socket: Duplex, status: number, message: string, requestId: string): void {
  if (socket.destroyed) return
  const body = JSON.stringify({ message })
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
      'Connection: close',
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `x-amzn-RequestId: ${requestId}`,
      '',
      body,
    ].join('\r\n'),
  )
}
