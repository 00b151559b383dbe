import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseScheduleExpression } from '#local/schedules/schedule-expression.ts'

const start = new Date('2026-11-25T10:07:30Z')

/** The next `count` times the expression fires after `from`. */
function firings(expression: string, from: string, count: number): string[] {
  const schedule = parseScheduleExpression(expression, start)
  const times: string[] = []
  let after = new Date(from)
  for (let i = 0; i < count; i++) {
    const next = schedule.nextAfter(after)
    if (next === undefined) break
    times.push(next.toISOString())
    after = next
  }
  return times
}

describe('rate expressions', () => {
  it('fire every period counted from the start', () => {
    assert.deepEqual(firings('rate(5 minutes)', start.toISOString(), 3), [
      '2026-11-25T10:12:30.000Z',
      '2026-11-25T10:17:30.000Z',
      '2026-11-25T10:22:30.000Z',
    ])
    assert.deepEqual(firings('rate(1 minute)', '2026-11-25T10:09:00Z', 1), ['2026-11-25T10:09:30.000Z'])
    assert.deepEqual(firings('rate(2 hours)', start.toISOString(), 1), ['2026-11-25T12:07:30.000Z'])
    assert.deepEqual(firings('rate(1 day)', start.toISOString(), 1), ['2026-11-26T10:07:30.000Z'])
    assert.deepEqual(firings('rate(3 days)', start.toISOString(), 1), ['2026-11-28T10:07:30.000Z'])
  })

  it('want a singular unit for 1 and a plural one otherwise, as EventBridge does', () => {
    assert.throws(() => parseScheduleExpression('rate(1 minutes)', start), /rate\(1 minute\)/)
    assert.throws(() => parseScheduleExpression('rate(5 minute)', start), /rate\(<n> minutes\)/)
    assert.throws(() => parseScheduleExpression('rate(0 hours)', start), /n greater than 1/)
    assert.throws(() => parseScheduleExpression('rate(5 seconds)', start), /neither rate/)
  })
})

describe('cron expressions (six fields, UTC)', () => {
  it('fire at fixed minutes, hours and days', () => {
    assert.deepEqual(firings('cron(0 10 * * ? *)', '2026-11-25T10:00:00Z', 2), [
      '2026-11-26T10:00:00.000Z',
      '2026-11-27T10:00:00.000Z',
    ])
    assert.deepEqual(firings('cron(15 12 1 * ? *)', '2026-11-25T00:00:00Z', 2), [
      '2026-12-01T12:15:00.000Z',
      '2027-01-01T12:15:00.000Z',
    ])
  })

  it('read steps, ranges and lists', () => {
    assert.deepEqual(firings('cron(0/15 * * * ? *)', '2026-11-25T10:07:30Z', 3), [
      '2026-11-25T10:15:00.000Z',
      '2026-11-25T10:30:00.000Z',
      '2026-11-25T10:45:00.000Z',
    ])
    assert.deepEqual(firings('cron(*/20 8-9 * * ? *)', '2026-11-25T09:30:00Z', 3), [
      '2026-11-25T09:40:00.000Z',
      '2026-11-26T08:00:00.000Z',
      '2026-11-26T08:20:00.000Z',
    ])
    assert.deepEqual(firings('cron(5,35 10-16/3 * * ? *)', '2026-11-25T10:07:30Z', 4), [
      '2026-11-25T10:35:00.000Z',
      '2026-11-25T13:05:00.000Z',
      '2026-11-25T13:35:00.000Z',
      '2026-11-25T16:05:00.000Z',
    ])
  })

  it('count days of the week from Sunday = 1, and read day and month names', () => {
    // 2026-11-27 is a Friday.
    assert.deepEqual(firings('cron(0 9-16 ? * MON-FRI *)', '2026-11-27T16:30:00Z', 2), [
      '2026-11-30T09:00:00.000Z',
      '2026-11-30T10:00:00.000Z',
    ])
    assert.deepEqual(firings('cron(0 12 ? * 1 *)', '2026-11-25T00:00:00Z', 1), ['2026-11-29T12:00:00.000Z'])
    assert.deepEqual(firings('cron(0 12 ? * sun,SAT *)', '2026-11-25T00:00:00Z', 2), [
      '2026-11-28T12:00:00.000Z',
      '2026-11-29T12:00:00.000Z',
    ])
    assert.deepEqual(firings('cron(0 0 29 FEB ? *)', '2026-11-25T00:00:00Z', 1), ['2028-02-29T00:00:00.000Z'])
  })

  it('stop after the years they name', () => {
    assert.deepEqual(firings('cron(0 0 1 1 ? 2027-2028)', '2026-11-25T00:00:00Z', 5), [
      '2027-01-01T00:00:00.000Z',
      '2028-01-01T00:00:00.000Z',
    ])
    assert.deepEqual(firings('cron(0 0 31 2 ? *)', '2026-11-25T00:00:00Z', 1), [])
  })

  it('refuse what EventBridge refuses, and L, W and # with a clear error', () => {
    const refusals: Array<[string, RegExp]> = [
      ['cron(0 10 * * *)', /six fields/],
      ['cron(0 10 * * * *)', /exactly one of day-of-month and day-of-week must be \?/],
      ['cron(0 10 ? * ? *)', /exactly one of day-of-month and day-of-week must be \?/],
      ['cron(60 10 * * ? *)', /minutes "60" has "60", outside 0-59/],
      ['cron(0 24 * * ? *)', /hours "24" has "24", outside 0-23/],
      ['cron(0 10 ? * 0 *)', /day-of-week "0" has "0", outside 1-7/],
      ['cron(0 10 * 13 ? *)', /month "13"/],
      ['cron(0 10 ? * FRI-MON *)', /ends before it starts/],
      ['cron(0/0 10 * * ? *)', /step of 0/],
      ['cron(0 10 L * ? *)', /L, W or #, which the local cloud does not support/],
      ['cron(0 10 15W * ? *)', /L, W or #/],
      ['cron(0 10 ? * 6L *)', /L, W or #/],
      ['cron(0 10 ? * 2#1 *)', /L, W or #/],
      ['cron(0 ? * * ? *)', /may be \? only in day-of-month or day-of-week/],
    ]
    for (const [expression, error] of refusals) {
      assert.throws(() => parseScheduleExpression(expression, start), error, expression)
    }
  })
})
