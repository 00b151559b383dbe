import { backoffDelay, RECONNECT_BACKOFF } from '../../lib/backoff.ts'
import { type GroupEvent, parseGroupEvent } from '../../lib/image-list.ts'

export type LiveStatus = 'connecting' | 'live' | 'reconnecting'

export interface LiveOptions {
  url: string
  groupId: string
  /** Read at each (re)connection, so a renewed token is used. */
  token: () => string | undefined
  onEvent: (event: GroupEvent) => void
  /** `resumed` is true when the subscription is back after a drop: events may have been missed. */
  onStatus: (status: LiveStatus, resumed: boolean) => void
}

/**
 * Keeps a WebSocket subscribed to one group: subscribes on open, and after a drop reconnects with
 * exponential backoff until stopped. Answers the function that stops it.
 */
export function connectGroupLive(options: LiveOptions): () => void {
  let socket: WebSocket | undefined
  let retry: ReturnType<typeof setTimeout> | undefined
  let attempt = 0
  let everSubscribed = false
  let stopped = false

  const open = () => {
    const token = options.token()
    if (token === undefined || stopped) return
    options.onStatus(attempt === 0 && !everSubscribed ? 'connecting' : 'reconnecting', false)
    const current = new WebSocket(`${options.url}?token=${encodeURIComponent(token)}`)
    socket = current
    current.addEventListener('open', () => {
      current.send(JSON.stringify({ action: 'subscribe', groupId: options.groupId }))
    })
    current.addEventListener('message', (message) => {
      if (isSubscribed(message.data, options.groupId)) {
        options.onStatus('live', everSubscribed)
        everSubscribed = true
        attempt = 0
        return
      }
      const event = parseGroupEvent(message.data)
      if (event?.groupId === options.groupId) options.onEvent(event)
    })
    current.addEventListener('close', () => {
      if (stopped || socket !== current) return
      options.onStatus('reconnecting', false)
      retry = setTimeout(open, backoffDelay(attempt++, RECONNECT_BACKOFF))
    })
  }
  open()
  return () => {
    stopped = true
    clearTimeout(retry)
    socket?.close(1000)
  }
}

function isSubscribed(data: unknown, groupId: string): boolean {
  if (typeof data !== 'string') return false
  try {
    const reply = JSON.parse(data) as { type?: unknown; groupId?: unknown }
    return reply.type === 'subscribed' && reply.groupId === groupId
  } catch {
    return false
  }
}
