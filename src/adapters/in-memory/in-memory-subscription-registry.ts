import type { SubscriptionRegistry } from '#core/ports/subscription-registry.ts'
import { InvalidInputError, NotFoundError } from '#core/shared/errors.ts'

export interface InMemorySubscriptionRegistryOptions {
  /** Decides what has expired; defaults to the system clock. */
  clock?: () => Date
}

interface Connection {
  userId: string
  /** Epoch seconds, as the DynamoDB adapter stores it. */
  expiresAt: number
  /** groupId -> expiresAt (epoch seconds) */
  groups: Map<string, number>
}

/**
 * SubscriptionRegistry in a Map, with the DynamoDB adapter's semantics: expiry in whole epoch
 * seconds, a connection or subscription past its expiry counts as gone before anything sweeps it,
 * subscribing needs a live connection, and re-adding a connection keeps its subscriptions.
 */
export class InMemorySubscriptionRegistry implements SubscriptionRegistry {
  readonly #connections = new Map<string, Connection>()
  readonly #clock: () => Date

  constructor(options: InMemorySubscriptionRegistryOptions = {}) {
    this.#clock = options.clock ?? (() => new Date())
  }

  async addConnection(connection: {
    connectionId: string
    userId: string
    ttlSeconds: number
  }): Promise<void> {
    if (connection.connectionId === '') throw new InvalidInputError('a connection id cannot be empty')
    this.#connections.set(connection.connectionId, {
      userId: connection.userId,
      expiresAt: this.#expiryAfter(connection.ttlSeconds),
      groups: this.#connections.get(connection.connectionId)?.groups ?? new Map(),
    })
  }

  async removeConnection(connectionId: string): Promise<void> {
    this.#connections.delete(connectionId)
  }

  async subscribe(connectionId: string, groupId: string, ttlSeconds: number): Promise<void> {
    if (groupId === '') throw new InvalidInputError('a group id cannot be empty')
    const connection = this.#connections.get(connectionId)
    if (connection === undefined || this.#hasExpired(connection.expiresAt)) {
      throw new NotFoundError(`connection ${connectionId} is not registered`)
    }
    connection.groups.set(groupId, this.#expiryAfter(ttlSeconds))
  }

  async unsubscribe(connectionId: string, groupId: string): Promise<void> {
    this.#connections.get(connectionId)?.groups.delete(groupId)
  }

  async subscribersOf(groupId: string): Promise<string[]> {
    const subscribers: string[] = []
    for (const [connectionId, connection] of this.#connections) {
      const expiresAt = connection.groups.get(groupId)
      if (expiresAt !== undefined && !this.#hasExpired(expiresAt)) subscribers.push(connectionId)
    }
    return subscribers.sort()
  }

  #nowSeconds(): number {
    return Math.floor(this.#clock().getTime() / 1000)
  }

  #expiryAfter(ttlSeconds: number): number {
    return this.#nowSeconds() + ttlSeconds
  }

  #hasExpired(expiresAt: number): boolean {
    return expiresAt < this.#nowSeconds()
  }
}
