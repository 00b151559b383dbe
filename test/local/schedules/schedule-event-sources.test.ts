import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MemoryDeadLetterStore } from '#local/lambda/async/dead-letter-store.ts'
import type { InvocationOutcome } from '#local/lambda/invocation.ts'
import { startScheduleEventSources } from '#local/schedules/schedule-event-sources.ts'
import type { FunctionConfig, ServiceDefinition } from '#local/serverless/service-definition.ts'
import { aDefinition, aRecordingLogger, ScriptedInvoker } from '#test/local/lambda/async/async-fixture.ts'
import { FakeClock } from './fake-clock.ts'

type Events = NonNullable<FunctionConfig['events']>

/** A resolved service whose functions have these events (and these top-level async settings). */
function aService(
  functions: Record<string, { events: Events } & Partial<FunctionConfig>>,
): ServiceDefinition {
  return {
    service: 'udagram',
    stage: 'dev',
    region: 'us-east-1',
    config: {
      service: 'udagram',
      provider: { name: 'aws' },
      functions: Object.fromEntries(
        Object.entries(functions).map(([name, fn]) => [name, { handler: 'x.handler', ...fn }]),
      ),
    },
    functions: new Map(
      Object.entries(functions).map(([name, { events }]) => {
        const [, definition] = aDefinition(name)
        return [name, { ...definition, events }]
      }),
    ),
    resources: {},
  }
}

const ok: InvocationOutcome = { kind: 'ok', value: null }

function start(service: ServiceDefinition, invoker = new ScriptedInvoker(() => ok)) {
  const clock = new FakeClock('2026-11-25T10:07:30Z')
  const deadLetters = new MemoryDeadLetterStore()
  const logger = aRecordingLogger()
  const sources = startScheduleEventSources({
    definition: service,
    functions: invoker,
    deadLetters,
    accountId: '000000000000',
    clock,
    retryDelaysMs: [0],
    logger,
  })
  return { sources, clock, invoker, deadLetters, logger }
}

describe('schedule event sources', () => {
  it('invoke the function with the EventBridge scheduled event each time its rate comes round', async () => {
    const { sources, clock, invoker } = start(
      aService({ Tick: { events: [{ schedule: { rate: ['rate(5 minutes)'] } }] } }),
    )

    clock.advanceTo('2026-11-25T10:12:29Z')
    assert.equal(invoker.calls.length, 0, 'not before the first period is over')
    clock.advanceTo('2026-11-25T10:22:30Z')
    await sources.stop()

    assert.deepEqual(
      invoker.calls.map(({ functionName, event }) => [functionName, (event as { time: string }).time]),
      [
        ['Tick', '2026-11-25T10:12:30Z'],
        ['Tick', '2026-11-25T10:17:30Z'],
        ['Tick', '2026-11-25T10:22:30Z'],
      ],
    )
    const { id, ...event } = (invoker.calls[0]?.event ?? {}) as Record<string, unknown>
    assert.match(String(id), /^[0-9a-f-]{36}$/)
    assert.deepEqual(event, {
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2026-11-25T10:12:30Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/udagram-dev-Tick-schedule-1'],
      detail: {},
    })
  })

  it('follow cron expressions in UTC, and name the rule after the event when it has a name', async () => {
    const { sources, clock, invoker } = start(
      aService({
        Nightly: { events: [{ schedule: { rate: ['cron(0 2 * * ? *)'], name: 'nightly-cleanup' } }] },
      }),
    )

    assert.deepEqual(
      sources.rules.map(({ functionName, expression, next }) => [
        functionName,
        expression,
        next?.toISOString(),
      ]),
      [['Nightly', 'cron(0 2 * * ? *)', '2026-11-26T02:00:00.000Z']],
    )
    clock.advanceTo('2026-11-28T00:00:00Z')
    await sources.stop()

    assert.deepEqual(
      invoker.calls.map(({ event }) => (event as { time: string; resources: string[] }).time),
      ['2026-11-26T02:00:00Z', '2026-11-27T02:00:00Z'],
    )
    assert.deepEqual((invoker.calls[0]?.event as { resources?: string[] } | undefined)?.resources, [
      'arn:aws:events:us-east-1:000000000000:rule/nightly-cleanup',
    ])
  })

  it('pass the input instead of the scheduled event when the schedule has one', async () => {
    const { sources, clock, invoker } = start(
      aService({
        Text: { events: [{ schedule: { rate: ['rate(1 minute)'], input: '{"dryRun":true}' } }] },
        Object: {
          events: [{ schedule: { rate: ['rate(1 minute)'], input: { key: 'value', body: '{"a":1}' } } }],
        },
      }),
    )

    clock.advanceTo('2026-11-25T10:08:30Z')
    await sources.stop()

    assert.deepEqual(
      invoker.calls.map(({ functionName, event }) => [functionName, event]),
      [
        ['Text', { dryRun: true }],
        ['Object', { key: 'value', body: { a: 1 } }],
      ],
    )
  })

  it('leave disabled schedules out, whether false or the string a param gives', async () => {
    const { sources, clock, invoker } = start(
      aService({
        Off: { events: [{ schedule: { rate: ['rate(1 minute)'], enabled: false } }] },
        OffByParam: {
          events: [{ schedule: { rate: ['rate(1 minute)'], enabled: 'false' as unknown as boolean } }],
        },
        OnByParam: {
          events: [{ schedule: { rate: ['rate(1 minute)'], enabled: 'true' as unknown as boolean } }],
        },
        Short: { events: [{ schedule: 'rate(1 minute)' }] },
      }),
    )

    clock.advanceTo('2026-11-25T10:08:30Z')
    await sources.stop()

    assert.deepEqual(invoker.calls.map(({ functionName }) => functionName).sort(), ['OnByParam', 'Short'])
    assert.deepEqual(
      sources.rules.map(({ functionName }) => functionName),
      ['OnByParam', 'Short'],
    )
  })

  it('retry a failing function as an asynchronous invocation, then keep the event as a dead letter', async () => {
    const invoker = new ScriptedInvoker(() => ({ kind: 'error', errorType: 'Error', errorMessage: 'boom' }))
    const { sources, clock, deadLetters } = start(
      aService({
        Fails: {
          events: [{ schedule: { rate: ['rate(1 hour)'] } }],
          maximumRetryAttempts: 1,
          destinations: { onFailure: 'arn:aws:sqs:us-east-1:000000000000:failures' },
        },
      }),
      invoker,
    )

    clock.advanceTo('2026-11-25T11:07:30Z')
    await sources.whenIdle()
    await sources.stop()

    assert.equal(invoker.calls.length, 2, 'the first attempt and one retry')
    assert.equal(invoker.calls[0]?.requestId, invoker.calls[1]?.requestId, 'one request id across retries')
    const [letter, ...more] = await deadLetters.list()
    assert.deepEqual(more, [])
    assert.equal(letter?.functionName, 'Fails')
    assert.equal(letter?.source, 'aws.events')
    assert.equal(letter?.condition, 'RetriesExhausted')
    assert.equal((letter?.event as Record<string, unknown> | undefined)?.['detail-type'], 'Scheduled Event')
  })

  it('fire nothing more once stopped', async () => {
    const { sources, clock, invoker } = start(
      aService({ Tick: { events: [{ schedule: { rate: ['rate(1 minute)'] } }] } }),
    )

    clock.advanceTo('2026-11-25T10:08:30Z')
    await sources.stop()
    clock.advanceTo('2026-11-25T11:00:00Z')

    assert.equal(invoker.calls.length, 1)
    assert.equal(clock.pendingTimers, 0)
  })

  it('refuse, naming the function, a bad expression or an input EventBridge would transform', () => {
    assert.throws(
      () => start(aService({ Bad: { events: [{ schedule: { rate: ['cron(0 10 * * * *)'] } }] } })),
      /Bad's schedule: cron\(0 10 \* \* \* \*\): exactly one of day-of-month and day-of-week/,
    )
    assert.throws(
      () =>
        start(
          aService({ Path: { events: [{ schedule: { rate: ['rate(1 hour)'], inputPath: '$.detail' } }] } }),
        ),
      /Path's schedule event 1: inputPath is not supported by the local cloud/,
    )
  })
})
