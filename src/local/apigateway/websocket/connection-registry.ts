import { randomBytes } from 'node:crypto'
import type { WebSocket } from 'ws'

export interface CloseStatus {
  code: number
  reason: string
}

/** What API Gateway knows of a connection from its handshake. */
export interface ConnectionOrigin {
  connectionId: string
  connectedAt: number
  sourceIp: string
  userAgent: string | undefined
  /** The Host the client connected to: `requestContext.domainName`. */
  domainName: string
  /** `{ principalId, ...context }` from the $connect authorizer, on every event of the connection. */
  authorizer: Record<string, unknown> | undefined
}

/** One open WebSocket connection, as the Management API and the route invocations see it. */
export class Connection {
  readonly origin: ConnectionOrigin
  /** Settles once the socket has closed, however it closed. */
  readonly closed: Promise<void>
  readonly #socket: WebSocket
  lastActiveAt: number
  #closing: CloseStatus | undefined

  constructor(origin: ConnectionOrigin, socket: WebSocket) {
    this.origin = origin
    this.#socket = socket
    this.lastActiveAt = origin.connectedAt
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()))
  }

  get id(): string {
    return this.origin.connectionId
  }

  get open(): boolean {
    return this.#socket.readyState === this.#socket.OPEN
  }

  /** Why the gateway closed it, when it did (idle, DeleteConnection, message too big, shutdown). */
  get closedByGateway(): CloseStatus | undefined {
    return this.#closing
  }

  send(data: string | Buffer, binary = false): void {
    if (this.open) this.#socket.send(data, { binary })
  }

  /** Starts the closing handshake, unless one is under way; the socket's `close` event reports the end. */
  close(status: CloseStatus): void {
    if (!this.open) return
    this.#closing = status
    this.#socket.close(status.code, status.reason)
  }

  /** Records why ws itself closed the socket on the gateway's behalf (a message over the limit). */
  closedBecause(status: CloseStatus): void {
    this.#closing ??= status
  }

  /** Drops the TCP connection without a closing handshake. */
  terminate(): void {
    this.#socket.terminate()
  }
}

/** The open connections by id. A connection is here only between a successful $connect and its close. */
export class ConnectionRegistry {
  readonly #connections = new Map<string, Connection>()

  get size(): number {
    return this.#connections.size
  }

  add(connection: Connection): void {
    this.#connections.set(connection.id, connection)
  }

  get(connectionId: string): Connection | undefined {
    return this.#connections.get(connectionId)
  }

  remove(connectionId: string): void {
    this.#connections.delete(connectionId)
  }

  all(): Connection[] {
    return [...this.#connections.values()]
  }
}

/**
 * A connection, request or message id shaped like API Gateway's (`L0SM9cOFvHcCIhw=`: 11 random bytes in
 * base64). Ids with `+` or `/` are drawn again so that a connection id works in a Management API path
 * whether or not the caller encodes it.
 */
export function newGatewayId(): string {
  for (;;) {
    const id = randomBytes(11).toString('base64')
    if (!id.includes('+') && !id.includes('/')) return id
  }
}
