/** The work in flight (handshakes, route invocations, $disconnect), so that closing can wait for it. */
export class TaskTracker {
  readonly #tasks = new Set<Promise<unknown>>()

  track<T>(task: Promise<T>): Promise<T> {
    this.#tasks.add(task)
    const forget = () => this.#tasks.delete(task)
    task.then(forget, forget)
    return task
  }

  /** Settles when nothing is in flight, including work started by the work it waited for. */
  async idle(): Promise<void> {
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks])
  }
}
