import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { LOCAL_CREDENTIALS } from '#local/local-cloud.ts'
import { launchDebianChromium } from './debian-chromium.ts'
import { eventually, json, projectRoot, type RunningCloud, startTestCloud } from './local-cloud-fixture.ts'

/** Debian's Chromium, which .ci/run installs: this suite fails, never skips, without it. */
const SCREENSHOTS = join(projectRoot, 'test-results/operator-console')
const IMAGES_TABLE = 'udagram-dev-images'
/** Sent as X-Correlation-Id with the create request, so the test knows the trace to open. */
const correlationId = `console-e2e-${randomUUID()}`

let env: RunningCloud
let consoleUrl: string
let token: string
let browser: Browser
let upload: { groupId: string; imageId: string }

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${env.rest}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-correlation-id': correlationId,
      ...init.headers,
    },
  })
}

async function consoleJson<T>(path: string): Promise<T> {
  const response = await fetch(new URL(path, consoleUrl))
  assert.equal(response.status, 200, path)
  return (await response.json()) as T
}

interface Summary {
  id: string
  functionName: string
  trigger: string
  outcome: string
  disposition?: string
  correlationIds: string[]
}
interface Span {
  id: string
  parentId?: string
  kind: string
  name: string
  startedAt: number
}

before(async () => {
  browser = await launchDebianChromium()
  await mkdir(SCREENSHOTS, { recursive: true })
  env = await startTestCloud({ console: true })
  consoleUrl = env.cloud.endpoints.console ?? assert.fail('the local cloud serves no console')
  token = await env.tokenFor('alice')

  // An upload through the REST API: a group, an image, the PUT to its presigned URL.
  const group = (
    await json(
      await api('/groups', { method: 'POST', body: JSON.stringify({ name: 'Console', description: '' }) }),
    )
  ).newItem as { id: string }
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer()
  const created = await api(`/groups/${String(group.id)}/images`, {
    method: 'POST',
    body: JSON.stringify({ title: 'Traced', contentType: 'image/jpeg', contentLength: jpeg.byteLength }),
  })
  assert.equal(created.status, 201)
  const { newItem, uploadUrl } = (await created.json()) as { newItem: { imageId: string }; uploadUrl: string }
  const put = await fetch(uploadUrl, { method: 'PUT', body: jpeg, headers: { 'content-type': 'image/jpeg' } })
  assert.equal(put.status, 200)
  upload = { groupId: String(group.id), imageId: newItem.imageId }
})
after(async () => {
  await browser?.close()
  await env?.stop()
})

async function openConsole(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } })
  page.setDefaultTimeout(30_000)
  await page.goto(consoleUrl)
  return page
}

describe('the operator console', () => {
  it('lists the invocations of an upload, from the API call to the indexer', async () => {
    const items = await eventually(
      () => consoleJson<{ items: Summary[] }>(`/api/invocations?correlationId=${correlationId}`),
      ({ items }) =>
        ['CreateImage', 'ResizeImage', 'SendUploadNotifications', 'IndexImages'].every((name) =>
          items.some((item) => item.functionName === name && item.outcome === 'ok'),
        ),
      'the upload chain in the console',
    )
    const triggerOf = (name: string) => items.items.find((item) => item.functionName === name)?.trigger
    assert.equal(triggerOf('CreateImage'), 'http')
    assert.equal(triggerOf('ResizeImage'), 's3->sns')
    assert.equal(triggerOf('IndexImages'), 'stream')

    const page = await openConsole()
    for (const name of ['CreateImage', 'ResizeImage', 'SendUploadNotifications', 'IndexImages']) {
      await page.locator(`[data-testid="invocations"] tr[data-function="${name}"]`).first().waitFor()
    }
    await page.locator('[data-testid="invocations"] tr[data-function="CreateImage"]').first().click()
    await page.locator('[data-testid="detail"] pre.logs', { hasText: 'image created' }).waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'invocations.png'), fullPage: true })
    await page.close()
  })

  it("shows the upload's trace as a waterfall: invocations with their SDK calls inside", async () => {
    const trace = await eventually(
      () => consoleJson<{ spans: Span[] }>(`/api/traces/${correlationId}`),
      ({ spans }) => spans.some((span) => span.name === 'IndexImages'),
      'the trace with the indexer',
    )
    const parents = trace.spans.filter((span) => span.parentId === undefined)
    const names = parents.map((span) => span.name)
    const at = (prefix: string) => names.findIndex((name) => name.startsWith(prefix))
    assert.ok(at('CreateImage') >= 0 && at('CreateImage') < at(`S3 PUT`), names.join(' | '))
    assert.ok(at('S3 PUT') < at('SNS delivery'), names.join(' | '))
    assert.ok(at('SNS delivery') < at('ResizeImage'), names.join(' | '))
    assert.ok(at('SNS delivery') < at('SendUploadNotifications'), names.join(' | '))
    assert.ok(at('IndexImages') > at('CreateImage'), names.join(' | '))
    assert.ok(
      names.some((name) => name.includes(upload.imageId)),
      'the PUT of the uploaded image',
    )
    // Every SDK call comes right after its invocation (or a sibling), in order of start.
    let parent: Span | undefined
    let previousChild: Span | undefined
    for (const span of trace.spans) {
      if (span.parentId === undefined) {
        parent = span
        previousChild = undefined
        continue
      }
      assert.equal(span.parentId, parent?.id, `${span.name} sits under its invocation`)
      assert.equal(span.kind, 'sdk-call')
      if (previousChild !== undefined) assert.ok(span.startedAt >= previousChild.startedAt)
      previousChild = span
    }
    const resizeCalls = trace.spans.filter((span) => span.parentId === parents[at('ResizeImage')]?.id)
    assert.ok(resizeCalls.length >= 2, 'ResizeImage reads the image and writes its thumbnail')

    const page = await openConsole()
    await page.locator(`button[data-correlation-id="${correlationId}"]`).first().click()
    await page.locator('.waterfall .row[data-kind="sdk-call"]').first().waitFor()
    await page.locator('.waterfall .row', { hasText: 'IndexImages' }).first().waitFor()
    const kinds = await page
      .locator('.waterfall .row')
      .evaluateAll((rows) =>
        rows.map((row) => (row as unknown as { dataset: { kind: string } }).dataset.kind),
      )
    assert.equal(kinds.filter((kind) => kind === 'invocation').length >= 4, true, kinds.join(','))
    await page.screenshot({ path: join(SCREENSHOTS, 'trace.png'), fullPage: true })
    await page.close()
  })

  it('shows a dead-lettered stream batch and replays it from the page', async () => {
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: env.cloud.endpoints.dynamodb,
        region: 'us-east-1',
        credentials: LOCAL_CREDENTIALS,
      }),
    )
    // Written by hand, with a number for a title: the indexer cannot read it as an image.
    await documents.send(
      new PutCommand({
        TableName: IMAGES_TABLE,
        Item: { groupId: upload.groupId, timestamp: new Date().toISOString(), imageId: 'broken', title: 42 },
      }),
    )
    const letters = await eventually(
      () => consoleJson<{ items: Array<{ id: string; functionName: string }> }>('/api/dead-letters'),
      ({ items }) => items.length > 0,
      'a dead letter',
      60_000,
    )
    const letter = letters.items[0] ?? assert.fail('no dead letter')
    assert.equal(letter.functionName, 'IndexImages')
    const marked = await consoleJson<{ items: Summary[] }>('/api/invocations?outcome=dead-lettered')
    assert.ok(marked.items.some((item) => item.functionName === 'IndexImages'))
    assert.ok((await consoleJson<{ items: Summary[] }>('/api/invocations?outcome=retried')).items.length > 0)

    const page = await openConsole()
    const row = page.locator(`[data-testid="dead-letters"] tr[data-id="${letter.id}"]`)
    await row.waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'dead-letters.png'), fullPage: true })
    await row.getByRole('button', { name: 'Replay' }).click()
    await page.locator('#replay-status', { hasText: `Replayed ${letter.id}` }).waitFor()
    await row.waitFor({ state: 'detached' })
    await page.screenshot({ path: join(SCREENSHOTS, 'replayed.png'), fullPage: true })
    await page.close()
  })

  it('refuses a replay without the page token, or from another origin', async () => {
    const url = new URL('/api/dead-letters/some-id/replay', consoleUrl)
    const page = await (await fetch(consoleUrl)).text()
    const pageToken =
      /name="console-token" content="([^"]+)"/.exec(page)?.[1] ?? assert.fail('no token in the page')

    const without = await fetch(url, { method: 'POST' })
    const foreign = await fetch(url, {
      method: 'POST',
      headers: { 'x-console-token': pageToken, origin: 'http://evil.test' },
    })
    const wrongHost = await new Promise<number>((resolve, reject) => {
      request(
        url,
        { method: 'POST', headers: { 'x-console-token': pageToken, host: 'evil.test' } },
        (response) => {
          response.resume()
          resolve(response.statusCode ?? 0)
        },
      )
        .on('error', reject)
        .end()
    })
    const allowed = await fetch(url, { method: 'POST', headers: { 'x-console-token': pageToken } })

    assert.equal(without.status, 403)
    assert.equal(foreign.status, 403)
    assert.equal(wrongHost, 421)
    assert.equal(allowed.status, 404, 'with the token, an unknown id is simply not found')
    assert.equal(new URL(consoleUrl).hostname, '127.0.0.1')
  })

  it('shows no bearer token, JWT or signature anywhere in its JSON after a full upload', async () => {
    const { items } = await consoleJson<{ items: Summary[] }>('/api/invocations')
    const documents = [
      JSON.stringify(items),
      ...(await Promise.all(
        items.map((item) => consoleJson(`/api/invocations/${item.id}`).then((d) => JSON.stringify(d))),
      )),
      JSON.stringify(await consoleJson(`/api/traces/${correlationId}`)),
      JSON.stringify(await consoleJson('/api/dead-letters')),
      JSON.stringify(await consoleJson('/api/metrics')),
    ]
    const everything = documents.join('\n')

    assert.ok(items.some((item) => item.functionName === 'CreateImage'))
    assert.ok(!everything.includes(token), 'the bearer token')
    assert.doesNotMatch(everything, /eyJ[A-Za-z0-9_-]{10,}/)
    assert.doesNotMatch(everything, /X-Amz-Signature=[0-9a-f]/i)
    assert.match(everything, /ImagesCreated/, 'the metrics are there')
  })
})
