import { useEffect, useRef, useState } from 'react'
import { useConfig, useCurrentUser } from '../../app/app-context.tsx'
import type { GroupEvent } from '../../lib/image-list.ts'
import { connectGroupLive, type LiveStatus } from './live-connection.ts'

/**
 * Live updates of a group while it is open and someone is signed in (the WebSocket API wants a token).
 * `onResume` runs when the subscription comes back after a drop, to catch up on missed events.
 */
export function useGroupLive(
  groupId: string,
  handlers: { onEvent: (event: GroupEvent) => void; onResume: () => void },
): LiveStatus | 'off' {
  const { websocket } = useConfig()
  const user = useCurrentUser()
  const [status, setStatus] = useState<LiveStatus | 'off'>('off')
  const latest = useRef({ handlers, token: user?.accessToken })
  latest.current = { handlers, token: user?.accessToken }
  const signedIn = user !== undefined

  useEffect(() => {
    if (!signedIn) {
      setStatus('off')
      return
    }
    return connectGroupLive({
      url: websocket,
      groupId,
      token: () => latest.current.token,
      onEvent: (event) => latest.current.handlers.onEvent(event),
      onStatus: (next, resumed) => {
        setStatus(next)
        if (resumed) latest.current.handlers.onResume()
      },
    })
  }, [websocket, groupId, signedIn])
  return status
}
