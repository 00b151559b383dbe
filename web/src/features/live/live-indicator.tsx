import type { LiveStatus } from './live-connection.ts'

const TEXT: Record<LiveStatus | 'off', string> = {
  off: 'Sign in to see new images as they arrive.',
  connecting: 'Connecting for live updates…',
  live: 'Live: new images appear as they arrive.',
  reconnecting: 'Connection lost; reconnecting…',
}

export function LiveIndicator({ status }: { status: LiveStatus | 'off' }) {
  return (
    <p className={`live live-${status}`} data-live-status={status}>
      {TEXT[status]}
    </p>
  )
}
