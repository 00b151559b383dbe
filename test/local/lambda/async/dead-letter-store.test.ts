import assert from 'node:assert/strict'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  type DeadLetterStore,
  DiskDeadLetterStore,
  MemoryDeadLetterStore,
} from '#local/lambda/async/dead-letter-store.ts'
import { aDeadLetter } from './async-fixture.ts'

let root: string
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'udagram-dead-letters-'))
})
after(() => rm(root, { recursive: true, force: true }))

let stores = 0
const implementations: Array<[string, () => DeadLetterStore]> = [
  ['on disk', () => new DiskDeadLetterStore(join(root, `store-${++stores}`))],
  ['in memory', () => new MemoryDeadLetterStore()],
]

for (const [kind, aStore] of implementations) {
  describe(`dead-letter store ${kind}`, () => {
    it('gives back what was added, as a copy', async () => {
      const store = aStore()
      const entry = aDeadLetter({ destination: { type: 'sqs', arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } } })

      await store.add(entry)
      const got = await store.get(entry.id)

      assert.deepEqual(got, entry)
      assert.notEqual(got, entry)
    })

    it('lists the oldest failure first', async () => {
      const store = aStore()
      const late = aDeadLetter({ id: 'b-late', failedAt: '2026-11-25T12:00:00.000Z' })
      const early = aDeadLetter({ id: 'z-early', failedAt: '2026-11-25T09:00:00.000Z' })

      await store.add(late)
      await store.add(early)

      assert.deepEqual(
        (await store.list()).map((entry) => entry.id),
        ['z-early', 'b-late'],
      )
    })

    it('removes an entry once, and knows nothing of unknown ids', async () => {
      const store = aStore()
      await store.add(aDeadLetter())

      assert.equal(await store.remove(aDeadLetter().id), true)
      assert.equal(await store.remove(aDeadLetter().id), false)
      assert.equal(await store.get(aDeadLetter().id), undefined)
      assert.equal(await store.get('../../endpoints'), undefined)
      assert.deepEqual(await store.list(), [])
    })

    it('refuses an id that could not be a file name', async () => {
      await assert.rejects(aStore().add(aDeadLetter({ id: '../escape' })), /letters, digits and dashes/)
    })
  })
}

describe('dead-letter store on disk, across restarts and edits', () => {
  it('keeps its entries for a new store on the same folder, with no temporary files left', async () => {
    const dataDir = join(root, 'restart')
    await new DiskDeadLetterStore(dataDir).add(aDeadLetter())

    const reopened = new DiskDeadLetterStore(dataDir)

    assert.deepEqual(await reopened.list(), [aDeadLetter()])
    assert.deepEqual(await readdir(reopened.dir), [`${aDeadLetter().id}.json`])
  })

  it('lists nothing before the first entry', async () => {
    assert.deepEqual(await new DiskDeadLetterStore(join(root, 'never-used')).list(), [])
  })

  it('names a file that is not an entry instead of reading half of it', async () => {
    const store = new DiskDeadLetterStore(join(root, 'edited'))
    await store.add(aDeadLetter())
    await writeFile(join(store.dir, 'hand-edited.json'), '{"id": "hand-edited"}')

    await assert.rejects(store.list(), /hand-edited\.json is not a dead letter entry/)
  })
})
