import { CHAOS_MODES, type ChaosMode } from '#core/chaos/chaos-round.ts'
import { type Environment, EnvironmentReader } from './environment-reader.ts'

/**
 * Where the chaos monkey finds its prey: `ec2`, the account's EC2 instances (the function's role may
 * terminate only opted-in ones), or `local`, the local cloud's fake fleet in a JSON file.
 */
export type FleetKind = 'ec2' | 'local'
const FLEET_KINDS: readonly FleetKind[] = ['ec2', 'local']

export type ChaosConfig = {
  mode: ChaosMode
  tagKey: string
  tagValue: string
} & (
  | { fleet: 'ec2'; region: string; ec2Endpoint: string | undefined }
  /** The fleet file (see src/adapters/local-fleet/json-file-instance-fleet.ts). */
  | { fleet: 'local'; fleetFile: string }
)

export const DEFAULT_CHAOS_TAG = { key: 'chaos-monkey', value: 'opt-in' }

/**
 * The chaos monkey's configuration. Unset CHAOS_MODE, CHAOS_TAG_KEY and CHAOS_TAG_VALUE fall back to
 * the safe defaults (dry-run, `chaos-monkey` = `opt-in`); a value that is set must be valid.
 */
export function loadChaosConfig(env: Environment): ChaosConfig {
  const read = new EnvironmentReader(env, 'chaos monkey')
  const isSet = (name: string) => Boolean(env[name]?.trim())
  const mode: ChaosMode = isSet('CHAOS_MODE') ? read.oneOf('CHAOS_MODE', CHAOS_MODES) : 'dry-run'
  const tagKey = isSet('CHAOS_TAG_KEY') ? read.text('CHAOS_TAG_KEY') : DEFAULT_CHAOS_TAG.key
  const tagValue = isSet('CHAOS_TAG_VALUE') ? read.text('CHAOS_TAG_VALUE') : DEFAULT_CHAOS_TAG.value
  const fleet = read.oneOf('CHAOS_FLEET', FLEET_KINDS)
  const config: ChaosConfig =
    fleet === 'local'
      ? { mode, tagKey, tagValue, fleet, fleetFile: read.text('CHAOS_FLEET_FILE') }
      : {
          mode,
          tagKey,
          tagValue,
          fleet: 'ec2',
          region: read.text('AWS_REGION'),
          ec2Endpoint: read.optionalUrl('AWS_ENDPOINT_URL_EC2'),
        }
  read.assertValid()
  return config
}
