import type { GroupRepository } from '../ports/group-repository.ts'
import type { SubscriptionRegistry } from '../ports/subscription-registry.ts'
import { InvalidInputError, NotFoundError } from '../shared/errors.ts'
import { requireObject } from '../shared/text-field.ts'

export interface ConnectionUseCases {
  connect(connectionId: string, userId: string): Promise<void>
  disconnect(connectionId: string): Promise<void>
  /** `{"action": "subscribe", "groupId": "..."}`; throws NotFoundError for a group that does not exist. */
  subscribe(connectionId: string, message: unknown): Promise<{ groupId: string }>
  unsubscribe(connectionId: string, message: unknown): Promise<{ groupId: string }>
}

export function connectionUseCases(deps: {
  registry: SubscriptionRegistry
  groups: GroupRepository
  /** How long a connection and its subscriptions are kept without being renewed. */
  ttlSeconds: number
}): ConnectionUseCases {
  return {
    connect: (connectionId, userId) =>
      deps.registry.addConnection({ connectionId, userId, ttlSeconds: deps.ttlSeconds }),
    disconnect: (connectionId) => deps.registry.removeConnection(connectionId),
    async subscribe(connectionId, message) {
      const groupId = groupIdOf(message)
      if ((await deps.groups.get(groupId)) === undefined)
        throw new NotFoundError(`group ${groupId} does not exist`)
      await deps.registry.subscribe(connectionId, groupId, deps.ttlSeconds)
      return { groupId }
    },
    async unsubscribe(connectionId, message) {
      const groupId = groupIdOf(message)
      await deps.registry.unsubscribe(connectionId, groupId)
      return { groupId }
    },
  }
}

function groupIdOf(message: unknown): string {
  const body = requireObject(message, 'message')
  const groupId = body.groupId
  if (typeof groupId !== 'string' || groupId.length === 0 || groupId.length > 128) {
    throw new InvalidInputError('groupId must be a string of 1 to 128 characters')
  }
  return groupId
}
