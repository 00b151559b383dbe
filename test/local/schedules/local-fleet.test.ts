import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { JsonFileInstanceFleet } from '#adapters/local-fleet/json-file-instance-fleet.ts'
import { LOCAL_FLEET_FILE, prepareLocalFleet } from '#local/schedules/local-fleet.ts'

const optInTag = { key: 'chaos-monkey', value: 'opt-in' }
const now = () => new Date('2026-11-25T10:00:00Z')

let dir = ''
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-fleet-'))
})
after(() => rm(dir, { recursive: true, force: true }))

async function aFleet(name: string, instances: unknown[]) {
  const file = join(dir, name)
  await writeFile(file, JSON.stringify({ comment: 'kept', instances }))
  return { file, fleet: new JsonFileInstanceFleet({ file, now }) }
}

describe('the local fleet file', () => {
  it('is written with a sample fleet on first use, and left alone afterwards', async () => {
    const dataDir = join(dir, 'data')
    await mkdir(dataDir)

    const environment = await prepareLocalFleet(dataDir)

    const file = join(dataDir, LOCAL_FLEET_FILE)
    assert.deepEqual(environment, { CHAOS_FLEET: 'local', CHAOS_FLEET_FILE: file })
    const sample = new JsonFileInstanceFleet({ file })
    assert.deepEqual(
      (await sample.listTaggedInstances(optInTag)).map(({ tags }) => tags.Name),
      ['web-1', 'web-2'],
    )
    await writeFile(file, '{"instances": []}')
    await prepareLocalFleet(dataDir)
    assert.equal(await readFile(file, 'utf8'), '{"instances": []}')
  })

  it('lists running instances with the tag, as EC2 filters them', async () => {
    const { fleet } = await aFleet('list.json', [
      { instanceId: 'i-1', state: 'running', tags: { 'chaos-monkey': 'opt-in' } },
      { instanceId: 'i-2', state: 'running', tags: { 'chaos-monkey': 'opt-out' } },
      { instanceId: 'i-3', state: 'stopped', tags: { 'chaos-monkey': 'opt-in' } },
      { instanceId: 'i-4', state: 'running' },
    ])

    assert.deepEqual(await fleet.listTaggedInstances(optInTag), [
      { instanceId: 'i-1', state: 'running', tags: { 'chaos-monkey': 'opt-in' } },
    ])
  })

  it('terminates by rewriting the instance as terminated, keeping everything else', async () => {
    const { file, fleet } = await aFleet('terminate.json', [
      { instanceId: 'i-1', state: 'running', tags: { Name: 'a' }, owner: 'team-a' },
      { instanceId: 'i-2', state: 'running', tags: { Name: 'b' } },
    ])

    await fleet.terminate('i-1')

    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), {
      comment: 'kept',
      instances: [
        {
          instanceId: 'i-1',
          state: 'terminated',
          tags: { Name: 'a' },
          owner: 'team-a',
          terminatedAt: '2026-11-25T10:00:00.000Z',
        },
        { instanceId: 'i-2', state: 'running', tags: { Name: 'b' } },
      ],
    })
  })

  it('refuses an unknown instance id, and a file that is not a fleet, saying what is wrong', async () => {
    const { fleet } = await aFleet('unknown.json', [])
    await assert.rejects(fleet.terminate('i-nope'), /InvalidInstanceID\.NotFound: the instance ID 'i-nope'/)

    const { fleet: badState } = await aFleet('bad.json', [{ instanceId: 'i-1', state: 'exploded' }])
    await assert.rejects(
      badState.listTaggedInstances(optInTag),
      /instances\[0\]\.state must be one of pending, running/,
    )

    await writeFile(join(dir, 'not-json.json'), '{')
    await assert.rejects(
      new JsonFileInstanceFleet({ file: join(dir, 'not-json.json') }).listTaggedInstances(optInTag),
      /is not JSON/,
    )
  })
})
