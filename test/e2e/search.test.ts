import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import sharp from 'sharp'
import { LOCAL_CREDENTIALS } from '#local/local-cloud.ts'
import { eventually, json, projectRoot, type RunningCloud, startTestCloud } from './local-cloud-fixture.ts'

const IMAGES_TABLE = 'udagram-dev-images'

let env: RunningCloud
let token: string

before(async () => {
  env = await startTestCloud()
  token = await env.tokenFor('alice')
})
after(() => env.stop())

interface SearchBody {
  items: Array<{ item: Record<string, unknown>; score: number; highlights: Record<string, string> }>
  total: number
  nextCursor?: string
}

async function post(cloud: RunningCloud, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${cloud.rest}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await cloud.tokenFor('alice')}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  assert.equal(response.status, 201, `${path}: ${response.status}`)
  return (await json(response)).newItem as Record<string, unknown>
}

async function search(cloud: RunningCloud, query: string): Promise<SearchBody> {
  const response = await fetch(`${cloud.rest}/images/search?${query}`)
  assert.equal(response.status, 200, await response.clone().text())
  return (await response.json()) as SearchBody
}

const until = (cloud: RunningCloud, query: string, done: (body: SearchBody) => boolean, what: string) =>
  eventually(() => search(cloud, query), done, what, 15_000)

function tableOf(cloud: RunningCloud): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'us-east-1',
      endpoint: cloud.cloud.endpoints.dynamodb,
      credentials: LOCAL_CREDENTIALS,
    }),
  )
}

describe('GET /images/search, fed by the Images stream', () => {
  it('finds a new image by a misspelt word of its title or group, highlighted and inert', async () => {
    const group = await post(env, '/groups', { name: 'Lighthouses of Brittany', description: '' })
    const image = await post(env, `/groups/${group.id}/images`, {
      title: 'Sunset <script>alert(1)</script> at the pier',
      description: 'Long exposure & a tripod',
      contentLength: 1,
    })

    const byTitle = await until(env, 'q=sunst', (body) => body.total === 1, 'the new image in the index')
    assert.equal(byTitle.items[0]?.item.imageId, image.imageId)
    assert.equal(
      byTitle.items[0]?.highlights.title,
      '<mark>Sunset</mark> &lt;script&gt;alert(1)&lt;/script&gt; at the pier',
    )
    assert.ok((byTitle.items[0]?.score ?? 0) > 0)

    const byGroup = await search(env, 'q=lighthuses')
    assert.deepEqual(
      byGroup.items.map((hit) => hit.item.imageId),
      [image.imageId],
    )
    const otherGroup = await search(env, `q=sunset&groupId=${encodeURIComponent('another-group')}`)
    assert.equal(otherGroup.total, 0)
  })

  it('re-indexes an image when it changes: a thumbnail, a new title, and a deletion', async () => {
    const group = await post(env, '/groups', { name: 'Harbours', description: '' })
    const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#224466' } })
      .jpeg()
      .toBuffer()
    const created = (await (
      await fetch(`${env.rest}/groups/${group.id}/images`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          title: 'Trawler in the fog',
          contentType: 'image/jpeg',
          contentLength: jpeg.length,
        }),
      })
    ).json()) as { newItem: { imageId: string; timestamp: string }; uploadUrl: string }
    const { imageId, timestamp } = created.newItem
    const upload = await fetch(created.uploadUrl, {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg' },
      body: jpeg,
    })
    assert.equal(upload.status, 200)

    const ready = await until(
      env,
      'q=trawler',
      (body) => body.items[0]?.item.status === 'ready',
      'the thumbnail in the index',
    )
    assert.match(String(ready.items[0]?.item.thumbnailUrl), /^http/)

    // Another writer renames it, bumping the revision as every writer of the table must.
    const table = tableOf(env)
    const key = { groupId: group.id, timestamp }
    await table.send(
      new UpdateCommand({
        TableName: IMAGES_TABLE,
        Key: key,
        UpdateExpression: 'SET title = :title, revision = revision + :one',
        ExpressionAttributeValues: { ':title': 'Schooner in the mist', ':one': 1 },
      }),
    )
    await until(env, 'q=schooner', (body) => body.total === 1, 'the renamed image')
    assert.equal((await search(env, 'q=trawler')).total, 0)

    await table.send(new DeleteCommand({ TableName: IMAGES_TABLE, Key: key }))
    await until(env, 'q=schooner', (body) => body.total === 0, 'the deleted image gone')
    assert.equal((await fetch(`${env.rest}/images/${imageId}`)).status, 404)
  })

  it('pages through many matches with a cursor, never twice the same image', async () => {
    const group = await post(env, '/groups', { name: 'Meadows', description: '' })
    for (let index = 0; index < 12; index++) {
      await post(env, `/groups/${group.id}/images`, {
        title: `Wildflower meadow ${index}`,
        description: '',
        contentLength: 1,
      })
    }
    await until(env, `q=wildflower&groupId=${group.id}`, (body) => body.total === 12, 'all twelve indexed')

    const seen: unknown[] = []
    let cursor: string | undefined
    do {
      const page = await search(
        env,
        `q=wildflower&groupId=${group.id}&limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )
      assert.ok(page.items.length <= 5)
      seen.push(...page.items.map((hit) => hit.item.imageId))
      cursor = page.nextCursor
    } while (cursor !== undefined)
    assert.equal(seen.length, 12)
    assert.equal(new Set(seen).size, 12)
  })

  it('answers bad queries with 400, a message and CORS headers', async () => {
    for (const [query, pattern] of [
      ['', /q/],
      ['q=', /q/],
      ['q=%20%20', /q/],
      [`q=${'a'.repeat(201)}`, /200/],
      ['q=sea&limit=0', /limit/],
      ['q=sea&limit=51', /limit/],
      ['q=sea&cursor=not-a-cursor', /cursor/],
    ] as const) {
      const response = await fetch(`${env.rest}/images/search?${query}`, {
        headers: { origin: 'http://x.test' },
      })
      assert.equal(response.status, 400, query)
      assert.equal(response.headers.get('access-control-allow-origin'), 'http://x.test', query)
      assert.match(String((await json(response)).message), pattern, query)
    }
  })
})

describe('a stream record that is not an image', () => {
  // A cloud of its own: the bad record holds back its shard's later batches while it is retried, as on AWS.
  let cloud: RunningCloud
  before(async () => {
    cloud = await startTestCloud()
  })
  after(() => cloud.stop())

  it('reports a record that is not an image as failed without holding back the good ones', async () => {
    const group = await post(cloud, '/groups', { name: 'Volcanoes', description: '' })
    await tableOf(cloud).send(
      new PutCommand({
        TableName: IMAGES_TABLE,
        // Written by hand, with a number for a title: the indexer cannot read it as an image.
        Item: { groupId: group.id, timestamp: new Date().toISOString(), imageId: 'broken', title: 42 },
      }),
    )
    await post(cloud, `/groups/${group.id}/images`, {
      title: 'Lava flow at night',
      description: '',
      contentLength: 1,
    })

    // The bad record holds its shard back through five retries (0.5 + 1 + 2 + 4 + 8 s of waiting, as
    // Lambda holds a shard back) before it goes to the dead letters and the good one gets through.
    const found = await eventually(
      () => search(cloud, 'q=lava'),
      (body) => body.total === 1,
      'the good image indexed',
      60_000,
    )
    assert.equal(found.items[0]?.item.title, 'Lava flow at night')

    // A rebuild skips the item it cannot read and indexes the rest.
    const { stderr } = await promisify(execFile)(
      process.execPath,
      [join(projectRoot, 'src/local/cli/reindex.ts'), '--data', cloud.dataDir],
      { cwd: projectRoot },
    )
    assert.match(stderr, /indexed \d+ images/)
    assert.equal((await search(cloud, 'q=lava')).total, 1)
  })
})

describe('npm run reindex', () => {
  it('rebuilds the running index from the table: what the table lacks is gone, what it has is found', async () => {
    const group = await post(env, '/groups', { name: 'Deserts', description: '' })
    const image = await post(env, `/groups/${group.id}/images`, {
      title: 'Dune at noon',
      description: '',
      contentLength: 1,
    })
    await until(env, 'q=dune', (body) => body.total === 1, 'the image indexed')
    // An entry with no item behind it, as a lost REMOVE would leave.
    const stray = { ...image, imageId: 'stray-image', title: 'Dune of nowhere' }
    const applied = await fetch(`${env.cloud.endpoints.search}/apply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        operations: [{ kind: 'upsert', document: { image: stray, groupName: 'Deserts', revision: 1 } }],
      }),
    })
    assert.equal(applied.status, 200)
    assert.equal((await search(env, 'q=dune')).total, 2)

    const { stderr } = await promisify(execFile)(
      process.execPath,
      [join(projectRoot, 'src/local/cli/reindex.ts'), '--data', env.dataDir],
      { cwd: projectRoot },
    )

    assert.match(stderr, /indexed \d+ images in \d+ ms/)
    const after = await search(env, 'q=dune')
    assert.deepEqual(
      after.items.map((hit) => hit.item.imageId),
      [image.imageId],
    )
  })

  it('says what is wrong when no local cloud ever ran on that data folder', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'udagram-reindex-'))
    try {
      const failed = await promisify(execFile)(
        process.execPath,
        [join(projectRoot, 'src/local/cli/reindex.ts'), '--data', empty],
        { cwd: projectRoot },
      ).catch((error: { code: number; stderr: string }) => error)
      assert.equal((failed as { code: number }).code, 1)
      assert.match((failed as { stderr: string }).stderr, /start the local cloud first/)
    } finally {
      await rm(empty, { recursive: true, force: true })
    }
  })
})

describe('search after a restart', () => {
  it('finds exactly what the table holds after a restart, the writes of its last second included', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'udagram-search-'))
    try {
      const first = await startTestCloud({ dataDir, inMemory: false })
      const group = await post(first, '/groups', { name: 'Glaciers', description: '' })
      for (let index = 0; index < 5; index++) {
        await post(first, `/groups/${group.id}/images`, {
          title: `Blue ice cave ${index}`,
          description: '',
          contentLength: 1,
        })
      }
      // Stopped at once: the indexer's one-second batching window has most likely not even opened.
      await first.stop()

      const second = await startTestCloud({ dataDir, inMemory: false })
      try {
        await second.cloud.searchReady
        const found = await until(second, 'q=glacier', (body) => body.total === 5, 'the images after restart')
        const { Items = [] } = await tableOf(second).send(new ScanCommand({ TableName: IMAGES_TABLE }))
        assert.deepEqual(
          found.items.map((hit) => hit.item.imageId).sort(),
          Items.map((item) => item.imageId).sort(),
        )
      } finally {
        await second.stop()
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
