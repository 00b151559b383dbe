import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'
import sharp from 'sharp'
import WebSocket from 'ws'
import { LOCAL_CREDENTIALS } from '#local/local-cloud.ts'
import { eventually, json, type RunningCloud, startTestCloud } from './local-cloud-fixture.ts'

let env: RunningCloud
let aliceToken: string
let bobToken: string

before(async () => {
  env = await startTestCloud()
  aliceToken = await env.tokenFor('alice')
  bobToken = await env.tokenFor('bob')
})
after(() => env.stop())

interface Listener {
  socket: WebSocket
  messages: Array<Record<string, unknown>>
  next(
    predicate: (message: Record<string, unknown>) => boolean,
    what: string,
  ): Promise<Record<string, unknown>>
  send(message: unknown): Promise<Record<string, unknown>>
}

async function listen(token: string): Promise<Listener> {
  const socket = new WebSocket(`${env.cloud.endpoints.websocket}?token=${encodeURIComponent(token)}`)
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const messages: Array<Record<string, unknown>> = []
  const waiters: Array<() => void> = []
  socket.on('message', (data) => {
    messages.push(JSON.parse(data.toString()) as Record<string, unknown>)
    for (const wake of waiters.splice(0)) wake()
  })
  const next: Listener['next'] = async (predicate, what) => {
    const deadline = Date.now() + 20_000
    for (;;) {
      const found = messages.find(predicate)
      if (found) return found
      if (Date.now() > deadline) throw new Error(`no ${what} arrived; got ${JSON.stringify(messages)}`)
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
        setTimeout(resolve, 200)
      })
    }
  }
  return {
    socket,
    messages,
    next,
    send: async (message) => {
      const before = messages.length
      socket.send(JSON.stringify(message))
      return next((m) => messages.indexOf(m) >= before, `answer to ${JSON.stringify(message)}`)
    },
  }
}

async function api(path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers)
  if (init.token) headers.set('authorization', `Bearer ${init.token}`)
  if (init.body) headers.set('content-type', 'application/json')
  return fetch(`${env.rest}${path}`, { ...init, headers })
}

async function newGroup(name: string): Promise<string> {
  const response = await api('/groups', {
    method: 'POST',
    token: aliceToken,
    body: JSON.stringify({ name, description: '' }),
  })
  return ((await json(response)).newItem as { id: string }).id
}

/** A new image whose upload URL is bound to `upload`'s exact size. */
async function newImage(groupId: string, upload: string | Uint8Array, contentType = 'image/jpeg') {
  const contentLength = typeof upload === 'string' ? Buffer.byteLength(upload) : upload.byteLength
  const response = await api(`/groups/${groupId}/images`, {
    method: 'POST',
    token: aliceToken,
    body: JSON.stringify({ title: 'Harbour at dusk', contentType, contentLength }),
  })
  assert.equal(response.status, 201)
  return (await json(response)) as { newItem: { imageId: string; imageUrl: string }; uploadUrl: string }
}

async function imageById(imageId: string) {
  return (await json(await api(`/images/${imageId}`))).item as Record<string, string>
}

const until = <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string) =>
  eventually(read, done, what, 20_000)

describe('uploads that do things: S3 -> SNS -> thumbnail and live notifications', () => {
  it('refuses a WebSocket without a valid token before any route runs', async () => {
    for (const url of [
      env.cloud.endpoints.websocket,
      `${env.cloud.endpoints.websocket}?token=forged.token.here`,
    ]) {
      const status = await new Promise<number>((resolve) => {
        const socket = new WebSocket(url)
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
        socket.once('open', () => resolve(101))
        socket.once('error', () => {})
      })
      assert.equal(status, 401, url)
    }
  })

  it('answers subscribe, unknown actions and missing groups on the socket', async () => {
    const groupId = await newGroup('answers')
    const client = await listen(bobToken)
    assert.deepEqual(await client.send({ action: 'subscribe', groupId }), { type: 'subscribed', groupId })
    assert.equal((await client.send({ action: 'dance' })).type, 'error')
    const missing = await client.send({ action: 'subscribe', groupId: 'no-such-group' })
    assert.deepEqual(missing, { type: 'error', message: 'group no-such-group does not exist' })
    client.socket.close()
  })

  it('makes a thumbnail of an uploaded JPEG and tells only the subscribers of that group', async () => {
    const groupId = await newGroup('harbour')
    const subscriber = await listen(bobToken)
    const bystander = await listen(aliceToken)
    await subscriber.send({ action: 'subscribe', groupId })

    const jpeg = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#336699' } })
      .jpeg()
      .toBuffer()
    const { newItem, uploadUrl } = await newImage(groupId, jpeg)
    const put = await fetch(uploadUrl, {
      method: 'PUT',
      body: jpeg,
      headers: { 'content-type': 'image/jpeg' },
    })
    assert.equal(put.status, 200)

    const uploaded = await subscriber.next((m) => m.type === 'image.uploaded', 'image.uploaded')
    assert.deepEqual(uploaded, {
      type: 'image.uploaded',
      groupId,
      imageId: newItem.imageId,
      title: 'Harbour at dusk',
      imageUrl: newItem.imageUrl,
    })
    const ready = await subscriber.next((m) => m.type === 'image.ready', 'image.ready')
    assert.equal(ready.imageId, newItem.imageId)

    const thumbnail = await fetch(String(ready.thumbnailUrl))
    assert.equal(thumbnail.status, 200)
    const metadata = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()
    assert.deepEqual([metadata.format, metadata.width, metadata.height], ['webp', 150, 100])

    const item = await imageById(newItem.imageId)
    assert.equal(item.status, 'ready')
    assert.equal(item.thumbnailUrl, ready.thumbnailUrl)
    assert.deepEqual(
      bystander.messages.filter((m) => String(m.type).startsWith('image.')),
      [],
      'a connection not subscribed to the group hears nothing',
    )
    subscriber.socket.close()
    bystander.socket.close()
  })

  it('marks an upload that is not an image failed, with no thumbnail', async () => {
    const groupId = await newGroup('not images')
    const subscriber = await listen(bobToken)
    await subscriber.send({ action: 'subscribe', groupId })
    const { newItem, uploadUrl } = await newImage(groupId, 'this is text')

    await fetch(uploadUrl, { method: 'PUT', body: 'this is text', headers: { 'content-type': 'image/jpeg' } })

    const failed = await subscriber.next((m) => m.type === 'image.failed', 'image.failed')
    assert.match(String(failed.reason), /not a decodable image/)
    const item = await until(
      () => imageById(newItem.imageId),
      (i) => i.status !== 'pending',
      'status',
    )
    assert.equal(item.status, 'failed')
    assert.equal(item.thumbnailUrl, undefined)
    const thumbnail = await fetch(
      `${env.cloud.endpoints.s3}/${thumbnailsBucketOf(String(failed.imageUrl))}/${newItem.imageId}.webp`,
    )
    assert.equal(thumbnail.status, 404)
    subscriber.socket.close()
  })

  it('forgets a subscriber whose connection is gone (410) on the next notification', async () => {
    const groupId = await newGroup('ghosts')
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: env.cloud.endpoints.dynamodb,
        region: 'us-east-1',
        credentials: LOCAL_CREDENTIALS,
      }),
    )
    const table = 'udagram-dev-connections'
    const expiresAt = Math.floor(Date.now() / 1000) + 3600
    await documents.send(
      new PutCommand({
        TableName: table,
        Item: {
          connectionId: 'gone=',
          sk: 'connection',
          userId: 'x',
          connectedAt: new Date().toISOString(),
          expiresAt,
        },
      }),
    )
    await documents.send(
      new PutCommand({
        TableName: table,
        Item: { connectionId: 'gone=', sk: `group#${groupId}`, groupId, expiresAt },
      }),
    )
    const { uploadUrl } = await newImage(groupId, 'x')

    await fetch(uploadUrl, { method: 'PUT', body: 'x', headers: { 'content-type': 'image/jpeg' } })

    const { GetCommand } = await import('@aws-sdk/lib-dynamodb')
    await until(
      async () =>
        (
          await documents.send(
            new GetCommand({ TableName: table, Key: { connectionId: 'gone=', sk: 'connection' } }),
          )
        ).Item,
      (item) => item === undefined,
      'the gone connection',
    )
    documents.destroy()
  })
})

/** The thumbnails bucket is the images bucket's sibling: `udagram-dev-images` -> `udagram-dev-thumbnails`. */
function thumbnailsBucketOf(imageUrl: string): string {
  return new URL(imageUrl).pathname.split('/')[1]?.replace(/-images$/, '-thumbnails') ?? ''
}
