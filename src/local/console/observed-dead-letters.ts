import type { DeadLetter, DeadLetterStore } from '../lambda/async/dead-letter-store.ts'
import type { InvocationRecorder } from './invocation-recorder.ts'

/** The dead-letter store, telling the recorder which failed invocation each kept entry came from. */
export function observedDeadLetters(
  store: DeadLetterStore,
  recorder: Pick<InvocationRecorder, 'deadLettered'>,
): DeadLetterStore {
  return {
    add: async (entry: DeadLetter) => {
      await store.add(entry)
      recorder.deadLettered(entry)
    },
    list: () => store.list(),
    get: (id) => store.get(id),
    remove: (id) => store.remove(id),
  }
}
