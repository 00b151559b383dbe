export interface MetricTotal {
  name: string
  unit: string
  /** The sum of every value emitted. */
  sum: number
  /** How many values were emitted. */
  samples: number
}

/** Metric names kept; a function emitting names without end cannot grow the console's memory. */
const MAX_METRIC_NAMES = 200

/**
 * Sums of the metrics functions emit as CloudWatch embedded metric format log lines
 * (`_aws.CloudWatchMetrics[].Metrics[]` names, values under the same names at the top level, one
 * number or a list of them), per metric name, since the local cloud started.
 */
export class MetricTotals {
  readonly #totals = new Map<string, MetricTotal>()

  add(line: Record<string, unknown>): void {
    const aws = line._aws as {
      CloudWatchMetrics?: Array<{ Metrics?: Array<{ Name?: unknown; Unit?: unknown }> }>
    }
    for (const directive of aws?.CloudWatchMetrics ?? []) {
      for (const metric of directive.Metrics ?? []) {
        if (typeof metric.Name !== 'string') continue
        const raw = line[metric.Name]
        const values = (Array.isArray(raw) ? raw : [raw]).filter((value) => typeof value === 'number')
        if (values.length === 0) continue
        let total = this.#totals.get(metric.Name)
        if (total === undefined) {
          if (this.#totals.size >= MAX_METRIC_NAMES) continue
          total = {
            name: metric.Name,
            unit: typeof metric.Unit === 'string' ? metric.Unit : 'None',
            sum: 0,
            samples: 0,
          }
          this.#totals.set(metric.Name, total)
        }
        for (const value of values) total.sum += value
        total.samples += values.length
      }
    }
  }

  /** By name. */
  totals(): MetricTotal[] {
    return [...this.#totals.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((total) => ({ ...total }))
  }
}
