import { type EventLogger, stderrEventLogger } from '../events/event-logger.ts'
import { asyncConfigsFrom } from '../lambda/async/async-config.ts'
import { AsyncInvoker } from '../lambda/async/async-invoker.ts'
import type { DeadLetterStore } from '../lambda/async/dead-letter-store.ts'
import type { FunctionInvoker } from '../lambda/invocation.ts'
import type { ServiceDefinition } from '../serverless/service-definition.ts'
import { parseScheduleExpression, type Schedule } from './schedule-expression.ts'
import { type ScheduleRule, scheduleRulesFrom } from './schedule-rules.ts'
import { ruleArn, scheduledEvent } from './scheduled-event.ts'

/** The time and timers schedules run on; tests pass a fake one and move it forward. */
export interface ScheduleClock {
  now(): Date
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: ScheduleClock = {
  now: () => new Date(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

/** Node fires a longer timeout at once (with a warning); longer waits are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1

export interface ScheduleEventSources {
  /** What is scheduled, for a start-up line: `ChaosMonkey cron(...) next 2026-11-25T10:00:00Z`. */
  rules: ReadonlyArray<ScheduleRule & { next: Date | undefined }>
  /** Resolves once no fired event is being tried or waiting for a retry. */
  whenIdle(): Promise<void>
  /**
   * Cancels what has not fired; attempts in flight finish, and events waiting for a retry go to the
   * dead-letter store (as the other asynchronous event sources do). Call it before stopping Lambda.
   */
  stop(): Promise<void>
}

/**
 * The `schedule` events of serverless.ts: each enabled expression fires its function with the
 * EventBridge scheduled event (or its `input`), invoked asynchronously as EventBridge invokes it, so
 * `maximumRetryAttempts`, `maximumEventAge` and the dead-letter store apply as to SNS events.
 * Schedules run on UTC, like EventBridge rules. A bad expression fails the start, naming it.
 */
export function startScheduleEventSources(options: {
  definition: ServiceDefinition
  functions: FunctionInvoker
  /** Where events given up on are kept (shared with the other event sources). */
  deadLetters: DeadLetterStore
  accountId: string
  clock?: ScheduleClock
  /** Waits between retries (see AsyncInvoker); its defaults otherwise. */
  retryDelaysMs?: number[]
  logger?: EventLogger
}): ScheduleEventSources {
  const { definition, accountId } = options
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? stderrEventLogger('local-schedules')
  const start = clock.now()
  const scheduled = scheduleRulesFrom(definition).map((rule) => {
    try {
      return { rule, schedule: parseScheduleExpression(rule.expression, start) }
    } catch (error) {
      throw new Error(`serverless.ts: ${rule.functionName}'s schedule: ${(error as Error).message}`)
    }
  })
  const asyncInvoker = new AsyncInvoker({
    invoker: options.functions,
    functions: definition.functions,
    deadLetters: options.deadLetters,
    asyncConfig: asyncConfigsFrom(definition.config.functions),
    now: () => clock.now(),
    logger,
    ...(options.retryDelaysMs && { retryDelaysMs: options.retryDelaysMs }),
  })
  const timers = new Set<unknown>()
  let stopped = false

  const fire = (rule: ScheduleRule, at: Date) => {
    const arn = ruleArn({ region: definition.region, accountId, name: rule.name })
    const event =
      rule.input ?? scheduledEvent({ time: at, region: definition.region, accountId, ruleArn: arn })
    asyncInvoker.invokeAsync(rule.functionName, event, { source: 'aws.events' })
  }

  const arm = (rule: ScheduleRule, schedule: Schedule, after: Date): Date | undefined => {
    const next = schedule.nextAfter(after)
    if (next === undefined) return undefined
    const wait = () => {
      if (stopped) return
      const delayMs = next.getTime() - clock.now().getTime()
      const handle = clock.setTimeout(
        () => {
          timers.delete(handle)
          if (stopped) return
          if (delayMs > MAX_TIMEOUT_MS) return wait()
          fire(rule, next)
          // A late timer (a machine asleep) fires once, not once per missed time, as EventBridge does.
          const now = clock.now()
          arm(rule, schedule, new Date(Math.max(now.getTime(), next.getTime())))
        },
        Math.min(Math.max(delayMs, 0), MAX_TIMEOUT_MS),
      )
      timers.add(handle)
    }
    wait()
    return next
  }

  const rules = scheduled.map(({ rule, schedule }) => ({ ...rule, next: arm(rule, schedule, start) }))
  return {
    rules,
    whenIdle: () => asyncInvoker.whenIdle(),
    stop: async () => {
      stopped = true
      for (const handle of timers) clock.clearTimeout(handle)
      timers.clear()
      await asyncInvoker.stop()
    },
  }
}
