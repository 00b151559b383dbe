/** A fixed number of slots; pushing into a full buffer drops the oldest item (told to `onEvict`). */
export class RingBuffer<T> {
  readonly capacity: number
  readonly #slots: Array<T | undefined>
  readonly #onEvict: ((item: T) => void) | undefined
  #next = 0
  #size = 0

  constructor(capacity: number, onEvict?: (item: T) => void) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('RingBuffer: capacity must be 1 or more')
    this.capacity = capacity
    this.#slots = new Array<T | undefined>(capacity)
    this.#onEvict = onEvict
  }

  get size(): number {
    return this.#size
  }

  push(item: T): void {
    const evicted = this.#slots[this.#next]
    if (this.#size === this.capacity && evicted !== undefined) this.#onEvict?.(evicted)
    this.#slots[this.#next] = item
    this.#next = (this.#next + 1) % this.capacity
    if (this.#size < this.capacity) this.#size++
  }

  *newestFirst(): Generator<T> {
    for (let index = 1; index <= this.#size; index++) {
      const item = this.#slots[(this.#next - index + this.capacity) % this.capacity]
      if (item !== undefined) yield item
    }
  }
}
