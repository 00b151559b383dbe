import type { ScheduledEvent } from 'aws-lambda'
import type { ChaosOutcome } from '#core/chaos/chaos-round.ts'
import { logger, observedHandler } from '../shared/observability.ts'
import { publishChaosRoundMetric } from './chaos-metric.ts'
import { round, settings } from './chaos-monkey-services.ts'

export type ChaosRoundReport = Exclude<ChaosOutcome, { kind: 'failed' }>

/**
 * A schedule -> one chaos round. The event carries nothing the round uses (only its arrival matters),
 * so it is not read. Every round is one log line and one metric. A failed round is then thrown, so
 * Lambda counts an error and the event reaches the failures queue; the function is not retried
 * (serverless.ts), because a retry after a terminate whose answer was lost could kill a second
 * instance in the same round, while a round skipped costs nothing: the next one comes on schedule.
 */
async function runChaosRound(_event: ScheduledEvent): Promise<ChaosRoundReport> {
  const outcome = await round.run(settings)
  publishChaosRoundMetric(outcome, new Date())
  const tag = `${settings.optInTag.key}=${settings.optInTag.value}`
  if (outcome.kind === 'failed') {
    const { kind, cause, ...failure } = outcome
    logger.error('chaos round', { outcome: kind, ...failure, tag })
    throw new Error(`chaos round failed to ${failure.step}: ${failure.error}`, { cause })
  }
  const { kind, ...decision } = outcome
  logger.info('chaos round', { outcome: kind, ...decision, tag })
  return outcome
}

export const handler = observedHandler<ScheduledEvent, ChaosRoundReport>().handler(runChaosRound)
