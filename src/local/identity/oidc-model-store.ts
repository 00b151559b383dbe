import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Adapter, AdapterPayload } from 'oidc-provider'

interface Entry {
  payload: AdapterPayload
  /** Epoch milliseconds; absent: kept until destroyed. */
  expiresAt?: number
}

/**
 * Where oidc-provider keeps its models (Session, Grant, RefreshToken, AuthorizationCode,
 * Interaction…): in memory, and, given a folder, also one JSON file per model, rewritten whole after
 * each change, so a restarted local cloud still knows its sessions and refresh tokens. A development
 * provider holds a handful of entries, so whole-file writes and scans (for `revokeByGrantId`) are cheap.
 */
export class OidcModelStore {
  readonly #models = new Map<string, Map<string, Entry>>()
  readonly #dir: string | undefined
  readonly #now: () => number
  /** One write chain per model: files are written in the order of the changes. */
  readonly #writes = new Map<string, Promise<void>>()

  private constructor(dir: string | undefined, now: () => number) {
    this.#dir = dir
    this.#now = now
  }

  /** A store kept in `dir` (loaded from it when it exists), or in memory only without `dir`. */
  static async open(dir?: string, now: () => number = Date.now): Promise<OidcModelStore> {
    const store = new OidcModelStore(dir, now)
    if (dir === undefined) return store
    await mkdir(dir, { recursive: true })
    for (const file of await readdir(dir)) {
      if (!file.endsWith('.json')) continue
      const entries = JSON.parse(await readFile(join(dir, file), 'utf8')) as Record<string, Entry>
      store.#models.set(file.slice(0, -'.json'.length), new Map(Object.entries(entries)))
    }
    return store
  }

  /** oidc-provider's `adapter` option: called with each model's name. */
  readonly adapterFor = (model: string): Adapter => new ModelAdapter(this, model)

  /** Resolves once every change so far is on disk. */
  async flush(): Promise<void> {
    await Promise.all(this.#writes.values())
  }

  get(model: string, id: string): AdapterPayload | undefined {
    const entries = this.#models.get(model)
    const entry = entries?.get(id)
    if (entry === undefined) return undefined
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.#now()) {
      entries?.delete(id)
      return undefined
    }
    // A copy, as a database would answer: oidc-provider may change what it got before it saves.
    return structuredClone(entry.payload)
  }

  set(model: string, id: string, payload: AdapterPayload, expiresInSeconds?: number): void {
    const entries = this.#models.get(model) ?? new Map<string, Entry>()
    this.#models.set(model, entries)
    entries.set(id, {
      payload: structuredClone(payload),
      ...(expiresInSeconds !== undefined && { expiresAt: this.#now() + expiresInSeconds * 1000 }),
    })
    this.#persist(model)
  }

  update(model: string, id: string, change: (payload: AdapterPayload) => void): void {
    const entry = this.#models.get(model)?.get(id)
    if (entry === undefined) return
    change(entry.payload)
    this.#persist(model)
  }

  delete(model: string, id: string): void {
    if (this.#models.get(model)?.delete(id)) this.#persist(model)
  }

  find(model: string, matches: (payload: AdapterPayload) => boolean): string | undefined {
    for (const [id, entry] of this.#models.get(model) ?? []) {
      if (matches(entry.payload)) return id
    }
    return undefined
  }

  /** Removes every entry of every model issued under `grantId`. */
  deleteByGrantId(grantId: string): void {
    for (const [model, entries] of this.#models) {
      let changed = false
      for (const [id, entry] of entries) {
        if (entry.payload.grantId === grantId) changed = entries.delete(id) || changed
      }
      if (changed) this.#persist(model)
    }
  }

  #persist(model: string): void {
    const dir = this.#dir
    if (dir === undefined) return
    const previous = this.#writes.get(model) ?? Promise.resolve()
    const next = previous.then(async () => {
      const now = this.#now()
      const live = [...(this.#models.get(model) ?? [])].filter(
        ([, entry]) => entry.expiresAt === undefined || entry.expiresAt > now,
      )
      const file = join(dir, `${model}.json`)
      const temporary = `${file}.${process.pid}.tmp`
      await writeFile(temporary, JSON.stringify(Object.fromEntries(live)), { mode: 0o600 })
      // A crash mid-write leaves the previous file whole: the rename replaces it in one step.
      await rename(temporary, file)
    })
    this.#writes.set(
      model,
      next.catch((error: unknown) => {
        console.error(`local identity: could not save ${model}:`, error)
      }),
    )
  }
}

class ModelAdapter implements Adapter {
  readonly #store: OidcModelStore
  readonly #model: string

  constructor(store: OidcModelStore, model: string) {
    this.#store = store
    this.#model = model
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.#store.set(this.#model, id, payload, expiresIn)
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.#store.get(this.#model, id)
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = this.#store.find(this.#model, (payload) => payload.uid === uid)
    return id === undefined ? undefined : this.#store.get(this.#model, id)
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = this.#store.find(this.#model, (payload) => payload.userCode === userCode)
    return id === undefined ? undefined : this.#store.get(this.#model, id)
  }

  async consume(id: string): Promise<void> {
    const consumed = Math.floor(Date.now() / 1000)
    this.#store.update(this.#model, id, (payload) => {
      payload.consumed = consumed
    })
  }

  async destroy(id: string): Promise<void> {
    this.#store.delete(this.#model, id)
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.#store.deleteByGrantId(grantId)
  }
}
