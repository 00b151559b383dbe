import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, type RunningCloud, startTestCloud } from './local-cloud-fixture.ts'

let env: RunningCloud
let aliceToken: string

before(async () => {
  env = await startTestCloud()
  aliceToken = await env.tokenFor('alice')
})
after(() => env.stop())

const origin = 'http://localhost:5173'

function api(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('origin', origin)
  if (init.token !== undefined) headers.set('authorization', `Bearer ${init.token}`)
  if (init.body !== undefined) headers.set('content-type', 'application/json')
  return fetch(`${env.rest}${path}`, { ...init, headers })
}

async function createGroup(name: string, description = `about ${name}`): Promise<Record<string, string>> {
  const response = await api('/groups', {
    method: 'POST',
    token: aliceToken,
    body: JSON.stringify({ name, description }),
  })
  assert.equal(response.status, 201)
  return (await json(response)).newItem as Record<string, string>
}

function assertCors(response: Response): void {
  assert.ok(response.headers.get('access-control-allow-origin'), 'Access-Control-Allow-Origin is present')
  assert.equal(response.headers.get('access-control-allow-credentials'), 'true')
}

describe('REST API through the local gateway', () => {
  it('creates a group owned by the caller', async () => {
    const response = await api('/groups', {
      method: 'POST',
      token: aliceToken,
      body: JSON.stringify({ name: 'Sunsets', description: 'Skies on fire' }),
    })
    assert.equal(response.status, 201)
    assertCors(response)
    const { newItem } = (await json(response)) as { newItem: Record<string, string> }
    assert.equal(newItem.name, 'Sunsets')
    assert.equal(newItem.description, 'Skies on fire')
    assert.equal(newItem.userId, 'alice')
    assert.match(newItem.id ?? '', /^[0-9a-f-]{36}$/)
    assert.ok(!Number.isNaN(Date.parse(newItem.timestamp ?? '')))

    const fetched = await api(`/groups/${newItem.id}`)
    assert.equal(fetched.status, 200)
    assert.deepEqual((await json(fetched)).item, newItem)
  })

  it('lists groups newest first, page by page', async () => {
    const created = []
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) created.push(await createGroup(name))
    const seen: string[] = []
    let nextKey: string | undefined
    let pages = 0
    do {
      const query = new URLSearchParams({ limit: '2', ...(nextKey ? { nextKey } : {}) })
      const response = await api(`/groups?${query}`)
      assert.equal(response.status, 200)
      const page = (await json(response)) as { items: Array<{ name: string }>; nextKey?: string }
      assert.ok(page.items.length <= 2)
      seen.push(...page.items.map((group) => group.name))
      nextKey = page.nextKey
      pages++
    } while (nextKey !== undefined && pages < 20)
    const ours = seen.filter((name) => /^p\d$/.test(name))
    assert.deepEqual(ours, ['p5', 'p4', 'p3', 'p2', 'p1'])
    const timestamps = seen.length
    assert.equal(new Set(seen).size, timestamps, 'no group appears twice')
  })

  it('answers 404 for a group that does not exist, and for its images', async () => {
    const group = await api('/groups/no-such-group')
    assert.equal(group.status, 404)
    assertCors(group)
    assert.match(String((await json(group)).message), /does not exist/)
    const images = await api('/groups/no-such-group/images')
    assert.equal(images.status, 404)
    assert.match(String((await json(images)).message), /does not exist/)
  })

  it('creates an image, takes its bytes through the presigned URL and serves them back', async () => {
    const group = await createGroup('uploads')
    const created = await api(`/groups/${group.id}/images`, {
      method: 'POST',
      token: aliceToken,
      body: JSON.stringify({
        title: 'Red sky',
        description: 'at night',
        contentType: 'image/png',
        contentLength: 9,
      }),
    })
    assert.equal(created.status, 201)
    const { newItem, uploadUrl } = (await json(created)) as {
      newItem: Record<string, string>
      uploadUrl: string
    }
    assert.equal(newItem.groupId, group.id)
    assert.equal(newItem.title, 'Red sky')
    assert.equal(newItem.userId, 'alice')
    assert.match(uploadUrl, /X-Amz-Signature=/)
    assert.match(uploadUrl, /X-Amz-Expires=300/)
    assert.deepEqual(new URL(uploadUrl).searchParams.get('X-Amz-SignedHeaders')?.split(';'), [
      'content-length',
      'content-type',
      'host',
    ])

    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5])
    const put = await fetch(uploadUrl, {
      method: 'PUT',
      body: bytes,
      headers: { 'content-type': 'image/png' },
    })
    assert.equal(put.status, 200)

    const served = await fetch(newItem.imageUrl ?? '')
    assert.equal(served.status, 200)
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), bytes)

    const byId = await api(`/images/${newItem.imageId}`)
    assert.equal(byId.status, 200)
    // The upload is being processed meanwhile (these bytes are no real PNG): only the status may move on.
    const {
      status,
      failureReason: _reason,
      thumbnailUrl: _thumbnail,
      ...stored
    } = (await json(byId)).item as Record<string, string>
    const { status: createdStatus, ...asCreated } = newItem
    assert.equal(createdStatus, 'pending')
    assert.ok(['pending', 'ready', 'failed'].includes(status ?? ''), status)
    assert.deepEqual(stored, asCreated)
  })

  it('refuses a tampered, wrong-content-type or wrong-size presigned PUT with 403', async () => {
    const group = await createGroup('tamper')
    const created = await api(`/groups/${group.id}/images`, {
      method: 'POST',
      token: aliceToken,
      body: JSON.stringify({ title: 't', contentType: 'image/jpeg', contentLength: 10 }),
    })
    const { newItem, uploadUrl } = (await json(created)) as {
      newItem: Record<string, string>
      uploadUrl: string
    }
    const body = Buffer.from('jpeg bytes')

    const tampered = new URL(uploadUrl)
    const signature = tampered.searchParams.get('X-Amz-Signature') ?? ''
    tampered.searchParams.set(
      'X-Amz-Signature',
      `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`,
    )
    const badSignature = await fetch(tampered, {
      method: 'PUT',
      body,
      headers: { 'content-type': 'image/jpeg' },
    })
    assert.equal(badSignature.status, 403)
    assert.match(await badSignature.text(), /<Code>SignatureDoesNotMatch<\/Code>/)

    const otherKey = new URL(uploadUrl)
    otherKey.pathname = `${otherKey.pathname}-other`
    const badKey = await fetch(otherKey, { method: 'PUT', body, headers: { 'content-type': 'image/jpeg' } })
    assert.equal(badKey.status, 403)

    const wrongType = await fetch(uploadUrl, {
      method: 'PUT',
      body,
      headers: { 'content-type': 'image/png' },
    })
    assert.equal(wrongType.status, 403)
    assert.match(await wrongType.text(), /<Code>SignatureDoesNotMatch<\/Code>/)

    for (const wrongSize of [Buffer.from('jpeg bytes!'), Buffer.from('jpeg')]) {
      const refused = await fetch(uploadUrl, {
        method: 'PUT',
        body: wrongSize,
        headers: { 'content-type': 'image/jpeg' },
      })
      assert.equal(refused.status, 403, `${wrongSize.length} bytes`)
      assert.match(await refused.text(), /<Code>SignatureDoesNotMatch<\/Code>/)
    }

    const notStored = await fetch(newItem.imageUrl ?? '')
    assert.equal(notStored.status, 404, 'nothing was stored by the refused uploads')
  })

  it('refuses an expired presigned PUT with 403 AccessDenied', async () => {
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3')
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner')
    const { LOCAL_CREDENTIALS } = await import('#local/local-cloud.ts')
    const client = new S3Client({
      endpoint: env.cloud.endpoints.s3,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    })
    const images = await imagesBucketName()
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: images, Key: 'late-upload' }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 10 * 60_000),
    })
    const response = await fetch(url, { method: 'PUT', body: 'late' })
    assert.equal(response.status, 403)
    const body = await response.text()
    assert.match(body, /<Code>AccessDenied<\/Code>/)
    assert.match(body, /expired/)
    client.destroy()
  })

  it('lists the images of a group newest first, with pagination', async () => {
    const group = await createGroup('album')
    for (const title of ['first', 'second', 'third']) {
      const response = await api(`/groups/${group.id}/images`, {
        method: 'POST',
        token: aliceToken,
        body: JSON.stringify({ title, contentLength: 1 }),
      })
      assert.equal(response.status, 201)
    }
    const firstPage = (await json(await api(`/groups/${group.id}/images?limit=2`))) as {
      items: Array<{ title: string }>
      nextKey?: string
    }
    assert.deepEqual(
      firstPage.items.map((image) => image.title),
      ['third', 'second'],
    )
    assert.ok(firstPage.nextKey)
    const secondPage = (await json(
      await api(`/groups/${group.id}/images?limit=2&nextKey=${encodeURIComponent(firstPage.nextKey ?? '')}`),
    )) as { items: Array<{ title: string }>; nextKey?: string }
    assert.deepEqual(
      secondPage.items.map((image) => image.title),
      ['first'],
    )
    assert.equal(secondPage.nextKey, undefined)
  })

  it('answers 404 for an unknown image and for creating an image in a missing group', async () => {
    assert.equal((await api('/images/nope')).status, 404)
    const response = await api('/groups/nope/images', {
      method: 'POST',
      token: aliceToken,
      body: JSON.stringify({ title: 'x', contentLength: 1 }),
    })
    assert.equal(response.status, 404)
    assertCors(response)
  })
})

describe('errors at the gateway and in the handlers', () => {
  it('refuses a missing or invalid token with 401 and CORS headers', async () => {
    const body = JSON.stringify({ name: 'n', description: 'd' })
    for (const token of [undefined, 'not-a-jwt', await forgedToken()]) {
      const response = await api('/groups', { method: 'POST', body, ...(token ? { token } : {}) })
      assert.equal(response.status, 401, `token ${token}`)
      assertCors(response)
      assert.deepEqual(await json(response), { message: 'Unauthorized' })
    }
  })

  it("validates the body against the route's JSON Schema before the handler runs", async () => {
    const cases = [
      JSON.stringify({ name: '', description: 'd' }),
      JSON.stringify({ name: 'x'.repeat(101), description: 'd' }),
      JSON.stringify({ name: 'n' }),
      JSON.stringify({ name: 'n', description: 'd', extra: true }),
      '{not json',
    ]
    for (const body of cases) {
      const response = await api('/groups', { method: 'POST', token: aliceToken, body })
      assert.equal(response.status, 400, body)
      assertCors(response)
      assert.deepEqual(await json(response), { message: 'Invalid request body' })
    }
    for (const body of [
      { title: 't', contentType: 'text/html', contentLength: 1 },
      { title: 't', contentType: 'image/png' },
      { title: 't', contentLength: 0 },
      { title: 't', contentLength: 10_485_761 },
      { title: 't', contentLength: 1.5 },
    ]) {
      const image = await api('/groups/g/images', {
        method: 'POST',
        token: aliceToken,
        body: JSON.stringify(body),
      })
      assert.equal(image.status, 400, JSON.stringify(body))
    }
  })

  it('rejects a whitespace-only name in the domain with a clear message', async () => {
    const response = await api('/groups', {
      method: 'POST',
      token: aliceToken,
      body: JSON.stringify({ name: '   ', description: '' }),
    })
    assert.equal(response.status, 400)
    assertCors(response)
    assert.deepEqual(await json(response), { message: 'name must not be empty' })
  })

  it('answers bad paging parameters with 400', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'nextKey=garbage']) {
      const response = await api(`/groups?${query}`)
      assert.equal(response.status, 400, query)
      assertCors(response)
      assert.ok(typeof (await json(response)).message === 'string')
    }
  })

  it('answers unknown paths with 404 and known paths with a wrong method with 405, both with CORS', async () => {
    const unknown = await api('/nothing-here')
    assert.equal(unknown.status, 404)
    assertCors(unknown)
    const wrongStage = await fetch(env.rest.replace(/\/dev$/, '/prod/groups'))
    assert.equal(wrongStage.status, 404)
    const wrongMethod = await api('/groups', { method: 'DELETE' })
    assert.equal(wrongMethod.status, 405)
    assertCors(wrongMethod)
    assert.match(wrongMethod.headers.get('allow') ?? '', /GET/)
  })

  it('answers CORS preflights like the MOCK integration osls declares', async () => {
    const response = await fetch(`${env.rest}/groups`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    })
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('access-control-allow-origin'), '*')
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true')
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /Authorization/)
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/)
  })
})

/** The images bucket's name, read from an upload URL the API hands out. */
async function imagesBucketName(): Promise<string> {
  const group = await createGroup('bucket-probe')
  const created = await api(`/groups/${group.id}/images`, {
    method: 'POST',
    token: aliceToken,
    body: JSON.stringify({ title: 'p', contentLength: 1 }),
  })
  const { uploadUrl } = (await json(created)) as { uploadUrl: string }
  return new URL(uploadUrl).pathname.split('/')[1] ?? ''
}

/** A well-formed RS256 token signed by a key the API does not trust. */
async function forgedToken(): Promise<string> {
  const { SignJWT, generateKeyPair } = await import('jose')
  const { privateKey } = await generateKeyPair('RS256')
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
    .setSubject('mallory')
    .setIssuer(env.cloud.endpoints.auth.issuer)
    .setAudience(env.cloud.endpoints.auth.audience)
    .setExpirationTime('1h')
    .sign(privateKey)
}
