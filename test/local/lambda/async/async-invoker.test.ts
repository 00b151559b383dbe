import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { asyncConfigsFrom } from '#local/lambda/async/async-config.ts'
import {
  AsyncInvocationError,
  AsyncInvoker,
  type AsyncInvokerOptions,
} from '#local/lambda/async/async-invoker.ts'
import { DiskDeadLetterStore, MemoryDeadLetterStore } from '#local/lambda/async/dead-letter-store.ts'
import { LocalLambda } from '#local/lambda/local-lambda.ts'
import {
  aDeadLetter,
  aDefinition,
  anAsyncFunction,
  aRecordingLogger,
  recordedEvents,
  ScriptedInvoker,
} from './async-fixture.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const failureQueue = { type: 'sqs' as const, arn: { 'Fn::GetAtt': ['AsyncFailuresQueue', 'Arn'] } }

describe('asynchronous invocation through the local Lambda', () => {
  let dir: string
  let lambda: LocalLambda
  let functions: AsyncInvokerOptions['functions']
  const file = (name: string) => join(dir, name)

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'udagram-async-'))
    functions = new Map([
      anAsyncFunction('Record', 'recordEvent', { environment: { RECORD_FILE: file('record.jsonl') } }),
      anAsyncFunction('FailOnce', 'failFirstTimes', {
        environment: { RECORD_FILE: file('fail-once.jsonl'), FAIL_TIMES: '1' },
      }),
      anAsyncFunction('AlwaysFail', 'alwaysFail', {
        environment: { RECORD_FILE: file('always-fail.jsonl') },
      }),
      anAsyncFunction('FailNoRetry', 'alwaysFail', { environment: { RECORD_FILE: file('no-retry.jsonl') } }),
      anAsyncFunction('Flaky', 'failWhileMarkerExists', {
        environment: { RECORD_FILE: file('flaky.jsonl'), FAIL_MARKER: file('flaky.marker') },
      }),
      anAsyncFunction('ShortLived', 'alwaysFail', {
        environment: { RECORD_FILE: file('short-lived.jsonl') },
      }),
    ])
    lambda = new LocalLambda({
      functions,
      region: 'us-east-1',
      accountId: '000000000000',
      runtimeEnvironment: {},
    })
  })

  after(async () => {
    await lambda.stop()
    await rm(dir, { recursive: true, force: true })
  })

  function anInvoker(dataDir: string, retryDelaysMs = [1, 1]) {
    const deadLetters = new DiskDeadLetterStore(dataDir)
    const asyncInvoker = new AsyncInvoker({
      invoker: lambda,
      functions,
      deadLetters,
      retryDelaysMs,
      // The asynchronous settings as serverless.ts writes them, read the way the local cloud reads them.
      asyncConfig: asyncConfigsFrom({
        AlwaysFail: { handler: 'fixture.alwaysFail', destinations: { onFailure: failureQueue } },
        FailNoRetry: { handler: 'fixture.alwaysFail', maximumRetryAttempts: 0 },
        Flaky: {
          handler: 'fixture.failWhileMarkerExists',
          maximumRetryAttempts: 1,
          onError: 'arn:aws:sns:us-east-1:000000000000:dlq',
        },
        ShortLived: { handler: 'fixture.alwaysFail', maximumEventAge: 60 },
      }),
      logger: aRecordingLogger(),
    })
    return { asyncInvoker, deadLetters }
  }

  it('invokes the function once and keeps nothing when it succeeds', async () => {
    const { asyncInvoker, deadLetters } = anInvoker(file('ok'))

    const { eventId } = asyncInvoker.invokeAsync('Record', { n: 1 }, { source: 'sns' })
    await asyncInvoker.whenIdle()

    assert.match(eventId, UUID)
    assert.deepEqual(await recordedEvents(file('record.jsonl')), [{ n: 1 }])
    assert.deepEqual(await deadLetters.list(), [])
  })

  it('retries a failed invocation and stops at the first success', async () => {
    const { asyncInvoker, deadLetters } = anInvoker(file('retry'))

    asyncInvoker.invokeAsync('FailOnce', { n: 2 }, { source: 'sns' })
    await asyncInvoker.whenIdle()

    assert.deepEqual(await recordedEvents(file('fail-once.jsonl')), [{ n: 2 }, { n: 2 }])
    assert.deepEqual(await deadLetters.list(), [])
  })

  it('tries a function that always fails 1 + maximumRetryAttempts times, then keeps the event on disk', async () => {
    const dataDir = file('exhausted')
    const { asyncInvoker } = anInvoker(dataDir)

    const { eventId } = asyncInvoker.invokeAsync('AlwaysFail', { n: 3 }, { source: 'sns' })
    const noRetry = asyncInvoker.invokeAsync('FailNoRetry', { n: 4 }, { source: 's3' })
    await asyncInvoker.whenIdle()

    assert.equal((await recordedEvents(file('always-fail.jsonl'))).length, 3)
    assert.equal((await recordedEvents(file('no-retry.jsonl'))).length, 1)
    const reopened = new DiskDeadLetterStore(dataDir)
    const entry = await reopened.get(eventId)
    assert.ok(entry !== undefined)
    const { firstAttemptAt, failedAt, ...rest } = entry
    assert.deepEqual(rest, {
      id: eventId,
      functionName: 'AlwaysFail',
      source: 'sns',
      event: { n: 3 },
      attempts: 3,
      condition: 'RetriesExhausted',
      lastError: { kind: 'error', type: 'UploadProcessingError', message: 'the upload cannot be processed' },
      destination: failureQueue,
    })
    assert.ok(firstAttemptAt <= failedAt)
    assert.deepEqual((await reopened.list()).map((letter) => [letter.functionName, letter.attempts]).sort(), [
      ['AlwaysFail', 3],
      ['FailNoRetry', 1],
    ])
    assert.equal((await reopened.get(noRetry.eventId))?.source, 's3')
  })

  it('replays a dead letter once the function recovers, and removes it', async () => {
    const { asyncInvoker, deadLetters } = anInvoker(file('replay'))
    await writeFile(file('flaky.marker'), '')
    const { eventId } = asyncInvoker.invokeAsync('Flaky', { n: 5 }, { source: 'sns' })
    await asyncInvoker.whenIdle()
    const [entry] = await deadLetters.list()
    assert.equal(entry?.attempts, 2)
    assert.equal(entry?.destination, 'arn:aws:sns:us-east-1:000000000000:dlq')

    await rm(file('flaky.marker'))
    const replayed = await asyncInvoker.replay(eventId)
    await asyncInvoker.whenIdle()

    assert.ok(replayed !== undefined && replayed.eventId !== eventId)
    assert.deepEqual(await recordedEvents(file('flaky.jsonl')), [{ n: 5 }, { n: 5 }, { n: 5 }])
    assert.deepEqual(await deadLetters.list(), [])
    assert.equal(await asyncInvoker.replay(eventId), undefined)
  })

  it('gives up on an event that would be older than maximumEventAge by its next retry', async () => {
    const { asyncInvoker, deadLetters } = anInvoker(file('too-old'), [61_000])

    asyncInvoker.invokeAsync('ShortLived', { n: 6 }, { source: 'sns' })
    await asyncInvoker.whenIdle()

    assert.equal((await recordedEvents(file('short-lived.jsonl'))).length, 1)
    const [entry] = await deadLetters.list()
    assert.equal(entry?.condition, 'EventAgeExceeded')
    assert.equal(entry?.attempts, 1)
  })
})

describe('asynchronous invocation, with a scripted invoker', () => {
  const failure = { kind: 'error', errorType: 'Error', errorMessage: 'boom' } as const

  function anInvoker(invoker: ScriptedInvoker, overrides: Partial<AsyncInvokerOptions> = {}) {
    const deadLetters = new MemoryDeadLetterStore()
    const asyncInvoker = new AsyncInvoker({
      invoker,
      functions: new Map([aDefinition('Slow'), aDefinition('Fast'), aDefinition('Broken')]),
      deadLetters,
      retryDelaysMs: [1],
      logger: aRecordingLogger(),
      ...overrides,
    })
    return { asyncInvoker, deadLetters }
  }

  it('gives up on an event that grew older than maximumEventAge while it was tried', async () => {
    let now = Date.parse('2026-11-25T10:00:00.000Z')
    const invoker = new ScriptedInvoker(() => {
      now += 61_000
      return failure
    })
    const { asyncInvoker, deadLetters } = anInvoker(invoker, {
      now: () => new Date(now),
      asyncConfig: asyncConfigsFrom({ Slow: { handler: 'x.y', maximumEventAge: 60 } }),
    })

    asyncInvoker.invokeAsync('Slow', {}, { source: 'sns' })
    await asyncInvoker.whenIdle()

    const [entry] = await deadLetters.list()
    assert.equal(entry?.condition, 'EventAgeExceeded')
    assert.equal(entry?.firstAttemptAt, '2026-11-25T10:00:00.000Z')
    assert.equal(entry?.failedAt, '2026-11-25T10:01:01.000Z')
  })

  it('lets other events run while one waits for its retry, and keeps the waiting one when stopped', async () => {
    const invoker = new ScriptedInvoker((name) => (name === 'Slow' ? failure : { kind: 'ok', value: null }))
    const { asyncInvoker, deadLetters } = anInvoker(invoker, { retryDelaysMs: [3_600_000] })

    const slow = asyncInvoker.invokeAsync('Slow', { slow: true }, { source: 'sns' })
    asyncInvoker.invokeAsync('Fast', { fast: true }, { source: 'sns' })
    // Fast is tried while Slow waits an hour for its retry (a bounded number of turns, not a timer).
    for (let turn = 0; turn < 1000 && invoker.calls.length < 2; turn++) {
      await new Promise((resolve) => setImmediate(resolve))
    }
    await asyncInvoker.stop()

    assert.deepEqual(
      invoker.calls.map((call) => call.functionName),
      ['Slow', 'Fast'],
    )
    const [entry] = await deadLetters.list()
    assert.equal(entry?.id, slow.eventId)
    assert.equal(entry?.condition, 'Interrupted')
    assert.equal(entry?.attempts, 1)
  })

  it('keeps an event that arrives while stopping, untried', async () => {
    const invoker = new ScriptedInvoker(() => ({ kind: 'ok', value: null }))
    const { asyncInvoker, deadLetters } = anInvoker(invoker)
    await asyncInvoker.stop()

    const { eventId } = asyncInvoker.invokeAsync('Fast', { late: true }, { source: 's3' })
    await asyncInvoker.whenIdle()

    assert.equal(invoker.calls.length, 0)
    const entry = await deadLetters.get(eventId)
    assert.equal(entry?.attempts, 0)
    assert.equal(entry?.lastError.kind, 'not-invoked')
    await assert.rejects(asyncInvoker.replay(eventId), { code: 'Stopping' })
  })

  it('keeps one request id, the event id, across the retries of an event', async () => {
    const invoker = new ScriptedInvoker((_name, attempt) =>
      attempt < 3 ? failure : { kind: 'ok', value: null },
    )
    const { asyncInvoker } = anInvoker(invoker)

    const { eventId } = asyncInvoker.invokeAsync('Slow', {}, { source: 'sns' })
    await asyncInvoker.whenIdle()

    assert.deepEqual(
      invoker.calls.map((call) => call.requestId),
      [eventId, eventId, eventId],
    )
  })

  it('records timeouts and crashes as Lambda words them', async () => {
    const invoker = new ScriptedInvoker((name) =>
      name === 'Slow'
        ? { kind: 'timeout', timeoutSeconds: 3 }
        : { kind: 'crash', errorMessage: 'Runtime exited' },
    )
    const noRetries = asyncConfigsFrom({
      Slow: { handler: 'x.y', maximumRetryAttempts: 0 },
      Broken: { handler: 'x.y', maximumRetryAttempts: 0 },
    })
    const { asyncInvoker, deadLetters } = anInvoker(invoker, { asyncConfig: noRetries })

    const slow = asyncInvoker.invokeAsync('Slow', {}, { source: 'sns' })
    const broken = asyncInvoker.invokeAsync('Broken', {}, { source: 'sns' })
    await asyncInvoker.whenIdle()

    assert.deepEqual((await deadLetters.get(slow.eventId))?.lastError, {
      kind: 'timeout',
      message: 'Task timed out after 3.00 seconds',
    })
    assert.deepEqual((await deadLetters.get(broken.eventId))?.lastError, {
      kind: 'crash',
      message: 'Runtime exited',
    })
  })

  it('refuses a function serverless.ts does not define, and keeps a dead letter whose function is gone', async () => {
    const { asyncInvoker, deadLetters } = anInvoker(new ScriptedInvoker(() => ({ kind: 'ok', value: null })))
    await deadLetters.add(aDeadLetter({ functionName: 'Removed' }))

    assert.throws(
      () => asyncInvoker.invokeAsync('Nope', {}, { source: 'sns' }),
      (error) => error instanceof AsyncInvocationError && error.code === 'FunctionNotFound',
    )
    await assert.rejects(asyncInvoker.replay(aDeadLetter().id), { code: 'FunctionNotFound' })
    assert.equal((await deadLetters.list()).length, 1)
  })

  it('checks its settings', () => {
    const invoker = new ScriptedInvoker(() => ({ kind: 'ok', value: null }))
    assert.throws(() => anInvoker(invoker, { retryDelaysMs: [] }), /retryDelaysMs/)
    assert.throws(
      () => asyncConfigsFrom({ F: { handler: 'x.y', maximumRetryAttempts: 3 } }),
      /F's maximumRetryAttempts must be an integer from 0 to 2, got 3/,
    )
    assert.throws(() => asyncConfigsFrom({ F: { handler: 'x.y', maximumEventAge: 30 } }), /from 60 to 21600/)
  })
})
