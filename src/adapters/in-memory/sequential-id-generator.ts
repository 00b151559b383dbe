import type { IdGenerator } from '#core/ports/id-generator.ts'

/** Hands out `<prefix>-1`, `<prefix>-2`, … so tests can name the ids they expect. */
export class SequentialIdGenerator implements IdGenerator {
  readonly #prefix: string
  #next = 1

  constructor(prefix = 'id') {
    this.#prefix = prefix
  }

  newId(): string {
    return `${this.#prefix}-${this.#next++}`
  }
}
