import type { ScheduleClock } from '#local/schedules/schedule-event-sources.ts'

/** A clock that moves only when told, firing the timers that fall due on the way, in time order. */
export class FakeClock implements ScheduleClock {
  #now: number
  #nextId = 1
  readonly #timers = new Map<number, { at: number; callback: () => void }>()
  /** Every delay asked for, in order. */
  readonly delays: number[] = []

  constructor(start: string) {
    this.#now = Date.parse(start)
  }

  now(): Date {
    return new Date(this.#now)
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++
    this.delays.push(ms)
    this.#timers.set(id, { at: this.#now + ms, callback })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number)
  }

  get pendingTimers(): number {
    return this.#timers.size
  }

  /** Moves to `time` (ISO), firing every timer due by then. */
  advanceTo(time: string): void {
    const target = Date.parse(time)
    for (;;) {
      const due = [...this.#timers]
        .filter(([, timer]) => timer.at <= target)
        .sort(([, a], [, b]) => a.at - b.at)[0]
      if (due === undefined) break
      const [id, timer] = due
      this.#timers.delete(id)
      this.#now = Math.max(this.#now, timer.at)
      timer.callback()
    }
    this.#now = target
  }
}
