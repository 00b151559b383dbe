import type { WebSocket } from 'ws'
import { type CloseStatus, Connection, type ConnectionOrigin, newGatewayId } from './connection-registry.ts'
import { describeFailure, invokeTracked, type WebSocketApiContext } from './websocket-context.ts'
import { disconnectEvent, messageEvent } from './websocket-events.ts'

/**
 * The close codes API Gateway uses when it ends a connection itself, and those it reports to $disconnect
 * when the client did.
 */
export const GOING_AWAY: CloseStatus = { code: 1001, reason: 'Going away' }
export const DELETED_BY_MANAGEMENT_API: CloseStatus = { code: 1000, reason: '' }
const MESSAGE_TOO_BIG: CloseStatus = { code: 1009, reason: 'Message too big' }
const NO_STATUS: CloseStatus = { code: 1005, reason: 'Client-side close frame status not set' }
export const ABNORMAL: CloseStatus = { code: 1006, reason: 'Connection closed abnormally' }

/**
 * Serves one open connection: each message is routed and its function invoked at once (invocations of
 * one connection start in order but overlap, as on AWS); idle and lifetime limits close it; any close
 * ends in $disconnect.
 */
export function openSession(
  context: WebSocketApiContext,
  socket: WebSocket,
  origin: ConnectionOrigin,
): Connection {
  const connection = new Connection(origin, socket)
  context.registry.add(connection)
  const { idleTimeoutMs, maxConnectionDurationMs } = context.limits
  const idle = setTimeout(() => connection.close(GOING_AWAY), idleTimeoutMs)
  const lifetime = setTimeout(() => connection.close(GOING_AWAY), maxConnectionDurationMs)

  socket.on('message', (data: Buffer, isBinary: boolean) => {
    connection.lastActiveAt = Date.now()
    idle.refresh()
    void context.tasks.track(dispatchMessage(context, connection, data, isBinary))
  })
  socket.on('error', (error: Error & { code?: string }) => {
    // ws has already sent the close frame; this records why, for $disconnect.
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') connection.closedBecause(MESSAGE_TOO_BIG)
  })
  socket.once('close', (code: number, reason: Buffer) => {
    clearTimeout(idle)
    clearTimeout(lifetime)
    context.registry.remove(connection.id)
    invokeDisconnect(context, origin, connection.closedByGateway ?? clientCloseStatus(code, reason))
  })
  return connection
}

/** Best effort, as on AWS: the event is sent, its outcome only logged. */
export function invokeDisconnect(
  context: WebSocketApiContext,
  origin: ConnectionOrigin,
  status: CloseStatus,
): void {
  const route = context.routes.disconnect
  if (route === undefined) return
  const request = { requestId: newGatewayId(), receivedAt: Date.now() }
  const event = disconnectEvent({ origin, api: context.api, status, request })
  void invokeTracked(context, route.functionName, event).then((outcome) => {
    if (outcome.kind !== 'ok') {
      console.error(`[local websocket] $disconnect ${route.functionName} failed: ${describeFailure(outcome)}`)
    }
  })
}

function clientCloseStatus(code: number, reason: Buffer): CloseStatus {
  if (code === 1005) return NO_STATUS
  if (code === 1006) return ABNORMAL
  return { code, reason: reason.toString('utf8') }
}

async function dispatchMessage(
  context: WebSocketApiContext,
  connection: Connection,
  data: Buffer,
  isBinary: boolean,
): Promise<void> {
  const request = { requestId: newGatewayId(), receivedAt: Date.now() }
  const reply = (message: string) =>
    connection.send(JSON.stringify({ message, connectionId: connection.id, requestId: request.requestId }))
  // Binary frames are not JSON to API Gateway: they go to $default.
  const routeKey = isBinary ? undefined : context.selectRoute(data.toString('utf8'))
  const route = context.routes.forMessage(routeKey)
  if (route === undefined) return reply('Forbidden')

  const event = messageEvent({
    origin: connection.origin,
    api: context.api,
    routeKey: route.routeKey,
    data,
    isBinary,
    messageId: newGatewayId(),
    request,
  })
  const outcome = await invokeTracked(context, route.functionName, event)
  if (outcome.kind !== 'ok') {
    console.error(
      `[local websocket] ${route.routeKey} ${route.functionName} failed: ${describeFailure(outcome)}`,
    )
    return reply('Internal server error')
  }
  if (!route.returnsResponse) return
  const body = responseBody(outcome.value)
  if (body !== undefined) connection.send(body)
}

/** The `body` of a proxy result, which a route with a route response sends back to the client. */
function responseBody(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const body = (value as { body?: unknown }).body
  return typeof body === 'string' ? body : undefined
}
