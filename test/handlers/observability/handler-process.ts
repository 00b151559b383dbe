import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { environment } from '../../../infra/environment.ts'

const driver = fileURLToPath(new URL('./invoke-handler.ts', import.meta.url))
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

export type Line = Record<string, unknown>

/** What one handler process printed, sorted: log lines, EMF documents, and the invocations' ends. */
export interface HandlerOutput {
  /** Everything on stdout and stderr, to look for what must never be printed. */
  raw: string
  logs: Line[]
  metrics: Line[]
  invocations: Line[]
}

/** The environment every function gets from serverless.ts that the observability stack reads. */
export const observabilityEnvironment = {
  STAGE: 'dev',
  POWERTOOLS_SERVICE_NAME: environment.POWERTOOLS_SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: environment.POWERTOOLS_METRICS_NAMESPACE,
  POWERTOOLS_LOG_LEVEL: 'INFO',
}

/**
 * Runs `modulePath`'s handler in a process of its own, once per event (the first one a cold start),
 * with only the environment given (and PATH), and reads back its JSON output lines.
 */
export async function runHandler(
  modulePath: string,
  events: readonly unknown[],
  env: Record<string, string>,
): Promise<HandlerOutput> {
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
    execFile(
      process.execPath,
      [driver, modulePath, ...events.map((event) => JSON.stringify(event))],
      {
        cwd: repoRoot,
        // Lambda's own: without it Powertools cannot tell a cold start.
        env: {
          PATH: process.env.PATH,
          AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
          ...observabilityEnvironment,
          ...env,
        },
      },
      (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve({ stdout: out, stderr: err }),
    ),
  )
  const lines = `${stdout}\n${stderr}`
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Line)
  return {
    raw: `${stdout}${stderr}`,
    logs: lines.filter((line) => !('_aws' in line) && !('invocation' in line)),
    metrics: lines.filter((line) => '_aws' in line),
    invocations: lines.filter((line) => 'invocation' in line).map((line) => line.invocation as Line),
  }
}

/** The one log line with this message; fails, listing the messages seen, when there is not exactly one. */
export function theLine(output: HandlerOutput, message: string): Line {
  const found = output.logs.filter((line) => line.message === message)
  if (found.length !== 1) {
    const seen = output.logs.map((line) => line.message).join(', ')
    throw new Error(`expected one "${message}" line, found ${found.length} among: ${seen}\n${output.raw}`)
  }
  return found[0] as Line
}

/** The metric values of the EMF documents printed, by metric name, with each one's unit. */
export function metricsByName(
  output: HandlerOutput,
): Map<string, { unit: string; values: unknown[]; document: Line }> {
  const found = new Map<string, { unit: string; values: unknown[]; document: Line }>()
  for (const document of output.metrics) {
    const directives = (
      document._aws as { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string; Unit: string }> }> }
    ).CloudWatchMetrics
    for (const directive of directives) {
      for (const { Name, Unit } of directive.Metrics) {
        const entry = found.get(Name) ?? { unit: Unit, values: [], document }
        entry.values.push(document[Name])
        found.set(Name, entry)
      }
    }
  }
  return found
}

const EMF_UNITS = new Set(['Count', 'Milliseconds', 'Seconds', 'Bytes', 'Percent', 'None'])

/**
 * Fails unless `document` is a valid CloudWatch embedded metric format document: a timestamp, and
 * per directive a namespace, dimension sets whose every dimension is a string member of the document,
 * and metrics with a name, a known unit and a numeric value in the document.
 */
export function assertValidEmf(document: Line): void {
  const metadata = document._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown }
  if (typeof metadata?.Timestamp !== 'number')
    throw new Error(`no _aws.Timestamp: ${JSON.stringify(document)}`)
  if (!Array.isArray(metadata.CloudWatchMetrics) || metadata.CloudWatchMetrics.length === 0) {
    throw new Error(`no _aws.CloudWatchMetrics: ${JSON.stringify(document)}`)
  }
  for (const directive of metadata.CloudWatchMetrics as Array<Record<string, unknown>>) {
    if (typeof directive.Namespace !== 'string' || directive.Namespace.length === 0) {
      throw new Error(`a directive without a Namespace: ${JSON.stringify(document)}`)
    }
    for (const dimensionSet of directive.Dimensions as string[][]) {
      for (const dimension of dimensionSet) {
        if (typeof document[dimension] !== 'string')
          throw new Error(`dimension ${dimension} has no string value`)
      }
    }
    for (const metric of directive.Metrics as Array<{ Name?: unknown; Unit?: unknown }>) {
      const value = document[String(metric.Name)]
      const values = Array.isArray(value) ? value : [value]
      if (typeof metric.Name !== 'string' || !EMF_UNITS.has(String(metric.Unit))) {
        throw new Error(`metric ${JSON.stringify(metric)} has no name or an unknown unit`)
      }
      if (values.length === 0 || !values.every((one) => typeof one === 'number' && Number.isFinite(one))) {
        throw new Error(`metric ${metric.Name} has no numeric value: ${JSON.stringify(value)}`)
      }
    }
  }
}

/** The business metrics documents: namespace Udagram, dimensions exactly service and stage. */
export function assertBusinessEmf(output: HandlerOutput): void {
  for (const document of output.metrics) {
    assertValidEmf(document)
    const [directive] = (document._aws as { CloudWatchMetrics: Array<Record<string, unknown>> })
      .CloudWatchMetrics
    if (directive?.Namespace !== 'Udagram') throw new Error(`namespace ${String(directive?.Namespace)}`)
    const names = (directive.Metrics as Array<{ Name: string }>).map(({ Name }) => Name)
    const expected = names.includes('ColdStart')
      ? [['service', 'stage', 'function_name']]
      : [['service', 'stage']]
    if (JSON.stringify(directive.Dimensions) !== JSON.stringify(expected)) {
      throw new Error(`dimensions ${JSON.stringify(directive.Dimensions)} of ${names.join(', ')}`)
    }
    if (document.service !== 'udagram' || document.stage !== 'dev') throw new Error('service or stage value')
  }
}
