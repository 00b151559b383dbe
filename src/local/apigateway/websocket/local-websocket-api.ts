/**
 * The local API Gateway WebSocket API: the routes of the `websocket` events in serverless.ts, served on
 * `ws://<host>:<port>/<stage>` with API Gateway's handshake, events, route selection and quotas, and its
 * Management API (`@connections`) on the same port for the functions to call back through.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { FunctionInvoker } from '../../lambda/invocation.ts'
import type { LocalFunctionDefinition } from '../../serverless/service-definition.ts'
import { ConnectionRegistry } from './connection-registry.ts'
import { DELETED_BY_MANAGEMENT_API, GOING_AWAY } from './connection-session.ts'
import { ManagementApi } from './management-api.ts'
import { routeSelector } from './route-selection.ts'
import { TaskTracker } from './task-tracker.ts'
import type { WebSocketApiContext } from './websocket-context.ts'
import { agreedProtocol, handleUpgrade } from './websocket-handshake.ts'
import { WebSocketRouteTable, websocketRoutesFrom } from './websocket-routes.ts'

export interface LocalWebSocketApiOptions {
  /** 127.0.0.1 unless given. */
  host?: string
  /** 0 picks a free port. */
  port: number
  stage: string
  region: string
  accountId: string
  /** `requestContext.apiId` and the method ARN's API id, e.g. `local-ws`. */
  apiId: string
  /** The functions of serverless.ts; their `websocket` events are the routes. */
  functions: Map<string, LocalFunctionDefinition>
  /** `provider.websocketsApiRouteSelectionExpression`; `$request.body.action` unless given. */
  routeSelectionExpression?: string
  invoker: FunctionInvoker
  /** API Gateway closes a connection after 10 minutes without a message from the client. */
  idleTimeoutMs?: number
  /** API Gateway closes every connection after 2 hours. */
  maxConnectionDurationMs?: number
  /** API Gateway's 128 KB message limit; a bigger message closes the connection with 1009. */
  maxMessageBytes?: number
  /** Open connections plus those in their handshake; past it an upgrade is answered 429. */
  maxConnections?: number
}

export interface LocalWebSocketApi {
  /** ws://127.0.0.1:<port>/<stage> */
  url: string
  /** http://127.0.0.1:<port>/<stage>: what handlers pass to ApiGatewayManagementApiClient as `endpoint`. */
  managementEndpoint: string
  /** Closes every socket (invoking $disconnect for each), waits for the invocations in flight, then the server. */
  close(): Promise<void>
}

const DEFAULT_LIMITS = {
  idleTimeoutMs: 10 * 60 * 1000,
  maxConnectionDurationMs: 2 * 60 * 60 * 1000,
  maxMessageBytes: 128 * 1024,
  maxConnections: 10_000,
}

/** How long close() lets a client answer the closing handshake before dropping its connection. */
const CLOSE_GRACE_MS = 1000

export async function startLocalWebSocketApi(options: LocalWebSocketApiOptions): Promise<LocalWebSocketApi> {
  const host = options.host ?? '127.0.0.1'
  const context: WebSocketApiContext = {
    api: { apiId: options.apiId, stage: options.stage, region: options.region, accountId: options.accountId },
    routes: new WebSocketRouteTable(websocketRoutesFrom(options.functions)),
    selectRoute: routeSelector(options.routeSelectionExpression),
    registry: new ConnectionRegistry(),
    limits: {
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_LIMITS.idleTimeoutMs,
      maxConnectionDurationMs: options.maxConnectionDurationMs ?? DEFAULT_LIMITS.maxConnectionDurationMs,
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_LIMITS.maxMessageBytes,
      maxConnections: options.maxConnections ?? DEFAULT_LIMITS.maxConnections,
    },
    tasks: new TaskTracker(),
    invoker: options.invoker,
    pendingHandshakes: 0,
    closing: false,
  }
  const webSockets = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    // API Gateway negotiates no extensions, so no permessage-deflate.
    perMessageDeflate: false,
    maxPayload: context.limits.maxMessageBytes,
    handleProtocols: agreedProtocol,
  })
  const management = new ManagementApi({
    stage: options.stage,
    registry: context.registry,
    disconnect: (connection) => connection.close(DELETED_BY_MANAGEMENT_API),
  })
  const server = createServer((request, response) => {
    void context.tasks.track(answerHttp(request, response, options.stage, management))
  })
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const upgrading = handleUpgrade(context, webSockets, request, socket, head).catch((error: unknown) => {
      console.error('[local websocket] handshake failure', error)
      socket.destroy()
    })
    void context.tasks.track(upgrading)
  })
  const port = await listen(server, options.port, host)
  const base = `${host}:${port}/${options.stage}`

  let closing: Promise<void> | undefined
  return {
    url: `ws://${base}`,
    managementEndpoint: `http://${base}`,
    close: () => {
      closing ??= closeApi(context, server)
      return closing
    },
  }
}

async function answerHttp(
  request: IncomingMessage,
  response: ServerResponse,
  stage: string,
  management: ManagementApi,
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0]
  if (path?.replace(/\/$/, '') === `/${stage}`) {
    request.resume()
    response.writeHead(426, { 'content-type': 'application/json', upgrade: 'websocket' })
    response.end(JSON.stringify({ message: 'Upgrade Required' }))
    return
  }
  try {
    await management.handle(request, response)
  } catch (error) {
    console.error('[local websocket] Management API failure', error)
    if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ message: 'Internal server error' }))
  }
}

async function closeApi(context: WebSocketApiContext, server: Server): Promise<void> {
  context.closing = true
  const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()))
  await Promise.all(
    context.registry.all().map(async (connection) => {
      connection.close(GOING_AWAY)
      let timer: NodeJS.Timeout | undefined
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_GRACE_MS)
      })
      await Promise.race([connection.closed, grace])
      clearTimeout(timer)
      connection.terminate()
    }),
  )
  await context.tasks.idle()
  server.closeAllConnections()
  await serverClosed
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}
