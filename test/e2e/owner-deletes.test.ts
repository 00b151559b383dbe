import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import sharp from 'sharp'
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

const ORIGIN = 'https://app.example'

async function api(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('origin', ORIGIN)
  if (init.token) headers.set('authorization', `Bearer ${init.token}`)
  if (init.body) headers.set('content-type', 'application/json')
  return fetch(`${env.rest}${path}`, { ...init, headers })
}

const remove = (path: string, token?: string) =>
  api(path, token === undefined ? { method: 'DELETE' } : { method: 'DELETE', token })

async function created(response: Response): Promise<Record<string, unknown>> {
  assert.equal(response.status, 201, await response.clone().text())
  return json(response)
}

const until = <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string) =>
  eventually(read, done, what, 10_000)

async function searchIds(q: string): Promise<string[]> {
  const response = await api(`/images/search?q=${encodeURIComponent(q)}`)
  assert.equal(response.status, 200)
  const body = (await response.json()) as { items: Array<{ item: { imageId: string } }> }
  return body.items.map((hit) => hit.item.imageId)
}

async function assertAnswers(response: Response, status: number, message: string): Promise<void> {
  assert.equal(response.status, status)
  assert.deepEqual(await json(response), { message })
}

describe('owner deletes: DELETE /groups/{groupId} and DELETE /images/{imageId}', () => {
  it('lets only the creator delete an image, with its bytes, thumbnail and search entry, then the emptied group', async () => {
    const group = (
      await created(
        await api('/groups', {
          method: 'POST',
          token: aliceToken,
          body: JSON.stringify({ name: 'Marsupials', description: '' }),
        }),
      )
    ).newItem as { id: string }
    const title = 'Wombat at the lighthouse'
    const jpeg = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#8a6d3b' } })
      .jpeg()
      .toBuffer()
    const { newItem, uploadUrl } = (await created(
      await api(`/groups/${group.id}/images`, {
        method: 'POST',
        token: aliceToken,
        body: JSON.stringify({ title, contentType: 'image/jpeg', contentLength: jpeg.length }),
      }),
    )) as { newItem: { imageId: string; imageUrl: string }; uploadUrl: string }
    const imageId = newItem.imageId
    const put = await fetch(uploadUrl, {
      method: 'PUT',
      body: jpeg,
      headers: { 'content-type': 'image/jpeg' },
    })
    assert.equal(put.status, 200)
    const ready = await until(
      async () =>
        (await json(await api(`/images/${imageId}`))).item as { status: string; thumbnailUrl?: string },
      (item) => item.status === 'ready',
      'the thumbnail',
    )
    const thumbnailUrl = String(ready.thumbnailUrl)
    assert.equal((await fetch(newItem.imageUrl)).status, 200)
    assert.equal((await fetch(thumbnailUrl)).status, 200)
    await until(
      () => searchIds('wombat lighthouse'),
      (ids) => ids.includes(imageId),
      'indexing',
    )

    await assertAnswers(await remove(`/images/${imageId}`), 401, 'Unauthorized')
    await assertAnswers(await remove(`/groups/${group.id}`), 401, 'Unauthorized')
    await assertAnswers(
      await remove(`/images/${imageId}`, bobToken),
      403,
      `only the creator of image ${imageId} may delete it`,
    )
    await assertAnswers(
      await remove(`/groups/${group.id}`, bobToken),
      403,
      `only the creator of group ${group.id} may delete it`,
    )
    await assertAnswers(
      await remove(`/groups/${group.id}`, aliceToken),
      409,
      `group ${group.id} still has images`,
    )
    assert.equal((await api(`/images/${imageId}`)).status, 200, 'refused deletes change nothing')

    const deleted = await remove(`/images/${imageId}`, aliceToken)
    assert.equal(deleted.status, 204)
    assert.equal(await deleted.text(), '')
    assert.equal(deleted.headers.get('access-control-allow-origin'), ORIGIN)

    assert.equal((await api(`/images/${imageId}`)).status, 404)
    assert.deepEqual((await json(await api(`/groups/${group.id}/images`))).items, [])
    for (const url of [newItem.imageUrl, thumbnailUrl]) {
      const served = await fetch(url)
      assert.ok([403, 404].includes(served.status), `${url} is still served: ${served.status}`)
    }
    await until(
      () => searchIds('wombat lighthouse'),
      (ids) => !ids.includes(imageId),
      'unindexing',
    )
    await assertAnswers(
      await remove(`/images/${imageId}`, aliceToken),
      404,
      `image ${imageId} does not exist`,
    )

    const groupDeleted = await remove(`/groups/${group.id}`, aliceToken)
    assert.equal(groupDeleted.status, 204)
    assert.equal(await groupDeleted.text(), '')
    assert.equal((await api(`/groups/${group.id}`)).status, 404)
    await assertAnswers(
      await remove(`/groups/${group.id}`, aliceToken),
      404,
      `group ${group.id} does not exist`,
    )
  })

  it('answers 404 for a group or an image that never existed', async () => {
    await assertAnswers(
      await remove('/groups/no-such-group', aliceToken),
      404,
      'group no-such-group does not exist',
    )
    await assertAnswers(
      await remove('/images/no-such-image', aliceToken),
      404,
      'image no-such-image does not exist',
    )
  })

  it('lets browsers send DELETE: preflights and the gateway’s own errors allow it', async () => {
    for (const path of ['/groups/some-group', '/images/some-image']) {
      const preflight = await api(path, {
        method: 'OPTIONS',
        headers: {
          'access-control-request-method': 'DELETE',
          'access-control-request-headers': 'authorization',
        },
      })

      assert.equal(preflight.status, 200, path)
      assert.ok(preflight.headers.get('access-control-allow-methods')?.split(',').includes('DELETE'), path)
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/, path)
    }
    const unauthorized = await remove('/images/some-image')
    assert.equal(unauthorized.status, 401)
    assert.ok(unauthorized.headers.get('access-control-allow-methods')?.split(',').includes('DELETE'))
  })
})
