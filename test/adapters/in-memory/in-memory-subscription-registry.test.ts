import { describe } from 'node:test'
import { InMemorySubscriptionRegistry } from '#adapters/in-memory/in-memory-subscription-registry.ts'
import { subscriptionRegistryContract } from '#test/contracts/subscription-registry.contract.ts'

describe('InMemorySubscriptionRegistry', () => {
  subscriptionRegistryContract(({ clock }) => new InMemorySubscriptionRegistry({ clock }))
})
