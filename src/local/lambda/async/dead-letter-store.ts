import { randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { InvocationOutcome } from '../invocation.ts'

/**
 * Why an event was given up on. The first two are the `requestContext.condition` values Lambda
 * writes into its on-failure destination records; `Interrupted` is local: the local cloud stopped
 * while the event waited for a retry, so it is kept for a replay instead of being lost.
 */
export type DeadLetterCondition = 'RetriesExhausted' | 'EventAgeExceeded' | 'Interrupted'

export interface DeadLetterError {
  /** The outcome of the last attempt; `not-invoked` when the local cloud stopped before the first. */
  kind: 'error' | 'timeout' | 'crash' | 'not-invoked'
  /** The error's name (`errorType`), for handler errors. */
  type?: string
  message: string
}

/** An asynchronous invocation Lambda gave up on, with what is needed to show and replay it. */
export interface DeadLetter {
  /** The event id `invokeAsync` returned. */
  id: string
  functionName: string
  /** The event source that invoked the function: `sns`, `s3`… */
  source: string
  event: unknown
  attempts: number
  /** ISO time of the first attempt (of arrival, when there was none). */
  firstAttemptAt: string
  failedAt: string
  condition: DeadLetterCondition
  lastError: DeadLetterError
  /**
   * The function's `destinations.onFailure` (else `onError`) exactly as serverless.ts writes it, for
   * display: it says where AWS would have sent this event. The local cloud keeps it here instead.
   */
  destination?: unknown
}

/** How the last failed attempt is kept in a dead letter. */
export function deadLetterErrorOf(outcome: Exclude<InvocationOutcome, { kind: 'ok' }>): DeadLetterError {
  switch (outcome.kind) {
    case 'error':
      return { kind: 'error', type: outcome.errorType, message: outcome.errorMessage }
    case 'timeout':
      // Lambda's own wording.
      return { kind: 'timeout', message: `Task timed out after ${outcome.timeoutSeconds.toFixed(2)} seconds` }
    case 'crash':
      return { kind: 'crash', message: outcome.errorMessage }
  }
}

/** Where failed asynchronous invocations are kept until they are replayed or removed. */
export interface DeadLetterStore {
  add(entry: DeadLetter): Promise<void>
  /** Oldest failure first. */
  list(): Promise<DeadLetter[]>
  get(id: string): Promise<DeadLetter | undefined>
  /** True when there was such an entry. */
  remove(id: string): Promise<boolean>
}

/** Event ids are UUIDs; anything else (a path from an HTTP request, say) names no entry and no file. */
const ID = /^[0-9A-Za-z-]{1,64}$/

export function isDeadLetterId(id: string): boolean {
  return ID.test(id)
}

/**
 * One JSON file per entry, `<dataDir>/dead-letters/<id>.json`, so the entries survive a restart and
 * can be read by `npm run dlq` while the local cloud is down. Each file is written under a temporary
 * name, flushed, then renamed: a crash leaves the old state or the new one, never half a file.
 */
export class DiskDeadLetterStore implements DeadLetterStore {
  readonly dir: string

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'dead-letters')
  }

  async add(entry: DeadLetter): Promise<void> {
    assertId(entry.id)
    await mkdir(this.dir, { recursive: true })
    const temporary = join(this.dir, `.${entry.id}.${randomUUID()}.tmp`)
    try {
      await writeFile(temporary, `${JSON.stringify(entry, null, 2)}\n`, { flush: true })
      await rename(temporary, this.#fileOf(entry.id))
    } catch (error) {
      await rm(temporary, { force: true })
      throw error
    }
  }

  async list(): Promise<DeadLetter[]> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch (error) {
      if (isNotFound(error)) return []
      throw error
    }
    const entries: DeadLetter[] = []
    for (const name of names) {
      if (name.startsWith('.') || !name.endsWith('.json')) continue
      const entry = await this.get(name.slice(0, -'.json'.length))
      if (entry !== undefined) entries.push(entry)
    }
    return sortByFailure(entries)
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    if (!isDeadLetterId(id)) return undefined
    const file = this.#fileOf(id)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
    return parseDeadLetter(text, file)
  }

  async remove(id: string): Promise<boolean> {
    if (!isDeadLetterId(id)) return false
    try {
      await rm(this.#fileOf(id))
      return true
    } catch (error) {
      if (isNotFound(error)) return false
      throw error
    }
  }

  #fileOf(id: string): string {
    return join(this.dir, `${id}.json`)
  }
}

/** For `--in-memory` runs and tests. Entries are kept as JSON, so they come back as copies, as from disk. */
export class MemoryDeadLetterStore implements DeadLetterStore {
  readonly #entries = new Map<string, string>()

  async add(entry: DeadLetter): Promise<void> {
    assertId(entry.id)
    this.#entries.set(entry.id, JSON.stringify(entry))
  }

  async list(): Promise<DeadLetter[]> {
    return sortByFailure(
      [...this.#entries.entries()].map(([id, text]) => parseDeadLetter(text, `dead letter ${id}`)),
    )
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    const text = this.#entries.get(id)
    return text === undefined ? undefined : parseDeadLetter(text, `dead letter ${id}`)
  }

  async remove(id: string): Promise<boolean> {
    return this.#entries.delete(id)
  }
}

function assertId(id: string): void {
  if (!isDeadLetterId(id)) throw new Error(`dead letter id "${id}" is not letters, digits and dashes`)
}

function sortByFailure(entries: DeadLetter[]): DeadLetter[] {
  return entries.sort((a, b) => a.failedAt.localeCompare(b.failedAt) || a.id.localeCompare(b.id))
}

const CONDITIONS = new Set<string>(['RetriesExhausted', 'EventAgeExceeded', 'Interrupted'])
const ERROR_KINDS = new Set<string>(['error', 'timeout', 'crash', 'not-invoked'])

/** Files can be edited by hand: a malformed one is named, not half-read. */
function parseDeadLetter(text: string, where: string): DeadLetter {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new Error(`${where} is not valid JSON; fix or delete it`)
  }
  const entry = value as Partial<DeadLetter> | null
  const lastError = entry?.lastError as Partial<DeadLetterError> | undefined
  const valid =
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.id === 'string' &&
    isDeadLetterId(entry.id) &&
    typeof entry.functionName === 'string' &&
    typeof entry.source === 'string' &&
    'event' in entry &&
    Number.isInteger(entry.attempts) &&
    typeof entry.firstAttemptAt === 'string' &&
    typeof entry.failedAt === 'string' &&
    typeof entry.condition === 'string' &&
    CONDITIONS.has(entry.condition) &&
    typeof lastError?.kind === 'string' &&
    ERROR_KINDS.has(lastError.kind) &&
    typeof lastError.message === 'string'
  if (!valid) throw new Error(`${where} is not a dead letter entry; fix or delete it`)
  return entry as DeadLetter
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT'
}
