import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb'
import WebSocket from 'ws'
import { LOCAL_CREDENTIALS } from '#local/local-cloud.ts'
import { type RunningCloud, startTestCloud } from '../local-cloud-fixture.ts'
import {
  type HostileToken,
  hostileTokens,
  mintTrusted,
  seedIdentityKey,
  type TrustSettings,
} from './forged-tokens.ts'
import { assertCors, listAll, type RawResponse, rawClient, splitRest } from './raw-http.ts'

let dataDir: string
let env: RunningCloud
let settings: TrustSettings
let tokens: HostileToken[]
let fixtureGroupId: string
let documents: DynamoDBDocumentClient
const client = rawClient(4)
const origin = 'http://localhost:5173'
const connectionsTable = 'udagram-dev-connections'

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'udagram-hostile-tokens-'))
  const trusted = await seedIdentityKey(dataDir)
  env = await startTestCloud({ dataDir })
  settings = {
    trusted,
    issuer: env.cloud.endpoints.auth.issuer,
    audience: env.cloud.endpoints.auth.audience,
    jwksUrl: env.cloud.endpoints.jwks,
    validToken: await env.tokenFor('alice'),
  }
  tokens = await hostileTokens(settings)
  const created = await postJson('/groups', `Bearer ${settings.validToken}`, {
    name: 'fixture',
    description: '',
  })
  assert.equal(created.status, 201)
  fixtureGroupId = (JSON.parse(created.body) as { newItem: { id: string } }).newItem.id
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: env.cloud.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    }),
  )
})
after(async () => {
  client.close()
  documents.destroy()
  await env.stop()
  await rm(dataDir, { recursive: true, force: true })
})

/** A POST with a JSON body and, unless `authorization` is undefined, that exact header (lower-case name). */
function postJson(path: string, authorization: string | undefined, body: unknown): Promise<RawResponse> {
  const { origin: server, stagePath } = splitRest(env.rest)
  return client.send({
    method: 'POST',
    origin: server,
    path: `${stagePath}${path}`,
    headers: {
      origin,
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify(body),
  })
}

function assertRefused(response: RawResponse, what: string): void {
  assert.ok([401, 403].includes(response.status), `${what}: answered ${response.status} ${response.body}`)
  assertCors(response.headers, what)
  assert.equal(response.headers['content-type'], 'application/json', what)
  assert.deepEqual(JSON.parse(response.body), {
    message: response.status === 401 ? 'Unauthorized' : 'User is not authorized to access this resource',
  })
}

const groupIds = async () =>
  (await listAll<{ id: string }>(env.rest, '/groups')).map((group) => group.id).sort()
const imageIds = async () =>
  (await listAll<{ imageId: string }>(env.rest, `/groups/${fixtureGroupId}/images`)).map(
    (image) => image.imageId,
  )

/**
 * The local gateway checks the authorizer's policy with `wildcardMatch` (src/local/apigateway/
 * iam-policy.ts), which turns `*` into `.*` without the `s` flag: `.` does not match a line terminator,
 * so the Allow on every method and path of the stage does not cover a method ARN whose path holds %0A,
 * %0D, U+2028 or U+2029, and a valid caller gets 403. IAM's `*` matches any characters.
 */
describe('hostile tokens on the REST API (POST /groups, POST /groups/{id}/images)', () => {
  it('accepts a token of the local identity sent with a lower-case authorization header', async () => {
    const response = await postJson('/groups', `Bearer ${settings.validToken}`, {
      name: 'lower',
      description: '',
    })
    assert.equal(response.status, 201, response.body)
    assertCors(response.headers, 'valid token')
    assert.equal((JSON.parse(response.body) as { newItem: { userId: string } }).newItem.userId, 'alice')
  })

  it('accepts a token the test signed with the seeded key, so the refusals below are about one claim each', async () => {
    assert.equal(JSON.parse(atob(settings.validToken.split('.')[0] ?? '')).kid, settings.trusted.kid)
    const token = await mintTrusted(settings, { claims: { sub: 'control' } })
    const response = await postJson('/groups', `bearer ${token}`, { name: 'control', description: '' })
    assert.equal(response.status, 201, response.body)
    assert.equal((JSON.parse(response.body) as { newItem: { userId: string } }).newItem.userId, 'control')
  })

  it('refuses every hostile credential with 401 and CORS headers, and creates nothing', async () => {
    const groupsBefore = await groupIds()
    const imagesBefore = await imageIds()
    for (const token of tokens) {
      const group = await postJson('/groups', token.header, {
        name: `forged: ${token.name}`,
        description: '',
      })
      assertRefused(group, `POST /groups with ${token.name}`)
      const image = await postJson(`/groups/${fixtureGroupId}/images`, token.header, {
        title: token.name,
        contentLength: 1,
      })
      assertRefused(image, `POST /groups/{id}/images with ${token.name}`)
    }
    assert.ok(tokens.length >= 20, 'every kind of hostile token was tried')
    assert.deepEqual(await groupIds(), groupsBefore, 'no group was created')
    assert.deepEqual(await imageIds(), imagesBefore, 'no image was created')
  })

  it('lets a valid token through on a path whose id holds a line break', async () => {
    for (const id of ['%0A', 'a%0Db', '%E2%80%A8']) {
      const response = await postJson(`/groups/${id}/images`, `Bearer ${settings.validToken}`, {
        title: 't',
        contentLength: 1,
      })
      assert.equal(response.status, 404, `${id}: ${response.status} ${response.body}`)
      assert.match(response.body, /does not exist/)
    }
  })

  it('still refuses a hostile token after a valid one was cached for the same routes', async () => {
    assert.equal(
      (await postJson('/groups', `Bearer ${settings.validToken}`, { name: 'cached', description: '' }))
        .status,
      201,
    )
    for (const token of tokens) {
      assertRefused(await postJson('/groups', token.header, { name: 'again', description: '' }), token.name)
    }
  })
})

interface Handshake {
  status: number
  body: string
}

/** Opens a WebSocket with `?token=` (when given) and reports the handshake's answer, closing at once. */
function handshake(token: string | undefined, extraQuery = ''): Promise<Handshake> {
  const url =
    token === undefined
      ? env.cloud.endpoints.websocket
      : `${env.cloud.endpoints.websocket}?token=${encodeURIComponent(token)}${extraQuery}`
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    socket.once('open', () => {
      socket.close()
      resolve({ status: 101, body: '' })
    })
    socket.once('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.once('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      )
    })
    socket.once('error', (error) => {
      if (socket.readyState !== WebSocket.CLOSED) reject(error)
    })
  })
}

async function connectionIds(): Promise<Set<string>> {
  const ids = new Set<string>()
  let startKey: Record<string, unknown> | undefined
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: connectionsTable, ExclusiveStartKey: startKey }),
    )
    for (const item of page.Items ?? []) ids.add(String(item.connectionId))
    startKey = page.LastEvaluatedKey
  } while (startKey !== undefined)
  return ids
}

describe('hostile tokens on the WebSocket $connect (?token=)', () => {
  it('opens a connection for a valid token and registers it', async () => {
    const before = await connectionIds()
    const socket = new WebSocket(
      `${env.cloud.endpoints.websocket}?token=${encodeURIComponent(settings.validToken)}`,
    )
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    const after = await connectionIds()
    assert.equal(
      [...after].filter((id) => !before.has(id)).length,
      1,
      'the $connect handler stored the connection',
    )
    socket.close()
  })

  it('refuses every hostile credential with 401 before $connect runs', async () => {
    const before = await connectionIds()
    for (const token of tokens) {
      const answer = await handshake(token.query)
      assert.ok([401, 403].includes(answer.status), `${token.name}: answered ${answer.status}`)
      assert.deepEqual(JSON.parse(answer.body), {
        message: answer.status === 401 ? 'Unauthorized' : 'Forbidden',
      })
    }
    const created = [...(await connectionIds())].filter((id) => !before.has(id))
    assert.deepEqual(created, [], 'no connection was registered')
  })

  it('opens a connection whose handshake has a query parameter named like an Object.prototype member', async () => {
    for (const name of ['constructor', '__proto__', 'toString']) {
      const answer = await handshake(settings.validToken, `&${name}=1`)
      assert.equal(answer.status, 101, `&${name}=1`)
    }
  })

  it('refuses a token sent as an Authorization header instead of ?token=', async () => {
    const answer = await new Promise<number>((resolve) => {
      const socket = new WebSocket(env.cloud.endpoints.websocket, {
        headers: { authorization: `Bearer ${settings.validToken}` },
      })
      socket.once('open', () => {
        socket.close()
        resolve(101)
      })
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
      socket.once('error', () => {})
    })
    assert.equal(answer, 401)
  })
})
