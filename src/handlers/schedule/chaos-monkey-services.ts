import { type ChaosConfig, loadChaosConfig } from '#config/chaos-config.ts'
import { chaosRound } from '#core/chaos/chaos-round.ts'
import type { InstanceFleet } from '#core/ports/instance-fleet.ts'
import { tracing } from '../shared/observability.ts'

/**
 * The chaos monkey's composition root: its configuration and the fleet it names, built once per cold
 * start. The EC2 client is imported only when used, so the local fleet does not pay for loading it.
 */
export const config = loadChaosConfig(process.env)

async function createFleet(config: ChaosConfig): Promise<InstanceFleet> {
  if (config.fleet === 'local') {
    const { JsonFileInstanceFleet } = await import('#adapters/local-fleet/json-file-instance-fleet.ts')
    return new JsonFileInstanceFleet({ file: config.fleetFile })
  }
  const { Ec2InstanceFleet, createEc2Client } = await import('#adapters/ec2/ec2-instance-fleet.ts')
  const client = createEc2Client({ region: config.region, endpoint: config.ec2Endpoint })
  return new Ec2InstanceFleet(tracing.captureAWSv3Client(client))
}

export const round = chaosRound({ fleet: await createFleet(config), random: Math.random })
export const settings = {
  mode: config.mode,
  optInTag: { key: config.tagKey, value: config.tagValue },
}
