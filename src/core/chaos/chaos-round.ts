import type { FleetInstance, InstanceFleet, InstanceTag } from '../ports/instance-fleet.ts'

/** `dry-run` decides and reports but terminates nothing; `terminate` does what it decided. */
export type ChaosMode = 'dry-run' | 'terminate'
export const CHAOS_MODES: readonly ChaosMode[] = ['dry-run', 'terminate']

export interface ChaosSettings {
  mode: ChaosMode
  /** Only instances carrying this tag may be chosen: teams opt in, nothing else is ever touched. */
  optInTag: InstanceTag
}

/** A number in [0, 1), as `Math.random` gives; tests pass a seeded one. */
export type RandomSource = () => number

/**
 * What one round decided, for a log line and a metric. `candidates` is how many running, opted-in
 * instances the round chose from.
 */
export type ChaosOutcome =
  | { kind: 'no-candidates'; mode: ChaosMode; candidates: 0 }
  | { kind: 'would-terminate'; mode: 'dry-run'; instanceId: string; candidates: number }
  | { kind: 'terminated'; mode: 'terminate'; instanceId: string; candidates: number }
  | {
      kind: 'failed'
      mode: ChaosMode
      /** Which fleet call failed. */
      step: 'list' | 'terminate'
      /** The instance chosen, when the failure came from terminating it. */
      instanceId?: string
      error: string
      cause: unknown
    }

export type ChaosOutcomeKind = ChaosOutcome['kind']

/**
 * One round of the chaos monkey: among the fleet's running instances that carry the opt-in tag, pick
 * one at random and terminate it, unless in dry-run. Instances are ordered by id before picking, so
 * a given random number picks the same instance whatever order the fleet listed them in. A failing
 * fleet call is an outcome, not a throw, so every round can be logged and counted the same way.
 */
export function chaosRound(deps: { fleet: InstanceFleet; random: RandomSource }) {
  return {
    async run(settings: ChaosSettings): Promise<ChaosOutcome> {
      const { mode, optInTag } = settings
      let listed: FleetInstance[]
      try {
        listed = await deps.fleet.listTaggedInstances(optInTag)
      } catch (error) {
        return { kind: 'failed', mode, step: 'list', error: messageOf(error), cause: error }
      }
      const candidates = listed
        .filter((instance) => isCandidate(instance, optInTag))
        .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0))
      const chosen = candidates[pickIndex(deps.random(), candidates.length)]
      if (chosen === undefined) return { kind: 'no-candidates', mode, candidates: 0 }
      const { instanceId } = chosen
      if (mode === 'dry-run') {
        return { kind: 'would-terminate', mode, instanceId, candidates: candidates.length }
      }
      try {
        await deps.fleet.terminate(instanceId)
      } catch (error) {
        return { kind: 'failed', mode, step: 'terminate', instanceId, error: messageOf(error), cause: error }
      }
      return { kind: 'terminated', mode, instanceId, candidates: candidates.length }
    },
  }
}

/** Running, and carrying exactly the opt-in tag: the only instances a round may ever touch. */
export function isCandidate(instance: FleetInstance, optInTag: InstanceTag): boolean {
  return (
    instance.state === 'running' &&
    Object.hasOwn(instance.tags, optInTag.key) &&
    instance.tags[optInTag.key] === optInTag.value
  )
}

/** An index below `count` from a number in [0, 1); out-of-range numbers are clamped, not trusted. */
function pickIndex(random: number, count: number): number {
  if (count === 0) return 0
  const index = Math.floor((Number.isFinite(random) ? random : 0) * count)
  return Math.min(Math.max(index, 0), count - 1)
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
