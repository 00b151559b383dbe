import { randomUUID } from 'node:crypto'

/** What EventBridge delivers to a function when its rule fires with no `input`. */
export interface ScheduledEventShape {
  version: '0'
  id: string
  'detail-type': 'Scheduled Event'
  source: 'aws.events'
  account: string
  /** The scheduled time, to the second, as EventBridge writes it (`2026-11-25T10:00:00Z`). */
  time: string
  region: string
  resources: [string]
  detail: Record<string, never>
}

export function ruleArn(rule: { region: string; accountId: string; name: string }): string {
  return `arn:aws:events:${rule.region}:${rule.accountId}:rule/${rule.name}`
}

export function scheduledEvent(options: {
  time: Date
  region: string
  accountId: string
  ruleArn: string
}): ScheduledEventShape {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: options.accountId,
    time: options.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: options.region,
    resources: [options.ruleArn],
    detail: {},
  }
}
