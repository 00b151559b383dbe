import type { Group } from '#core/groups/group.ts'

let built = 0

/** A valid stored group; each call gets its own id and a later timestamp unless overridden. */
export function aGroup(overrides: Partial<Group> = {}): Group {
  built++
  return {
    id: `group-${built}`,
    name: `Group ${built}`,
    description: 'Photos of the weekend',
    userId: 'user-1',
    timestamp: new Date(Date.UTC(2026, 0, 1) + built * 1000).toISOString(),
    ...overrides,
  }
}

/** A valid `POST /groups` body; pass `undefined` for a field to leave it out. */
export function aNewGroupBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return withoutUndefined({ name: 'Holidays', description: 'Photos of the weekend', ...overrides })
}

export function withoutUndefined(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined))
}
