import type { ChaosOutcome } from '#core/chaos/chaos-round.ts'

export const CHAOS_METRICS_NAMESPACE = 'Udagram/ChaosMonkey'

/**
 * One round as a CloudWatch Embedded Metric Format document: CloudWatch turns the log line into the
 * `ChaosRounds` count metric by `Outcome` (no-candidates, would-terminate, terminated, failed), so an
 * alarm can watch failures or terminations without parsing logs.
 */
export function chaosRoundMetric(outcome: ChaosOutcome, at: Date): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: CHAOS_METRICS_NAMESPACE,
          Dimensions: [['Outcome']],
          Metrics: [{ Name: 'ChaosRounds', Unit: 'Count' }],
        },
      ],
    },
    Outcome: outcome.kind,
    Mode: outcome.mode,
    ChaosRounds: 1,
    ...('instanceId' in outcome && { instanceId: outcome.instanceId }),
  }
}

/**
 * Writes the metric document as its own stdout line. Not through the Logger: an EMF document must be
 * the whole log event, and the Logger drops INFO lines in stages that log at WARN (prod), where the
 * metric matters most. Powertools Metrics, which does the same, is not a dependency of this project.
 */
export function publishChaosRoundMetric(
  outcome: ChaosOutcome,
  at: Date,
  writeLine: (line: string) => void = (line) => console.log(line),
): void {
  writeLine(JSON.stringify(chaosRoundMetric(outcome, at)))
}
