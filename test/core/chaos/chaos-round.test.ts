import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ChaosSettings, chaosRound, type RandomSource } from '#core/chaos/chaos-round.ts'
import type { FleetInstance, InstanceFleet, InstanceTag } from '#core/ports/instance-fleet.ts'

const optInTag = { key: 'chaos-monkey', value: 'opt-in' }
const dryRun: ChaosSettings = { mode: 'dry-run', optInTag }
const terminate: ChaosSettings = { mode: 'terminate', optInTag }

function anInstance(overrides: Partial<FleetInstance> = {}): FleetInstance {
  return {
    instanceId: 'i-0000000000000aaa1',
    state: 'running',
    tags: { Name: 'web', 'chaos-monkey': 'opt-in' },
    ...overrides,
  }
}

/**
 * A fleet that answers with the instances it is given as they are, without filtering, as a loose
 * adapter might: the round must still touch only running, opted-in instances.
 */
class ScriptedFleet implements InstanceFleet {
  readonly listedWith: InstanceTag[] = []
  readonly terminated: string[] = []
  readonly #instances: FleetInstance[]
  readonly #failures: { list?: Error; terminate?: Error }

  constructor(instances: FleetInstance[], failures: { list?: Error; terminate?: Error } = {}) {
    this.#instances = instances
    this.#failures = failures
  }

  async listTaggedInstances(tag: InstanceTag): Promise<FleetInstance[]> {
    this.listedWith.push(tag)
    if (this.#failures.list) throw this.#failures.list
    return this.#instances
  }

  async terminate(instanceId: string): Promise<void> {
    if (this.#failures.terminate) throw this.#failures.terminate
    this.terminated.push(instanceId)
  }
}

/** mulberry32: a small seeded generator, so "random" picks repeat from run to run. */
function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const fixed =
  (value: number): RandomSource =>
  () =>
    value

describe('a chaos round', () => {
  it('reports no candidates, and terminates nothing, when no instance carries the opt-in tag', async () => {
    const fleet = new ScriptedFleet([])

    const outcome = await chaosRound({ fleet, random: fixed(0) }).run(terminate)

    assert.deepEqual(outcome, { kind: 'no-candidates', mode: 'terminate', candidates: 0 })
    assert.deepEqual(fleet.listedWith, [optInTag])
    assert.deepEqual(fleet.terminated, [])
  })

  it('terminates the one running, opted-in instance', async () => {
    const fleet = new ScriptedFleet([anInstance({ instanceId: 'i-0abc' })])

    const outcome = await chaosRound({ fleet, random: fixed(0.99) }).run(terminate)

    assert.deepEqual(outcome, { kind: 'terminated', mode: 'terminate', instanceId: 'i-0abc', candidates: 1 })
    assert.deepEqual(fleet.terminated, ['i-0abc'])
  })

  it('picks one of several at random, the same one for the same seed whatever the listing order', async () => {
    const ids = ['i-01', 'i-02', 'i-03', 'i-04', 'i-05']
    const picksFor = async (order: string[]) => {
      const random = seededRandom(42)
      const picks: string[] = []
      for (let round = 0; round < 20; round++) {
        const fleet = new ScriptedFleet(order.map((instanceId) => anInstance({ instanceId })))
        const outcome = await chaosRound({ fleet, random }).run(terminate)
        assert.equal(outcome.kind, 'terminated')
        assert.equal(fleet.terminated.length, 1, 'one instance per round')
        picks.push(...fleet.terminated)
      }
      return picks
    }

    const picks = await picksFor(ids)

    assert.deepEqual(await picksFor([...ids].reverse()), picks)
    assert.ok(new Set(picks).size > 1, `the picks vary: ${picks.join(' ')}`)
    assert.ok(
      picks.every((id) => ids.includes(id)),
      'every pick is a candidate',
    )
  })

  it('maps the random number onto the candidates sorted by id', async () => {
    const fleet = () =>
      new ScriptedFleet(['i-0c', 'i-0a', 'i-0b'].map((instanceId) => anInstance({ instanceId })))
    const pick = async (random: number) => {
      const outcome = await chaosRound({ fleet: fleet(), random: fixed(random) }).run(dryRun)
      return outcome.kind === 'would-terminate' ? outcome.instanceId : outcome.kind
    }

    assert.deepEqual(await Promise.all([0, 0.34, 0.67, 0.9999, 1, -1, Number.NaN].map(pick)), [
      'i-0a',
      'i-0b',
      'i-0c',
      'i-0c',
      'i-0c',
      'i-0a',
      'i-0a',
    ])
  })

  it('in dry-run, names the instance it would terminate and terminates none', async () => {
    const fleet = new ScriptedFleet([anInstance({ instanceId: 'i-01' }), anInstance({ instanceId: 'i-02' })])

    const outcome = await chaosRound({ fleet, random: fixed(0.5) }).run(dryRun)

    assert.deepEqual(outcome, { kind: 'would-terminate', mode: 'dry-run', instanceId: 'i-02', candidates: 2 })
    assert.deepEqual(fleet.terminated, [])
  })

  it('never touches an untagged, otherwise-tagged or non-running instance, even if the fleet lists it', async () => {
    const fleet = new ScriptedFleet([
      anInstance({ instanceId: 'i-untagged', tags: { Name: 'db' } }),
      anInstance({ instanceId: 'i-opted-out', tags: { 'chaos-monkey': 'opt-out' } }),
      anInstance({ instanceId: 'i-other-case', tags: { 'Chaos-Monkey': 'opt-in' } }),
      anInstance({ instanceId: 'i-stopped', state: 'stopped' }),
      anInstance({ instanceId: 'i-pending', state: 'pending' }),
      anInstance({ instanceId: 'i-stopping', state: 'stopping' }),
    ])

    for (const random of [0, 0.2, 0.4, 0.6, 0.8, 0.99]) {
      const outcome = await chaosRound({ fleet, random: fixed(random) }).run(terminate)
      assert.deepEqual(outcome, { kind: 'no-candidates', mode: 'terminate', candidates: 0 })
    }
    assert.deepEqual(fleet.terminated, [])
  })

  it('chooses among the candidates only when untagged instances are listed with them', async () => {
    const fleet = new ScriptedFleet([
      anInstance({ instanceId: 'i-00-untagged', tags: {} }),
      anInstance({ instanceId: 'i-99-tagged' }),
    ])

    const outcome = await chaosRound({ fleet, random: fixed(0) }).run(terminate)

    assert.deepEqual(fleet.terminated, ['i-99-tagged'])
    assert.equal(outcome.kind === 'terminated' && outcome.candidates, 1)
  })

  it('reports a failed listing, with the error, and terminates nothing', async () => {
    const error = new Error('Request limit exceeded.')
    const fleet = new ScriptedFleet([anInstance()], { list: error })

    const outcome = await chaosRound({ fleet, random: fixed(0) }).run(terminate)

    assert.deepEqual(outcome, {
      kind: 'failed',
      mode: 'terminate',
      step: 'list',
      error: 'Request limit exceeded.',
      cause: error,
    })
    assert.deepEqual(fleet.terminated, [])
  })

  it('reports a failed termination with the instance it chose and the error', async () => {
    const error = new Error('You are not authorized to perform this operation.')
    const fleet = new ScriptedFleet([anInstance({ instanceId: 'i-0abc' })], { terminate: error })

    const outcome = await chaosRound({ fleet, random: fixed(0) }).run(terminate)

    assert.deepEqual(outcome, {
      kind: 'failed',
      mode: 'terminate',
      step: 'terminate',
      instanceId: 'i-0abc',
      error: 'You are not authorized to perform this operation.',
      cause: error,
    })
  })
})
