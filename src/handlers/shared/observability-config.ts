import { type Environment, EnvironmentReader } from '#config/environment-reader.ts'

export interface ObservabilityConfig {
  /** The stage, a dimension of every metric, so that two stages in one account never share an alarm. */
  stage: string
  /**
   * Whether to load the Tracer at all. Lambda sets AWS_XRAY_DAEMON_ADDRESS in every function's
   * environment; the local cloud runs no daemon and does not set it, so there the Tracer is never
   * imported (see tracing.ts). POWERTOOLS_TRACE_ENABLED=false still turns it off on AWS.
   */
  tracing: boolean
}

/** What the shared handler stack reads; the Powertools utilities read their own POWERTOOLS_* variables. */
export function loadObservabilityConfig(env: Environment): ObservabilityConfig {
  const read = new EnvironmentReader(env, 'observability')
  const config: ObservabilityConfig = {
    stage: read.text('STAGE'),
    tracing: Boolean(env.AWS_XRAY_DAEMON_ADDRESS?.trim()) && env.POWERTOOLS_TRACE_ENABLED !== 'false',
  }
  read.assertValid()
  return config
}
