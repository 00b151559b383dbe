import type { Clock } from '#core/ports/clock.ts'

const DEFAULT_START = '2026-01-01T00:00:00.000Z'

/** A clock that is always at the same instant: every timestamp a test sees is known in advance. */
export class FixedClock implements Clock {
  readonly #time: number

  constructor(at: Date | string = DEFAULT_START) {
    this.#time = new Date(at).getTime()
  }

  now(): Date {
    return new Date(this.#time)
  }
}

/**
 * A clock that moves forward by `stepMs` after each reading (0 keeps it still until `advance` is
 * called), for tests that need distinct or equal creation times on purpose.
 */
export class SteppingClock implements Clock {
  #time: number
  readonly #stepMs: number

  constructor(start: Date | string = DEFAULT_START, options: { stepMs?: number } = {}) {
    this.#time = new Date(start).getTime()
    this.#stepMs = options.stepMs ?? 1000
  }

  now(): Date {
    const reading = new Date(this.#time)
    this.#time += this.#stepMs
    return reading
  }

  advance(ms: number): void {
    this.#time += ms
  }
}
