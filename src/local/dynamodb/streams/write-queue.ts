/** A task of the queue: it must call `done` exactly once, when its write and its record are complete. */
export type QueuedWrite = (done: () => void) => void

/**
 * Runs one table's writes one at a time, in arrival order, so that the item read before a write is
 * still the item that write replaces, and records are appended in the order the writes took effect.
 * Callbacks rather than promises: an idle queue runs its task at once, without a microtask hop. A task
 * that finishes synchronously lets the loop start the next one, so the stack does not grow with the queue.
 */
export class WriteQueue {
  #waiting: QueuedWrite[] = []
  #running = false

  run(task: QueuedWrite): void {
    this.#waiting.push(task)
    if (!this.#running) this.#drain()
  }

  #drain(): void {
    this.#running = true
    for (;;) {
      const task = this.#waiting.shift()
      if (task === undefined) {
        this.#running = false
        return
      }
      let starting = true
      let finishedWhileStarting = false
      let finished = false
      task(() => {
        if (finished) return
        finished = true
        if (starting) finishedWhileStarting = true
        else this.#drain()
      })
      starting = false
      if (!finishedWhileStarting) return
    }
  }
}
