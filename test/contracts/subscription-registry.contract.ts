import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SubscriptionRegistry } from '#core/ports/subscription-registry.ts'
import { InvalidInputError, NotFoundError } from '#core/shared/errors.ts'

/** Gives each test an empty registry that reads the time from `clock`. */
export type SubscriptionRegistryFactory = (options: {
  clock: () => Date
}) => SubscriptionRegistry | Promise<SubscriptionRegistry>

const TTL = 7200

/** A clock standing still until the test moves it. */
function manualClock(start = '2026-03-01T12:00:00.000Z') {
  let now = new Date(start).getTime()
  return {
    clock: () => new Date(now),
    advanceSeconds(seconds: number) {
      now += seconds * 1000
    },
  }
}

/** What every SubscriptionRegistry promises, whatever stores the connections. Call inside a `describe`. */
export function subscriptionRegistryContract(makeRegistry: SubscriptionRegistryFactory): void {
  describe('SubscriptionRegistry contract', () => {
    async function setUp(...connectionIds: string[]) {
      const time = manualClock()
      const registry = await makeRegistry({ clock: time.clock })
      for (const connectionId of connectionIds) {
        await registry.addConnection({ connectionId, userId: `user-of-${connectionId}`, ttlSeconds: TTL })
      }
      return { registry, time }
    }

    const sorted = (ids: string[]) => [...ids].sort()

    it('lists nobody for a group nobody subscribed to, including the empty group id', async () => {
      const { registry } = await setUp('c1')

      assert.deepEqual(await registry.subscribersOf('g1'), [])
      assert.deepEqual(await registry.subscribersOf(''), [])
    })

    it("lists a connection among a group's subscribers once it subscribed, and in no other group", async () => {
      const { registry } = await setUp('c1')

      await registry.subscribe('c1', 'g1', TTL)

      assert.deepEqual(await registry.subscribersOf('g1'), ['c1'])
      assert.deepEqual(await registry.subscribersOf('g2'), [])
    })

    it('lists every subscriber of a group, each once however often it subscribed', async () => {
      const { registry } = await setUp('L0SM9cOFvHcCIhw=', 'c2', 'c3', 'Zé-🌞')

      for (const connectionId of ['L0SM9cOFvHcCIhw=', 'c2', 'Zé-🌞'])
        await registry.subscribe(connectionId, 'g1', TTL)
      await registry.subscribe('c2', 'g1', TTL)
      await registry.subscribe('c3', 'g2', TTL)

      assert.deepEqual(
        sorted(await registry.subscribersOf('g1')),
        sorted(['L0SM9cOFvHcCIhw=', 'c2', 'Zé-🌞']),
      )
      assert.deepEqual(await registry.subscribersOf('g2'), ['c3'])
    })

    it('refuses to subscribe a connection it does not know, and lists nothing for it', async () => {
      const { registry } = await setUp('c1')

      await assert.rejects(registry.subscribe('stranger', 'g1', TTL), NotFoundError)
      await assert.rejects(registry.subscribe('', 'g1', TTL), NotFoundError)

      assert.deepEqual(await registry.subscribersOf('g1'), [])
    })

    it('refuses an empty group id', async () => {
      const { registry } = await setUp('c1')

      await assert.rejects(registry.subscribe('c1', '', TTL), InvalidInputError)
    })

    it('unsubscribes a connection from one group and leaves its other subscriptions', async () => {
      const { registry } = await setUp('c1', 'c2')
      await registry.subscribe('c1', 'g1', TTL)
      await registry.subscribe('c1', 'g2', TTL)
      await registry.subscribe('c2', 'g1', TTL)

      await registry.unsubscribe('c1', 'g1')

      assert.deepEqual(await registry.subscribersOf('g1'), ['c2'])
      assert.deepEqual(await registry.subscribersOf('g2'), ['c1'])
    })

    it('unsubscribes idempotently, also from groups and connections it never saw', async () => {
      const { registry } = await setUp('c1')
      await registry.subscribe('c1', 'g1', TTL)

      await registry.unsubscribe('c1', 'g1')
      await registry.unsubscribe('c1', 'g1')
      await registry.unsubscribe('c1', 'never-subscribed')
      await registry.unsubscribe('stranger', 'g1')
      await registry.unsubscribe('', '')

      assert.deepEqual(await registry.subscribersOf('g1'), [])
    })

    it("forgets a removed connection and all its subscriptions, and nobody else's", async () => {
      const { registry } = await setUp('c1', 'c2')
      for (const groupId of ['g1', 'g2', 'g3']) await registry.subscribe('c1', groupId, TTL)
      await registry.subscribe('c2', 'g1', TTL)

      await registry.removeConnection('c1')

      assert.deepEqual(await registry.subscribersOf('g1'), ['c2'])
      assert.deepEqual(await registry.subscribersOf('g2'), [])
      assert.deepEqual(await registry.subscribersOf('g3'), [])
      await assert.rejects(registry.subscribe('c1', 'g1', TTL), NotFoundError)
    })

    it('removes connections idempotently, also ones it never knew', async () => {
      const { registry } = await setUp('c1')
      await registry.subscribe('c1', 'g1', TTL)

      await registry.removeConnection('c1')
      await registry.removeConnection('c1')
      await registry.removeConnection('stranger')
      await registry.removeConnection('')

      assert.deepEqual(await registry.subscribersOf('g1'), [])
    })

    it('removes a connection with more subscriptions than one batch of deletes holds', async () => {
      const { registry } = await setUp('c1')
      const groups = Array.from({ length: 60 }, (_, i) => `g${i}`)
      for (const groupId of groups) await registry.subscribe('c1', groupId, TTL)

      await registry.removeConnection('c1')

      for (const groupId of groups) assert.deepEqual(await registry.subscribersOf(groupId), [], groupId)
    })

    it('keeps the subscriptions of a connection added again', async () => {
      const { registry } = await setUp('c1')
      await registry.subscribe('c1', 'g1', TTL)

      await registry.addConnection({ connectionId: 'c1', userId: 'user-of-c1', ttlSeconds: TTL })

      assert.deepEqual(await registry.subscribersOf('g1'), ['c1'])
    })

    it('stops listing a subscription once its time to live has passed, whole seconds', async () => {
      const { registry, time } = await setUp('c1', 'c2')
      await registry.subscribe('c1', 'g1', 60)
      await registry.subscribe('c2', 'g1', 120)

      time.advanceSeconds(60)
      assert.deepEqual(sorted(await registry.subscribersOf('g1')), ['c1', 'c2'])

      time.advanceSeconds(1)
      assert.deepEqual(await registry.subscribersOf('g1'), ['c2'])
    })

    it('lists an expired subscription again once it is renewed', async () => {
      const { registry, time } = await setUp('c1')
      await registry.subscribe('c1', 'g1', 60)
      await registry.addConnection({ connectionId: 'c1', userId: 'user-of-c1', ttlSeconds: TTL })
      time.advanceSeconds(61)

      await registry.subscribe('c1', 'g1', 60)

      assert.deepEqual(await registry.subscribersOf('g1'), ['c1'])
    })

    it('refuses to subscribe a connection whose time to live has passed, until it is added again', async () => {
      const time = manualClock()
      const registry = await makeRegistry({ clock: time.clock })
      await registry.addConnection({ connectionId: 'c1', userId: 'u1', ttlSeconds: 60 })
      time.advanceSeconds(61)

      await assert.rejects(registry.subscribe('c1', 'g1', TTL), NotFoundError)
      assert.deepEqual(await registry.subscribersOf('g1'), [])

      await registry.addConnection({ connectionId: 'c1', userId: 'u1', ttlSeconds: 60 })
      await registry.subscribe('c1', 'g1', TTL)
      assert.deepEqual(await registry.subscribersOf('g1'), ['c1'])
    })
  })
}
