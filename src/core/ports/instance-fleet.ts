/** The lifecycle states EC2 reports for an instance. */
/** EC2's instance states, in its own words. */
export const INSTANCE_STATES = [
  'pending',
  'running',
  'shutting-down',
  'terminated',
  'stopping',
  'stopped',
] as const
export type InstanceState = (typeof INSTANCE_STATES)[number]

export interface FleetInstance {
  instanceId: string
  state: InstanceState
  tags: Readonly<Record<string, string>>
}

/** A tag an instance carries: `key` = `value`. */
export interface InstanceTag {
  key: string
  value: string
}

/**
 * The machines the chaos monkey may prey on. On AWS, EC2 instances; locally, a fleet described in a
 * file, so a developer can watch a round change it.
 */
export interface InstanceFleet {
  /**
   * The running instances that carry `tag`, every page of them. Callers still check state and tag
   * on what comes back: a fleet that filters loosely must not widen what may be terminated.
   */
  listTaggedInstances(tag: InstanceTag): Promise<FleetInstance[]>
  /** Asks for one instance to be terminated; resolves once the request is accepted. */
  terminate(instanceId: string): Promise<void>
}
