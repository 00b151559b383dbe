import { reply, websocketRoute } from './websocket-route.ts'

/** Anything that is not a known action gets an error message saying what is. */
export const handler = websocketRoute(async () =>
  reply(400, {
    type: 'error',
    message:
      'Unknown action. Send {"action": "subscribe", "groupId": "..."} or {"action": "unsubscribe", "groupId": "..."}',
  }),
)
