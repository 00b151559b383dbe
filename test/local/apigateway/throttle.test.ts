import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type StageThrottling, stageThrottlingOf } from '#local/apigateway/method-settings.ts'
import type { RestRoute } from '#local/apigateway/rest-routes.ts'
import { RestThrottle, TokenBucket } from '#local/apigateway/throttle.ts'

/** A clock the test moves by hand, in milliseconds. */
function aClock(start = 1_000) {
  let now = start
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    },
  }
}

function aRoute(method: string, resourcePath: string, overrides: Partial<RestRoute> = {}): RestRoute {
  return {
    method,
    resourcePath,
    segments: resourcePath.split('/').filter(Boolean),
    functionName: `${method}${resourcePath}`,
    authorizer: undefined,
    bodySchema: undefined,
    cors: undefined,
    ...overrides,
  }
}

const setting = (
  ResourcePath: string,
  HttpMethod: string,
  rate: number | string,
  burst: number | string,
) => ({
  ResourcePath,
  HttpMethod,
  ThrottlingRateLimit: rate,
  ThrottlingBurstLimit: burst,
})

/** How many of `count` back-to-back requests get through. */
function admitted(admit: () => boolean, count: number): number {
  let passed = 0
  for (let index = 0; index < count; index++) if (admit()) passed++
  return passed
}

describe('a token bucket', () => {
  it('lets a full burst through at once, then one request per refilled token, never more than the burst', () => {
    const clock = aClock()
    const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 }, clock.now())
    const take = () => {
      if (!bucket.has(clock.now())) return false
      bucket.take()
      return true
    }

    assert.equal(admitted(take, 4), 3)

    clock.advance(499)
    assert.equal(take(), false, 'not yet a whole token after 499 ms at 2/s')
    clock.advance(1)
    assert.equal(admitted(take, 2), 1)

    clock.advance(60_000)
    assert.equal(admitted(take, 10), 3, 'an idle minute refills to the burst, not beyond')
  })

  it('throttles everything with a burst of 0, as API Gateway does', () => {
    const clock = aClock()
    const bucket = new TokenBucket({ rateLimit: 100, burstLimit: 0 }, clock.now())
    clock.advance(10_000)

    assert.equal(bucket.has(clock.now()), false)
  })
})

describe('the REST stage throttle', () => {
  const getGroups = aRoute('GET', '/groups', { cors: { origin: '*', headers: [], allowCredentials: false } })
  const postGroups = aRoute('POST', '/groups')
  const getGroup = aRoute('GET', '/groups/{groupId}')
  const postImages = aRoute('POST', '/groups/{groupId}/images')
  const routes = [getGroups, postGroups, getGroup, postImages]
  const settings = stageThrottlingOf({
    custom: {
      restApiStage: {
        MethodSettings: [
          setting('/*', '*', 1, 5),
          setting('/~1groups', 'POST', 1, 2),
          setting('/~1groups~1{groupId}~1images', 'POST', '1', '1'),
        ],
      },
    },
  })

  it("gives a method with its own setting that setting's bucket", () => {
    const throttle = new RestThrottle({ routes, settings, now: aClock().now })

    assert.equal(
      admitted(() => throttle.admit(postGroups), 5),
      2,
    )
    assert.equal(
      admitted(() => throttle.admit(postImages), 5),
      1,
      'limits given as --param strings',
    )
  })

  it("gives every other method a bucket of its own with the stage's limits, as API Gateway applies them per method", () => {
    const throttle = new RestThrottle({ routes, settings, now: aClock().now })

    assert.equal(
      admitted(() => throttle.admit(getGroups), 9),
      5,
    )
    assert.equal(
      admitted(() => throttle.admit(getGroup), 9),
      5,
      'GET /groups spent its own bucket only',
    )
    assert.equal(
      admitted(() => throttle.admit(postGroups), 9),
      2,
      'nor did it touch the overrides',
    )
  })

  it('refills each bucket at its own rate', () => {
    const clock = aClock()
    const throttle = new RestThrottle({ routes, settings, now: clock.now })
    admitted(() => throttle.admit(getGroups), 9)
    admitted(() => throttle.admit(postGroups), 9)

    clock.advance(3_000)

    assert.equal(
      admitted(() => throttle.admit(getGroups), 9),
      3,
    )
    assert.equal(
      admitted(() => throttle.admit(postGroups), 9),
      2,
    )
  })

  it('throttles a CORS preflight as a method of its resource', () => {
    const throttle = new RestThrottle({ routes, settings, now: aClock().now })

    assert.equal(
      admitted(() => throttle.admitPreflight('/groups'), 9),
      5,
    )
    assert.equal(
      admitted(() => throttle.admit(getGroups), 9),
      5,
    )
  })

  it('also takes from the account bucket, shared by every method, whatever their own limits', () => {
    const clock = aClock()
    const throttle = new RestThrottle({
      routes,
      settings,
      account: { rateLimit: 1, burstLimit: 3 },
      now: clock.now,
    })

    assert.equal(
      admitted(() => throttle.admit(getGroups), 2),
      2,
    )
    assert.equal(
      admitted(() => throttle.admit(getGroup), 2),
      1,
    )
    assert.equal(throttle.admit(postGroups), false)
    clock.advance(1_000)
    assert.equal(throttle.admit(postGroups), true)
  })

  it("leaves a refused request's tokens in both buckets", () => {
    const throttle = new RestThrottle({
      routes,
      settings,
      account: { rateLimit: 1, burstLimit: 2 },
      now: aClock().now,
    })

    assert.equal(
      admitted(() => throttle.admit(postImages), 3),
      1,
      'POST images spends its one token',
    )
    assert.equal(
      admitted(() => throttle.admit(getGroups), 3),
      1,
      'the account keeps its second token',
    )
  })

  it("falls back on the resource's `*` setting, then the stage's, then the account's, field by field", () => {
    const partial: StageThrottling = stageThrottlingOf({
      custom: {
        restApiStage: {
          MethodSettings: [
            { ResourcePath: '/*', HttpMethod: '*', ThrottlingBurstLimit: 4 },
            setting('/~1groups', '*', 1, 3),
            { ResourcePath: '/~1groups', HttpMethod: 'POST', ThrottlingRateLimit: 1 },
          ],
        },
      },
    })
    const throttle = new RestThrottle({ routes, settings: partial, now: aClock().now })

    assert.equal(
      admitted(() => throttle.admit(postGroups), 9),
      3,
      'burst of GROUPS *',
    )
    assert.equal(
      admitted(() => throttle.admit(getGroups), 9),
      3,
      'GET /groups takes /groups *',
    )
    assert.equal(
      admitted(() => throttle.admit(getGroup), 9),
      4,
      'burst of the stage',
    )
  })

  it('throttles nothing but at the account limits when serverless.ts declares no stage settings', () => {
    const throttle = new RestThrottle({
      routes,
      settings: stageThrottlingOf({ custom: {} }),
      now: aClock().now,
    })

    assert.equal(
      admitted(() => throttle.admit(getGroups), 5_001),
      5_000,
    )
  })

  it('refuses a setting for a method the REST API does not have, naming it', () => {
    const typo = stageThrottlingOf({
      custom: { restApiStage: { MethodSettings: [setting('/~1grups', 'POST', 1, 1)] } },
    })

    assert.throws(
      () => new RestThrottle({ routes, settings: typo }),
      /throttles POST \/grups, which is no method/,
    )
  })
})

describe('the stage settings read from serverless.ts', () => {
  it('decode ~1-escaped resource paths, the root included', () => {
    const { methods } = stageThrottlingOf({
      custom: {
        restApiStage: {
          MethodSettings: [setting('/~1', 'GET', 1, 1), setting('/~1a~1{b}~1c~0d', 'delete', 2, 3)],
        },
      },
    })

    assert.deepEqual(
      [...methods],
      [
        ['GET /', { rateLimit: 1, burstLimit: 1 }],
        ['DELETE /a/{b}/c~d', { rateLimit: 2, burstLimit: 3 }],
      ],
    )
  })

  it('refuse limits that are not numbers of at least 0, and a fractional burst, naming the setting', () => {
    for (const [rate, burst, field] of [
      ['fast', 1, 'ThrottlingRateLimit'],
      [-1, 1, 'ThrottlingRateLimit'],
      [1, 2.5, 'ThrottlingBurstLimit'],
      [1, '', 'ThrottlingBurstLimit'],
    ] as const) {
      const config = { custom: { restApiStage: { MethodSettings: [setting('/*', '*', rate, burst)] } } }

      assert.throws(
        () => stageThrottlingOf(config),
        new RegExp(`custom\\.restApiStage\\.MethodSettings\\[0\\]\\.${field} must be a`),
      )
    }
  })

  it('refuse a resource path that is neither /* nor ~1-escaped', () => {
    assert.throws(
      () =>
        stageThrottlingOf({
          custom: { restApiStage: { MethodSettings: [setting('/groups', 'GET', 1, 1)] } },
        }),
      /MethodSettings\[0\]: expected ResourcePath \/\* with HttpMethod \*/,
    )
  })
})
