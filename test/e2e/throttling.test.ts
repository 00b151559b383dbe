import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, type RunningCloud, startTestCloud } from './local-cloud-fixture.ts'

// The stage's limits come from serverless.ts's params, here lowered with --param as `npm start` takes
// them. A rate of 0.01/s refills one token every 100 s: none comes back while the test runs.
const readBurst = 3
const writeBurst = 2

let env: RunningCloud
let token: string

before(async () => {
  env = await startTestCloud({
    params: {
      throttleRateLimit: '0.01',
      throttleBurstLimit: String(readBurst),
      writeThrottleRateLimit: '0.01',
      writeThrottleBurstLimit: String(writeBurst),
    },
  })
  token = await env.tokenFor('alice')
})
after(() => env.stop())

function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('origin', 'http://localhost:5173')
  headers.set('authorization', `Bearer ${token}`)
  if (init.body !== undefined) headers.set('content-type', 'application/json')
  return fetch(`${env.rest}${path}`, { ...init, headers })
}

const createGroup = (name: string) =>
  api('/groups', { method: 'POST', body: JSON.stringify({ name, description: '' }) })

async function assertThrottled(response: Response): Promise<void> {
  assert.equal(response.status, 429)
  assert.equal(response.headers.get('access-control-allow-origin'), '*')
  assert.equal(response.headers.get('access-control-allow-credentials'), 'true')
  assert.deepEqual(await response.json(), { message: 'Too Many Requests' })
}

describe('throttling by the local REST gateway, with the limits of serverless.ts', () => {
  it('creates as many groups as the write burst allows, then answers 429 without creating one', async () => {
    const created: Record<string, string>[] = []
    for (let index = 0; index < writeBurst; index++) {
      const response = await createGroup(`Group ${index}`)
      assert.equal(response.status, 201)
      created.push((await json(response)).newItem as Record<string, string>)
    }

    await assertThrottled(await createGroup('One too many'))

    const listed = await api('/groups')
    assert.equal(listed.status, 200)
    const { items } = (await json(listed)) as { items: Array<{ name: string }> }
    assert.deepEqual(items.map((group) => group.name).sort(), ['Group 0', 'Group 1'])
    const one = await api(`/groups/${created[0]?.id}`)
    assert.equal(one.status, 200, 'GET /groups/{groupId} has a bucket of its own')
  })

  it("answers the request past the stage's burst on a method with 429, and the ones before normally", async () => {
    const image = '/images/00000000-0000-4000-8000-000000000000'
    const answered: number[] = []
    for (let index = 0; index < readBurst; index++) {
      const response = await api(image)
      await response.arrayBuffer()
      answered.push(response.status)
    }

    assert.deepEqual(answered, Array(readBurst).fill(404), "the function's own 404: no such image")
    await assertThrottled(await api(image))
  })
})
