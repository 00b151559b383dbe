import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import { closeIteratorsOnReturn } from '#local/dynamodb/dynalite-iterator-fix.ts'

const requireFromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'))
const memoryLevelPath = requireFromDynalite.resolve('memory-level')
const abstractLevel = createRequire(memoryLevelPath)('abstract-level') as Record<string, unknown>
const { MemoryLevel } = createRequire(import.meta.url)(memoryLevelPath) as {
  MemoryLevel: new () => {
    put(key: string, value: string): Promise<void>
    values(): { next(): Promise<string | undefined>; return?: () => Promise<void> }
    close(): Promise<void>
  }
}

describe("dynalite's LevelDB iterators", () => {
  it('close when dynalite ends a stream with return(), so Queries and Scans do not leak them', async () => {
    closeIteratorsOnReturn(abstractLevel)
    const db = new MemoryLevel()
    await db.put('a', '1')
    await db.put('b', '2')
    const iterator = db.values()
    assert.equal(await iterator.next(), '1')

    assert.equal(typeof iterator.return, 'function')
    await iterator.return?.()

    await assert.rejects(iterator.next(), { code: 'LEVEL_ITERATOR_NOT_OPEN' })
    await db.close()
  })
})
