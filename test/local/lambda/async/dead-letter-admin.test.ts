import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { AsyncInvoker } from '#local/lambda/async/async-invoker.ts'
import { deadLetterAdmin } from '#local/lambda/async/dead-letter-admin.ts'
import { DiskDeadLetterStore, MemoryDeadLetterStore } from '#local/lambda/async/dead-letter-store.ts'
import { aDeadLetter, aDefinition, aRecordingLogger, ScriptedInvoker } from './async-fixture.ts'

const dlqScript = fileURLToPath(new URL('../../../../src/local/cli/dlq.ts', import.meta.url))

async function dlq(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [dlqScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { code, stdout, stderr }
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  )
}

let root: string
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'udagram-dlq-'))
})
after(() => rm(root, { recursive: true, force: true }))

describe('the dead-letter admin endpoints of a running local cloud', () => {
  const invoker = new ScriptedInvoker(() => ({ kind: 'ok', value: null }))
  let store: MemoryDeadLetterStore
  let asyncInvoker: AsyncInvoker
  let server: Server
  let origin: string
  let dataDir: string

  before(async () => {
    server = createServer((request, response) => {
      if (!deadLetterAdmin(asyncInvoker, store)(request, response)) response.writeHead(418).end()
    })
    origin = await listen(server)
    // What `npm run dlq` finds: the endpoints of the local cloud that last started on the folder.
    dataDir = join(root, 'running')
    await mkdir(dataDir)
    await writeFile(join(dataDir, 'endpoints.json'), JSON.stringify({ rest: `${origin}/dev` }))
  })

  beforeEach(async () => {
    store = new MemoryDeadLetterStore()
    asyncInvoker = new AsyncInvoker({
      invoker,
      functions: new Map([aDefinition('ResizeImage')]),
      deadLetters: store,
      logger: aRecordingLogger(),
    })
    await store.add(aDeadLetter())
  })

  after(async () => {
    await asyncInvoker.stop()
    await new Promise((resolve) => server.close(resolve))
  })

  it('lists the dead letters as JSON', async () => {
    const response = await fetch(`${origin}/_local/dead-letters`)

    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-type'), 'application/json')
    assert.deepEqual(await response.json(), { items: [aDeadLetter()] })
  })

  it('replays one: the event runs again and the entry is gone', async () => {
    const response = await fetch(`${origin}/_local/dead-letters/${aDeadLetter().id}/replay`, {
      method: 'POST',
    })
    await asyncInvoker.whenIdle()

    assert.equal(response.status, 202)
    const body = (await response.json()) as { id: string; eventId: string }
    assert.equal(body.id, aDeadLetter().id)
    assert.notEqual(body.eventId, aDeadLetter().id)
    assert.deepEqual(invoker.calls.at(-1), {
      functionName: 'ResizeImage',
      event: aDeadLetter().event,
      requestId: body.eventId,
    })
    assert.deepEqual(await store.list(), [])
  })

  it('refuses web pages (requests with an Origin), which could otherwise replay events', async () => {
    const callsBefore = invoker.calls.length
    const replay = await fetch(`${origin}/_local/dead-letters/${aDeadLetter().id}/replay`, {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
    })
    const list = await fetch(`${origin}/_local/dead-letters`, {
      headers: { origin: 'http://127.0.0.1:5173' },
    })

    assert.equal(replay.status, 403)
    assert.equal(replay.headers.get('access-control-allow-origin'), null)
    assert.match(((await replay.json()) as { message: string }).message, /npm run dlq/)
    assert.equal(list.status, 403)
    assert.equal(invoker.calls.length, callsBefore)
    assert.equal((await store.list()).length, 1)
  })

  it('answers 404 for an unknown id, 405 for another method, and leaves other paths alone', async () => {
    const unknown = await fetch(`${origin}/_local/dead-letters/00000000-0000-0000-0000-000000000000/replay`, {
      method: 'POST',
    })
    const wrongMethod = await fetch(`${origin}/_local/dead-letters/${aDeadLetter().id}/replay`)
    const notAnEndpoint = await fetch(`${origin}/_local/dead-letters/${aDeadLetter().id}`)
    const elsewhere = await fetch(`${origin}/dev/groups`)

    assert.equal(unknown.status, 404)
    assert.match(((await unknown.json()) as { message: string }).message, /no dead letter 00000000-/)
    assert.equal(wrongMethod.status, 405)
    assert.equal(wrongMethod.headers.get('allow'), 'POST')
    assert.equal(notAnEndpoint.status, 404)
    assert.equal(elsewhere.status, 418)
    assert.equal((await store.list()).length, 1)
  })

  it('is what `npm run dlq -- list` and `replay <id>` talk to', async () => {
    const listed = await dlq('list', '--data', dataDir)
    const replayed = await dlq('replay', aDeadLetter().id, '--data', dataDir)
    const again = await dlq('replay', aDeadLetter().id, '--data', dataDir)

    assert.equal(listed.code, 0)
    assert.match(listed.stdout, new RegExp(`1 dead letter, oldest first \\(the local cloud at ${origin}\\)`))
    assert.match(listed.stdout, new RegExp(aDeadLetter().id))
    assert.equal(replayed.code, 0, replayed.stderr)
    assert.match(replayed.stdout, new RegExp(`replayed ${aDeadLetter().id} as event [0-9a-f-]{36}`))
    assert.deepEqual(await store.list(), [])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /replay failed \(404\): no dead letter/)
  })
})

describe('npm run dlq without a running local cloud', () => {
  it('lists the entries kept on disk', async () => {
    const dataDir = join(root, 'stopped')
    const store = new DiskDeadLetterStore(dataDir)
    await store.add(aDeadLetter({ destination: 'arn:aws:sqs:us-east-1:000000000000:failures' }))
    await store.add(
      aDeadLetter({
        id: '0b5e7c1a-2222-4c3d-8e9f-123456789abc',
        functionName: 'SendUploadNotifications',
        attempts: 1,
        condition: 'EventAgeExceeded',
        lastError: { kind: 'timeout', message: 'Task timed out after 30.00 seconds' },
        failedAt: '2026-11-25T11:00:00.000Z',
      }),
    )

    const { code, stdout } = await dlq('list', '--data', dataDir)

    assert.equal(code, 0)
    assert.equal(
      stdout,
      [
        `2 dead letters, oldest first (${join(dataDir, 'dead-letters')}):`,
        '',
        '6f1c2b9e-8a43-4d6e-9c1f-2b7a5d3e4f10',
        '  function ResizeImage, from sns, 3 attempts, RetriesExhausted',
        '  error    UploadProcessingError: the upload cannot be processed',
        '  when     first tried 2026-11-25T10:00:00.000Z, given up 2026-11-25T10:00:03.000Z',
        '  on AWS it would go to arn:aws:sqs:us-east-1:000000000000:failures',
        '',
        '0b5e7c1a-2222-4c3d-8e9f-123456789abc',
        '  function SendUploadNotifications, from sns, 1 attempt, EventAgeExceeded',
        '  error    timeout: Task timed out after 30.00 seconds',
        '  when     first tried 2026-11-25T10:00:00.000Z, given up 2026-11-25T11:00:00.000Z',
        '',
        'replay one with: npm run dlq -- replay <id>',
        '',
      ].join('\n'),
    )
  })

  it('says when there is nothing to list', async () => {
    const { code, stdout } = await dlq('list', '--data', join(root, 'empty'))

    assert.equal(code, 0)
    assert.match(stdout, /^no dead letters/)
  })

  it('refuses to replay, saying the local cloud must run', async () => {
    const dataDir = join(root, 'gone')
    const server = createServer()
    const origin = await listen(server)
    await new Promise((resolve) => server.close(resolve))
    await mkdir(dataDir)
    await writeFile(join(dataDir, 'endpoints.json'), JSON.stringify({ rest: `${origin}/dev` }))

    const stale = await dlq('replay', aDeadLetter().id, '--data', dataDir)
    const never = await dlq('replay', aDeadLetter().id, '--data', join(root, 'never-started'))
    const usage = await dlq('replay', '--data', dataDir)

    assert.equal(stale.code, 1)
    assert.match(stale.stderr, /replay needs the local cloud running/)
    assert.equal(never.code, 1)
    assert.match(never.stderr, /replay needs the local cloud running/)
    assert.equal(usage.code, 2)
    assert.match(usage.stderr, /^usage: npm run dlq/)
  })
})
