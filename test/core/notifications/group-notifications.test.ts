import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { groupNotifications } from '#core/notifications/group-notifications.ts'
import type { ClientNotifier } from '#core/ports/client-notifier.ts'
import type { SubscriptionRegistry } from '#core/ports/subscription-registry.ts'

class SlowNotifier implements ClientNotifier {
  readonly sent: string[] = []
  inFlight = 0
  maxInFlight = 0
  readonly gone: Set<string>

  constructor(gone: string[] = []) {
    this.gone = new Set(gone)
  }

  async send(connectionId: string): Promise<'sent' | 'gone'> {
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    await new Promise((resolve) => setImmediate(resolve))
    this.inFlight--
    if (this.gone.has(connectionId)) return 'gone'
    this.sent.push(connectionId)
    return 'sent'
  }
}

function registryWith(subscribers: string[]): SubscriptionRegistry & { removed: string[] } {
  const removed: string[] = []
  return {
    removed,
    addConnection: async () => {},
    removeConnection: async (id) => {
      removed.push(id)
    },
    subscribe: async () => {},
    unsubscribe: async () => {},
    subscribersOf: async () => subscribers,
  }
}

const event = { type: 'image.uploaded', groupId: 'g', imageId: 'i', title: 't', imageUrl: 'u' } as const

describe('notifying a group', () => {
  it('tells every subscriber, in parallel but never more than the limit at once', async () => {
    const subscribers = Array.from({ length: 100 }, (_, index) => `c${index}`)
    const notifier = new SlowNotifier()
    const notifications = groupNotifications({
      registry: registryWith(subscribers),
      notifier,
      concurrency: 8,
    })

    const report = await notifications.notifyGroup(event)

    assert.deepEqual(report, { sent: 100, removed: 0 })
    assert.deepEqual([...notifier.sent].sort(), [...subscribers].sort())
    assert.equal(notifier.maxInFlight, 8)
  })

  it('forgets connections that are gone (410) and counts them', async () => {
    const registry = registryWith(['a', 'b', 'c'])
    const notifications = groupNotifications({ registry, notifier: new SlowNotifier(['b']) })

    assert.deepEqual(await notifications.notifyGroup(event), { sent: 2, removed: 1 })
    assert.deepEqual(registry.removed, ['b'])
  })

  it('does nothing for a group nobody watches', async () => {
    const notifier = new SlowNotifier()
    const notifications = groupNotifications({ registry: registryWith([]), notifier })
    assert.deepEqual(await notifications.notifyGroup(event), { sent: 0, removed: 0 })
  })
})
