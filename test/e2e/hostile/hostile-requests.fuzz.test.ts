import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { type RunningCloud, startTestCloud } from '../local-cloud-fixture.ts'
import {
  type FuzzWorld,
  type HostileRequest,
  hostileRequest,
  hostileText,
} from './hostile-request-arbitraries.ts'
import { assertCors, assertErrorBody, listAll, type RawResponse, rawClient, splitRest } from './raw-http.ts'

/** Fixed, so a failure replays; `HOSTILE_SEED=<n>` tries another sequence. */
const SEED = Number(process.env.HOSTILE_SEED ?? 20_261_125)
/** Requests on the wire at once. */
const CONCURRENCY = 8
/** 256 batches of 8: 2,048 requests; `HOSTILE_RUNS=<n>` for a longer soak. */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 256)
const MIN_REQUESTS = 2000

interface Group {
  id: string
  name: string
  description: string
  userId: string
  timestamp: string
}
interface Image {
  groupId: string
  imageId: string
  title: string
}

let env: RunningCloud
let world: FuzzWorld
let origin: string
const client = rawClient(CONCURRENCY)

before(async () => {
  env = await startTestCloud()
  const aliceToken = await env.tokenFor('alice')
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${env.rest}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${aliceToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    assert.equal(response.status, 201)
    return ((await response.json()) as { newItem: Record<string, string> }).newItem
  }
  const group = await post('/groups', { name: 'fixture', description: 'the group the fuzzer aims at' })
  await post('/groups', { name: 'second', description: '' })
  const image = await post(`/groups/${group.id}/images`, {
    title: 'fixture image',
    contentType: 'image/png',
    contentLength: 1,
  })
  const page = (await (await fetch(`${env.rest}/groups?limit=1`)).json()) as { nextKey: string }
  const split = splitRest(env.rest)
  origin = split.origin
  world = {
    stagePath: split.stagePath,
    groupId: group.id ?? '',
    imageId: image.imageId ?? '',
    groupsNextKey: page.nextKey,
    aliceToken,
    bobToken: await env.tokenFor('bob'),
  }
})
after(async () => {
  client.close()
  await env.stop()
})

const send = (request: HostileRequest): Promise<RawResponse> =>
  client.send({
    origin,
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: request.body,
  })

/** The properties every single answer must have, whatever was asked. */
function checkAnswer(request: HostileRequest, response: RawResponse): void {
  const what = `${request[fc.toStringMethod]()}\n  -> ${response.status} ${response.body.slice(0, 300)}`
  assert.ok(response.status >= 200 && response.status < 500, `no 5XX (nor 1XX): ${what}`)
  const isPreflight = request.method === 'OPTIONS' && response.status === 200
  if (!isPreflight) assertCors(response.headers, what)
  if (request.method === 'HEAD') return
  if (response.status >= 400) {
    assertErrorBody(response, what)
    return
  }
  if (!isPreflight) assert.doesNotThrow(() => JSON.parse(response.body), `2XX body is JSON: ${what}`)
  if (response.status === 201) assert.equal(request.method, 'POST', `only a POST creates: ${what}`)
}

const allGroups = () => listAll<Group>(env.rest, '/groups')
const imagesOf = (groupId: string) => listAll<Image>(env.rest, `/groups/${groupId}/images`)

describe('hostile requests against every REST route (property-based)', () => {
  it(`answers ${MIN_REQUESTS}+ malformed requests without a 5XX, with JSON errors, and changes only what it created`, async () => {
    const groupsBefore = await allGroups()
    const imagesBefore = await imagesOf(world.groupId)
    const fixtureImage = await (await fetch(`${env.rest}/images/${world.imageId}`)).json()
    const createdGroups: Group[] = []
    const createdImages: Image[] = []
    let sent = 0
    let hugeBodies = 0
    const statuses = new Map<number, number>()

    const property = fc.asyncProperty(
      fc.array(hostileRequest(world), { minLength: CONCURRENCY, maxLength: CONCURRENCY }),
      async (batch) => {
        const responses = await Promise.all(batch.map(send))
        sent += batch.length
        hugeBodies += batch.filter((request) => (request.body?.length ?? 0) >= 100_000).length
        for (const [index, response] of responses.entries()) {
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
          if (response.status === 201) {
            const { newItem } = JSON.parse(response.body) as { newItem: Group & Image }
            if ('imageId' in newItem) createdImages.push(newItem)
            else createdGroups.push(newItem)
          }
          checkAnswer(batch[index] as HostileRequest, response)
        }
      },
    )
    try {
      await fc.assert(property, { numRuns: RUNS, seed: SEED })
    } catch (error) {
      throw new Error(`hostile request fuzz failed with seed ${SEED} (replay: HOSTILE_SEED=${SEED})`, {
        cause: error,
      })
    }
    assert.ok(sent >= Math.min(MIN_REQUESTS, RUNS * CONCURRENCY), `sent ${sent} requests`)
    assert.ok(hugeBodies > 0, 'some bodies were 100 KB to 1 MB')
    const status = (code: number) => statuses.get(code) ?? 0
    assert.ok(
      status(201) > 0 && status(200) > 0 && status(400) > 0,
      `a mix of answers: ${JSON.stringify([...statuses])}`,
    )
    assert.ok(
      status(401) > 0 && status(404) > 0 && status(405) > 0,
      `a mix of answers: ${JSON.stringify([...statuses])}`,
    )

    const health = await fetch(`${env.rest}/groups`)
    assert.equal(health.status, 200, 'still serving')

    const groupsAfter = await allGroups()
    assert.equal(groupsAfter.length, groupsBefore.length + createdGroups.length, 'groups: before + 201s')
    const byId = new Map(groupsAfter.map((group) => [group.id, group]))
    for (const group of [...groupsBefore, ...createdGroups]) {
      assert.deepEqual(byId.get(group.id), group, `group ${group.id} is stored as it was answered`)
    }
    assert.ok(
      createdImages.every((image) => image.groupId === world.groupId),
      'images only went where a group exists',
    )
    const imagesAfter = await imagesOf(world.groupId)
    assert.deepEqual(
      imagesAfter.map((image) => image.imageId).sort(),
      [...imagesBefore, ...createdImages].map((image) => image.imageId).sort(),
      'images: before + 201s',
    )
    assert.deepEqual(await (await fetch(`${env.rest}/images/${world.imageId}`)).json(), fixtureImage)
  })
})

/**
 * A nextKey is base64url JSON of the last key read, checked by `decodeCursor` (src/adapters/dynamodb/
 * cursor.ts) for its attribute names and values of 1-2048 characters. DynamoDB caps a sort key at 1024
 * bytes, so a key that passes the check with a longer `timestamp` reaches DynamoDB, which answers
 * ValidationException ("Aggregated size of all range keys has exceeded the size limit of 1024 bytes"),
 * and the handler answers 500.
 */
describe('crafted nextKeys', () => {
  const cursor = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString('base64url')

  it('answers 400 to a groups nextKey whose timestamp is over 1024 bytes', async () => {
    const nextKey = cursor({ id: 'x', kind: 'group', timestamp: 'a'.repeat(1025) })
    const response = await fetch(`${env.rest}/groups?nextKey=${nextKey}`)
    assert.equal(response.status, 400, await response.text())
  })

  it('answers 400 to an images nextKey whose timestamp is over 1024 bytes', async () => {
    const nextKey = cursor({ groupId: world.groupId, timestamp: 'a'.repeat(1025) })
    const response = await fetch(`${env.rest}/groups/${world.groupId}/images?nextKey=${nextKey}`)
    assert.equal(response.status, 400, await response.text())
  })

  it('never answers 5XX to a nextKey of the right shape, whatever its values', async () => {
    const value = fc.oneof(
      hostileText(700),
      fc.integer({ min: 1, max: 1400 }).map((length) => 'a'.repeat(length)),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc
            .record({ id: value, kind: fc.constant('group'), timestamp: value })
            .map((key) => `/groups?nextKey=${cursor(key)}`),
          fc
            .record({ groupId: fc.constant(world.groupId), timestamp: value })
            .map((key) => `/groups/${world.groupId}/images?nextKey=${cursor(key)}`),
        ),
        async (path) => {
          const response = await fetch(`${env.rest}${path}`)
          assert.ok(
            response.status < 500,
            `${path.slice(0, 120)}… -> ${response.status} ${await response.text()}`,
          )
        },
      ),
      { numRuns: 100, seed: SEED },
    )
  })
})

/**
 * The local gateway builds `queryStringParameters`, `multiValueQueryStringParameters`, `headers` and
 * `multiValueHeaders` as plain objects (src/local/apigateway/request-parts.ts, `headersOf`/`queryOf`):
 * for a name like `constructor` or `__proto__`, `multi[key]` is an inherited member, not undefined, so
 * `values.push` throws and the request is answered 502. API Gateway passes such names on.
 */
describe('query parameters and headers named like Object.prototype members', () => {
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']

  it('passes such query parameters on to the function', async () => {
    for (const name of names) {
      const response = await send(request('GET', `${world.stagePath}/groups?${name}=1`, {}))
      assert.equal(response.status, 200, `?${name}=1 -> ${response.status} ${response.body}`)
    }
  })

  it('passes such headers on to the function', async () => {
    for (const name of names) {
      const response = await send(request('GET', `${world.stagePath}/groups`, { [name]: 'x' }))
      assert.equal(response.status, 200, `header ${name} -> ${response.status} ${response.body}`)
    }
  })
})

function request(method: string, path: string, headers: Record<string, string>): HostileRequest {
  return { method, path, headers, body: undefined, [fc.toStringMethod]: () => `${method} ${path}` }
}
