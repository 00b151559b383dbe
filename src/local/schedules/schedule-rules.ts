import type { ServiceDefinition } from '../serverless/service-definition.ts'

/** One `schedule` expression of one function, as the local cloud runs it. */
export interface ScheduleRule {
  functionName: string
  /** The rule's name: the event's `name`, else one made from the service, stage and function. */
  name: string
  expression: string
  /** The event's `input`, which replaces the scheduled event; undefined: the scheduled event. */
  input: unknown
}

/**
 * The enabled schedules of serverless.ts's functions. `enabled: false` (or the string 'false' a param
 * gives, which osls coerces the same way) leaves a schedule out, as its rule is DISABLED on AWS.
 * `inputPath` and `inputTransformer` are refused rather than ignored: the function would get another
 * event than on AWS.
 */
export function scheduleRulesFrom(definition: ServiceDefinition): ScheduleRule[] {
  const rules: ScheduleRule[] = []
  for (const [functionName, fn] of definition.functions) {
    let ordinal = 0
    for (const event of fn.events) {
      if (!('schedule' in event) || event.schedule === undefined) continue
      ordinal += 1
      const where = `serverless.ts: ${functionName}'s schedule event ${ordinal}`
      const schedule: Record<string, unknown> =
        typeof event.schedule === 'string' ? { rate: [event.schedule] } : { ...event.schedule }
      if (!enabledOf(schedule.enabled, where)) continue
      for (const key of ['inputPath', 'inputTransformer']) {
        if (schedule[key] !== undefined)
          throw new Error(`${where}: ${key} is not supported by the local cloud`)
      }
      const expressions = Array.isArray(schedule.rate) ? schedule.rate : [schedule.rate]
      for (const [index, expression] of expressions.entries()) {
        if (typeof expression !== 'string') throw new Error(`${where}: rate must hold expression strings`)
        const suffix = expressions.length > 1 ? `-${index + 1}` : ''
        rules.push({
          functionName,
          name:
            typeof schedule.name === 'string'
              ? schedule.name
              : `${definition.service}-${definition.stage}-${functionName}-schedule-${ordinal}${suffix}`,
          expression,
          input: inputOf(schedule.input, where),
        })
      }
    }
  }
  return rules
}

function enabledOf(value: unknown, where: string): boolean {
  if (value === undefined || value === true || value === 'true') return true
  if (value === false || value === 'false') return false
  throw new Error(`${where}: enabled must be true or false, got ${JSON.stringify(value)}`)
}

/** As osls compiles it: a string is the JSON text of the event; an object's string `body` is parsed. */
function inputOf(input: unknown, where: string): unknown {
  if (input === undefined) return undefined
  try {
    if (typeof input === 'string') return JSON.parse(input)
    if (typeof input === 'object' && input !== null && 'body' in input && typeof input.body === 'string') {
      return { ...input, body: JSON.parse(input.body) }
    }
  } catch (error) {
    throw new Error(`${where}: input is not JSON (${(error as Error).message})`)
  }
  return input
}
