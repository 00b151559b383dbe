import {
  EC2Client,
  type Instance,
  paginateDescribeInstances,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import type { ClientSettings } from '#adapters/aws/aws-clients.ts'
import {
  type FleetInstance,
  INSTANCE_STATES,
  type InstanceFleet,
  type InstanceTag,
} from '#core/ports/instance-fleet.ts'

/** Built once per cold start by the chaos monkey's composition root. */
export function createEc2Client(settings: ClientSettings): EC2Client {
  return new EC2Client({ region: settings.region, endpoint: settings.endpoint })
}

/** DescribeInstances' largest page; a fleet of up to 1000 opted-in instances is one call. */
const PAGE_SIZE = 1000

/**
 * The account's EC2 instances in the client's region. EC2 does the filtering (tag and state), so
 * untagged instances never even reach the function.
 */
export class Ec2InstanceFleet implements InstanceFleet {
  readonly #client: EC2Client

  constructor(client: EC2Client) {
    this.#client = client
  }

  async listTaggedInstances(tag: InstanceTag): Promise<FleetInstance[]> {
    const pages = paginateDescribeInstances(
      { client: this.#client, pageSize: PAGE_SIZE },
      {
        Filters: [
          { Name: `tag:${tag.key}`, Values: [tag.value] },
          { Name: 'instance-state-name', Values: ['running'] },
        ],
      },
    )
    const instances: FleetInstance[] = []
    for await (const page of pages) {
      for (const reservation of page.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) {
          const mapped = fleetInstanceOf(instance)
          if (mapped !== undefined) instances.push(mapped)
        }
      }
    }
    return instances
  }

  async terminate(instanceId: string): Promise<void> {
    await this.#client.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }))
  }
}

/** Undefined for an entry without an id or with a state this code does not know (never a candidate). */
function fleetInstanceOf(instance: Instance): FleetInstance | undefined {
  const state = INSTANCE_STATES.find((known) => known === instance.State?.Name)
  if (instance.InstanceId === undefined || state === undefined) return undefined
  const tags: Record<string, string> = {}
  for (const { Key, Value } of instance.Tags ?? []) {
    if (Key !== undefined) tags[Key] = Value ?? ''
  }
  return { instanceId: instance.InstanceId, state, tags }
}
