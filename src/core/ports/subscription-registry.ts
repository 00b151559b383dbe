/** Who is connected over WebSocket and which groups each connection watches. */
export interface SubscriptionRegistry {
  /** Records a new connection of `userId`; it and its subscriptions expire after `ttlSeconds` unless renewed. */
  addConnection(connection: { connectionId: string; userId: string; ttlSeconds: number }): Promise<void>
  /** Forgets a connection and every subscription it had. Idempotent. */
  removeConnection(connectionId: string): Promise<void>
  /** Idempotent; throws NotFoundError when the connection is not registered. */
  subscribe(connectionId: string, groupId: string, ttlSeconds: number): Promise<void>
  /** Idempotent. */
  unsubscribe(connectionId: string, groupId: string): Promise<void>
  /** Every connection subscribed to the group (expired ones may still appear until swept). */
  subscribersOf(groupId: string): Promise<string[]>
}
