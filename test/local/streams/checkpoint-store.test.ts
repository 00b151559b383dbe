import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { CheckpointStore } from '#local/streams/checkpoint-store.ts'

const streamArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/images/stream/2026-11-25T10:00:00.000'
const at = (after: string | null) => ({ streamArn, after })

describe('the checkpoint store', () => {
  let root: string
  let count = 0
  const aDataDir = () => join(root, `data-${++count}`)

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'udagram-checkpoints-'))
  })

  after(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('reads back, after a restart, the last checkpoint of each mapping', async () => {
    const dataDir = aDataDir()
    const store = await CheckpointStore.open(dataDir)

    await Promise.all([
      store.set('A:images', at('000000000000000000101')),
      store.set('B:images', at(null)),
      store.set('A:images', at('000000000000000000102')),
    ])
    const reopened = await CheckpointStore.open(dataDir)

    assert.deepEqual(reopened.get('A:images'), at('000000000000000000102'))
    assert.deepEqual(reopened.get('B:images'), at(null))
    assert.equal(reopened.get('C:images'), undefined)
    assert.deepEqual(await readdir(join(dataDir, 'streams')), ['checkpoints.json'])
  })

  it('tells the checkpoint set from the one a restart would resume from', async () => {
    const store = await CheckpointStore.open(aDataDir())

    const saving = store.set('A:images', at('000000000000000000101'))
    const beforeSaved = store.saved('A:images')
    await saving

    assert.equal(beforeSaved, undefined)
    assert.deepEqual(store.get('A:images'), at('000000000000000000101'))
    assert.deepEqual(store.saved('A:images'), at('000000000000000000101'))
  })

  it('keeps checkpoints in memory without a data folder', async () => {
    const store = await CheckpointStore.open(undefined)

    await store.set('A:images', at('000000000000000000101'))

    assert.equal(store.file, undefined)
    assert.deepEqual(store.saved('A:images'), at('000000000000000000101'))
  })

  const malformed: Array<[string, string, RegExp]> = [
    ['not JSON', '{', /checkpoints\.json is not valid JSON; fix or delete it/],
    ['not an object', '[]', /checkpoints\.json is not an object of checkpoints/],
    ['an entry without streamArn', '{"A:images": {"after": null}}', /the checkpoint of A:images is not/],
    [
      'an empty position',
      `{"A:images": {"streamArn": "x", "after": ""}}`,
      /the checkpoint of A:images is not/,
    ],
  ]
  for (const [what, text, message] of malformed) {
    it(`refuses a file that is ${what}, naming it`, async () => {
      const dataDir = aDataDir()
      await mkdir(join(dataDir, 'streams'), { recursive: true })
      await writeFile(join(dataDir, 'streams', 'checkpoints.json'), text)

      await assert.rejects(CheckpointStore.open(dataDir), message)
    })
  }
})
