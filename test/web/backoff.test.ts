import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { backoffDelay, RECONNECT_BACKOFF } from '../../web/src/lib/backoff.ts'

describe('reconnect backoff', () => {
  const policy = { baseMs: 500, maxMs: 30_000 }

  it('doubles the ceiling per attempt up to the cap', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7, 20].map((attempt) => backoffDelay(attempt, policy, () => 1))
    assert.deepEqual(ceilings, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000])
  })

  it('waits a random share of the ceiling (full jitter), never less than zero nor more than the ceiling', () => {
    assert.equal(
      backoffDelay(3, policy, () => 0),
      0,
    )
    assert.equal(
      backoffDelay(3, policy, () => 0.25),
      1000,
    )
    assert.equal(
      backoffDelay(3, policy, () => 7),
      4000,
    )
    assert.equal(
      backoffDelay(-2, policy, () => 1),
      500,
    )
    for (let attempt = 0; attempt < 50; attempt++) {
      const delay = backoffDelay(attempt, RECONNECT_BACKOFF)
      assert.ok(delay >= 0 && delay <= RECONNECT_BACKOFF.maxMs, String(delay))
    }
  })
})
