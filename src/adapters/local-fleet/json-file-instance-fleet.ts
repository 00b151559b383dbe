import { randomUUID } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import {
  type FleetInstance,
  INSTANCE_STATES,
  type InstanceFleet,
  type InstanceTag,
} from '#core/ports/instance-fleet.ts'

/**
 * A pretend EC2 fleet kept in a JSON file, for the local cloud:
 *
 *     { "instances": [{ "instanceId": "i-0a1b2c3d4e5f60001", "state": "running",
 *                       "tags": { "Name": "web-1", "chaos-monkey": "opt-in" } }] }
 *
 * `state` is one of EC2's instance states. Terminating an instance rewrites the file with its `state`
 * set to `terminated` and a `terminatedAt` time, so a developer sees the round's effect in the file
 * (and can edit it back to `running`). Fields it does not know are kept as they are.
 */
export class JsonFileInstanceFleet implements InstanceFleet {
  readonly #file: string
  readonly #now: () => Date

  constructor(options: { file: string; now?: () => Date }) {
    this.#file = options.file
    this.#now = options.now ?? (() => new Date())
  }

  /** Filters as DescribeInstances with `tag:<key>` and `instance-state-name=running` would. */
  async listTaggedInstances(tag: InstanceTag): Promise<FleetInstance[]> {
    const { instances } = await this.#read()
    return instances.filter(
      (instance) =>
        instance.state === 'running' &&
        Object.hasOwn(instance.tags, tag.key) &&
        instance.tags[tag.key] === tag.value,
    )
  }

  /** As EC2: unknown ids fail; an instance already shutting down or terminated stays as it is. */
  async terminate(instanceId: string): Promise<void> {
    const { raw, instances } = await this.#read()
    const index = instances.findIndex((instance) => instance.instanceId === instanceId)
    const entry = raw.instances[index]
    const instance = instances[index]
    if (entry === undefined || instance === undefined) {
      throw new Error(`InvalidInstanceID.NotFound: the instance ID '${instanceId}' is not in ${this.#file}`)
    }
    if (instance.state === 'terminated' || instance.state === 'shutting-down') return
    raw.instances[index] = { ...entry, state: 'terminated', terminatedAt: this.#now().toISOString() }
    // Written aside and renamed over, so a reader never sees half a file.
    const aside = `${this.#file}.${randomUUID()}.tmp`
    await writeFile(aside, `${JSON.stringify(raw, null, 2)}\n`)
    await rename(aside, this.#file)
  }

  async #read(): Promise<{ raw: { instances: Record<string, unknown>[] }; instances: FleetInstance[] }> {
    let text: string
    try {
      text = await readFile(this.#file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error(`no fleet file at ${this.#file}: write one shaped {"instances": [...]}`)
      }
      throw error
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (error) {
      throw new Error(`${this.#file} is not JSON: ${(error as Error).message}`)
    }
    return parseFleet(raw, this.#file)
  }
}

function parseFleet(
  raw: unknown,
  file: string,
): { raw: { instances: Record<string, unknown>[] }; instances: FleetInstance[] } {
  if (!isRecord(raw) || !Array.isArray(raw.instances)) {
    throw new Error(`${file} must hold {"instances": [...]}`)
  }
  const list: unknown[] = raw.instances
  const instances = list.map((entry: unknown, index): FleetInstance => {
    const where = `${file}: instances[${index}]`
    if (!isRecord(entry)) throw new Error(`${where} must be an object`)
    const { instanceId, state, tags = {} } = entry
    if (typeof instanceId !== 'string' || instanceId === '') {
      throw new Error(`${where}.instanceId must be a non-empty string`)
    }
    const known = INSTANCE_STATES.find((candidate) => candidate === state)
    if (known === undefined) {
      throw new Error(
        `${where}.state must be one of ${INSTANCE_STATES.join(', ')}, got ${JSON.stringify(state)}`,
      )
    }
    if (!isRecord(tags) || Object.values(tags).some((value) => typeof value !== 'string')) {
      throw new Error(`${where}.tags must map tag keys to string values`)
    }
    return { instanceId, state: known, tags: tags as Record<string, string> }
  })
  return { raw: { ...raw, instances: list as Record<string, unknown>[] }, instances }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
