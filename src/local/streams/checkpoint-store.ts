import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

/** Where one event source mapping is in its table's stream. */
export interface Checkpoint {
  /**
   * The stream the position is in. Sequence numbers of a stream recreated under a new label are not
   * comparable with the old one's, so a checkpoint of another stream is dropped rather than trusted.
   */
  streamArn: string
  /**
   * The SequenceNumber of the last record the mapping is done with (delivered, filtered out or given
   * up on); null when there is none yet: the mapping reads from the oldest record kept.
   */
  after: string | null
}

/**
 * The checkpoints of the event source mappings, by mapping id. With a data folder they are kept in
 * `<dataDir>/streams/checkpoints.json`, so a restart resumes each mapping where it was; the file is
 * written under a temporary name, flushed, then renamed: a crash leaves the old state or the new one,
 * never half a file. Without one, they live in memory.
 */
export class CheckpointStore {
  readonly file: string | undefined
  readonly #entries: Map<string, Checkpoint>
  /** The entries as the file last written holds them. */
  #saved: Map<string, Checkpoint>
  /** The write under way (or the last one), settled either way. */
  #writing: Promise<void> = Promise.resolve()
  /** A write queued behind it, which will save every change made until it starts. */
  #queued: Promise<void> | undefined

  private constructor(file: string | undefined, entries: Map<string, Checkpoint>) {
    this.file = file
    this.#entries = entries
    this.#saved = new Map(entries)
  }

  /** Reads the checkpoints a previous run left; throws, naming the file, when it is not a checkpoint file. */
  static async open(dataDir: string | undefined): Promise<CheckpointStore> {
    if (dataDir === undefined) return new CheckpointStore(undefined, new Map())
    const file = join(dataDir, 'streams', 'checkpoints.json')
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new CheckpointStore(file, new Map())
      throw error
    }
    return new CheckpointStore(file, parseCheckpoints(text, file))
  }

  /** The latest checkpoint set, saved or not yet. */
  get(mappingId: string): Checkpoint | undefined {
    const entry = this.#entries.get(mappingId)
    return entry === undefined ? undefined : { ...entry }
  }

  /** The checkpoint a restart would resume from: the one on disk (the latest, without a data folder). */
  saved(mappingId: string): Checkpoint | undefined {
    const entry = this.#saved.get(mappingId)
    return entry === undefined ? undefined : { ...entry }
  }

  /** Resolves once the change is on disk (at once without a data folder). */
  set(mappingId: string, checkpoint: Checkpoint): Promise<void> {
    this.#entries.set(mappingId, { ...checkpoint })
    if (this.file === undefined) {
      this.#saved = this.#entries
      return Promise.resolve()
    }
    if (this.#queued === undefined) {
      const file = this.file
      const queued = this.#writing.then(async () => {
        this.#queued = undefined
        const snapshot = new Map(this.#entries)
        await writeAtomically(file, serialize(snapshot))
        this.#saved = snapshot
      })
      this.#queued = queued
      this.#writing = queued.catch(() => undefined)
    }
    return this.#queued
  }

  /** Resolves once every change made so far is on disk, or failed to be. */
  async flushed(): Promise<void> {
    await (this.#queued ?? this.#writing).catch(() => undefined)
  }
}

function serialize(entries: Map<string, Checkpoint>): string {
  const sorted = [...entries.entries()].sort(([a], [b]) => a.localeCompare(b))
  return `${JSON.stringify(Object.fromEntries(sorted), null, 2)}\n`
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const dir = dirname(file)
  await mkdir(dir, { recursive: true })
  const temporary = join(dir, `.checkpoints.${randomUUID()}.tmp`)
  try {
    await writeFile(temporary, text, { flush: true })
    await rename(temporary, file)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

/** The file can be edited by hand: a malformed one is named, not half-read. */
function parseCheckpoints(text: string, file: string): Map<string, Checkpoint> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new Error(`${file} is not valid JSON; fix or delete it (every mapping then starts over)`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${file} is not an object of checkpoints; fix or delete it`)
  }
  const entries = new Map<string, Checkpoint>()
  for (const [id, entry] of Object.entries(value)) {
    const { streamArn, after } = (entry ?? {}) as Partial<Checkpoint>
    if (typeof streamArn !== 'string' || !(after === null || (typeof after === 'string' && after !== ''))) {
      throw new Error(`${file}: the checkpoint of ${id} is not { streamArn, after }; fix or delete it`)
    }
    entries.set(id, { streamArn, after })
  }
  return entries
}
