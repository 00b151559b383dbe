/** Pushes a message to one WebSocket connection. */
export interface ClientNotifier {
  /** 'gone' when the connection no longer exists (API Gateway's 410), so the caller can forget it. */
  send(connectionId: string, message: unknown): Promise<'sent' | 'gone'>
}
