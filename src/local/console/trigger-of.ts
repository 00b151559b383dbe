/** Which event source invoked a function, as the console shows it. */
export type Trigger = 'http' | 'websocket' | 's3->sns' | 'sns' | 'stream' | 'schedule' | 'other'

/**
 * The trigger of an invocation, from the shape of its event: each event source of the local cloud
 * builds the event AWS builds, and those shapes tell them apart without the sources saying so.
 */
export function triggerOf(event: unknown): Trigger {
  if (event === null || typeof event !== 'object') return 'other'
  const shape = event as Record<string, unknown>
  const requestContext = shape.requestContext as Record<string, unknown> | undefined
  if (requestContext?.connectionId !== undefined) return 'websocket'
  if (shape.httpMethod !== undefined || shape.type === 'TOKEN' || shape.type === 'REQUEST') return 'http'
  if (shape['detail-type'] === 'Scheduled Event' || shape.source === 'aws.events') return 'schedule'
  const records = shape.Records
  if (Array.isArray(records) && records.length > 0) {
    const first = records[0] as Record<string, unknown>
    if (first.eventSource === 'aws:dynamodb') return 'stream'
    if (first.EventSource === 'aws:sns') {
      const message = (first.Sns as Record<string, unknown> | undefined)?.Message
      return typeof message === 'string' && message.includes('"s3"') ? 's3->sns' : 'sns'
    }
  }
  return 'other'
}
