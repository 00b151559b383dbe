/**
 * EventBridge's six-field cron expressions (`cron(minutes hours day-of-month month day-of-week year)`,
 * UTC), parsed and stepped through for the local cloud. Hand-written: no cron parser is a dependency
 * of this project, and the common ones read five- or six-field Unix syntax (seconds first, Sunday as 0,
 * no year), which differs from EventBridge's in ways that would fire at the wrong times.
 *
 * Supported: numbers, `*`, `?` (in one of the two day fields), lists (`,`), ranges (`-`), steps
 * (`*\/5`, `0/15`, `10-40/10`), month names JAN-DEC and day names SUN-SAT (1 = Sunday). Not
 * supported locally, and refused with an error that says so: `L`, `W` and `#`.
 */
export interface CronSchedule {
  /** The first time strictly after `after`, at a whole minute; undefined if none before 2200. */
  nextAfter(after: Date): Date | undefined
}

interface FieldSpec {
  name: string
  min: number
  max: number
  names?: readonly string[]
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

const FIELDS: readonly FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS },
  { name: 'year', min: 1970, max: 2199 },
]

const MINUTE_MS = 60_000

/** `fields`: the text between `cron(` and `)`. Throws naming the field at fault. */
export function parseAwsCron(fields: string): CronSchedule {
  const parts = fields.trim().split(/\s+/)
  if (parts.length !== 6) {
    throw new Error(
      `cron(${fields}) must have six fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`,
    )
  }
  const [minuteText, hourText, domText, monthText, dowText, yearText] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ]
  if ((domText === '?') === (dowText === '?')) {
    throw new Error(
      `cron(${fields}): exactly one of day-of-month and day-of-week must be ?, as EventBridge requires`,
    )
  }
  const [minuteSpec, hourSpec, domSpec, monthSpec, dowSpec, yearSpec] = FIELDS as [
    FieldSpec,
    FieldSpec,
    FieldSpec,
    FieldSpec,
    FieldSpec,
    FieldSpec,
  ]
  const minutes = parseField(minuteText, minuteSpec, fields)
  const hours = parseField(hourText, hourSpec, fields)
  const daysOfMonth = domText === '?' ? undefined : parseField(domText, domSpec, fields)
  const months = parseField(monthText, monthSpec, fields)
  const daysOfWeek = dowText === '?' ? undefined : parseField(dowText, dowSpec, fields)
  const years = parseField(yearText, yearSpec, fields)

  const dayMatches = (time: Date) =>
    daysOfMonth !== undefined
      ? daysOfMonth.has(time.getUTCDate())
      : (daysOfWeek?.has(time.getUTCDay() + 1) ?? false)

  return {
    nextAfter(after) {
      let time = new Date((Math.floor(after.getTime() / MINUTE_MS) + 1) * MINUTE_MS)
      // Each miss jumps to the start of the next year, month, day, hour or minute: a few thousand
      // steps at most, even for an expression that never matches again.
      for (;;) {
        const year = time.getUTCFullYear()
        const month = time.getUTCMonth()
        const day = time.getUTCDate()
        const hour = time.getUTCHours()
        if (year > yearSpec.max) return undefined
        if (!years.has(year)) time = new Date(Date.UTC(year + 1, 0, 1))
        else if (!months.has(month + 1)) time = new Date(Date.UTC(year, month + 1, 1))
        else if (!dayMatches(time)) time = new Date(Date.UTC(year, month, day + 1))
        else if (!hours.has(hour)) time = new Date(Date.UTC(year, month, day, hour + 1))
        else if (!minutes.has(time.getUTCMinutes())) time = new Date(time.getTime() + MINUTE_MS)
        else return time
      }
    },
  }
}

function parseField(text: string, spec: FieldSpec, expression: string): Set<number> {
  const fail = (why: string): never => {
    throw new Error(`cron(${expression}): ${spec.name} "${text}" ${why}`)
  }
  if (
    /[LW#]/i.test(
      text.replace(/[A-Z]{3}/gi, (name) => (spec.names?.includes(name.toUpperCase()) ? '' : name)),
    )
  ) {
    fail('uses L, W or #, which the local cloud does not support')
  }
  if (text === '?') fail('may be ? only in day-of-month or day-of-week')
  const values = new Set<number>()
  for (const part of text.split(',')) {
    const match = /^(\*|[^-/]+(?:-[^-/]+)?)(?:\/(\d+))?$/.exec(part)
    if (match === null) fail(`has an invalid part "${part}"`)
    const [, range = '', stepText] = match as RegExpExecArray
    const step = stepText === undefined ? 1 : Number(stepText)
    if (!(step >= 1)) fail(`has a step of ${stepText}, which must be 1 or more`)
    let from: number
    let to: number
    if (range === '*') {
      from = spec.min
      to = spec.max
    } else {
      const [start = '', end] = range.split('-')
      from = fieldValue(start, spec, fail)
      // `5/15` means from 5 to the end of the field, every 15.
      to = end !== undefined ? fieldValue(end, spec, fail) : stepText !== undefined ? spec.max : from
    }
    if (from > to) fail(`has a range ${range} that ends before it starts`)
    for (let value = from; value <= to; value += step) values.add(value)
  }
  return values
}

function fieldValue(text: string, spec: FieldSpec, fail: (why: string) => never): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1
  const value = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!(value >= spec.min && value <= spec.max)) {
    fail(`has "${text}", outside ${spec.min}-${spec.max}${spec.names ? ` or ${spec.names.join(', ')}` : ''}`)
  }
  return value
}
