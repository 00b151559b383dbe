import { type CronSchedule, parseAwsCron } from './aws-cron.ts'

export type Schedule = CronSchedule & { expression: string }

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }

/**
 * A `rate(...)` or `cron(...)` schedule expression, as EventBridge reads it. A rate counts from
 * `start` (EventBridge counts from when the rule is created; locally, from when the local cloud
 * starts): `rate(5 minutes)` fires 5, 10, 15... minutes later. Throws on anything else, naming it.
 */
export function parseScheduleExpression(expression: string, start: Date): Schedule {
  const text = expression.trim()
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(text)
  if (rate !== null) {
    const [, countText = '', unitText = ''] = rate
    const count = Number(countText)
    const unit = unitText.replace(/s$/, '') as keyof typeof UNIT_MS
    // EventBridge's grammar: a singular unit for 1, a plural one otherwise (osls checks the same).
    if (count < 1 || (count === 1) !== (unit === unitText)) {
      throw new Error(`${text}: write rate(1 ${unit}) or rate(<n> ${unit}s) with n greater than 1`)
    }
    const periodMs = count * UNIT_MS[unit]
    return {
      expression: text,
      nextAfter: (after) => {
        const periods = Math.floor((after.getTime() - start.getTime()) / periodMs) + 1
        return new Date(start.getTime() + Math.max(periods, 1) * periodMs)
      },
    }
  }
  const cron = /^cron\((.*)\)$/.exec(text)
  if (cron !== null) return { expression: text, ...parseAwsCron(cron[1] ?? '') }
  throw new Error(`"${expression}" is neither rate(<n> <unit>) nor cron(<six fields>)`)
}
