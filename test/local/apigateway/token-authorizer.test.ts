import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { TokenAuthorizer } from '#local/apigateway/token-authorizer.ts'
import type { FunctionInvoker, InvocationOutcome } from '#local/lambda/invocation.ts'

const api = 'arn:aws:execute-api:us-east-1:000000000000:local/dev'

function allowWholeApi(principalId: string): InvocationOutcome {
  return {
    kind: 'ok',
    value: {
      principalId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${api}/*/*` }],
      },
      context: { userId: principalId, nested: { dropped: true } },
    },
  }
}

class ScriptedAuthorizerFunction implements FunctionInvoker {
  calls: unknown[] = []
  outcome: InvocationOutcome = allowWholeApi('alice')

  async invoke(_name: string, event: unknown): Promise<InvocationOutcome> {
    this.calls.push(event)
    return this.outcome
  }
}

const route = {
  functionName: 'Authorizer',
  identityHeader: 'authorization',
  resultTtlSeconds: 300,
  identityValidationExpression: undefined,
}

describe('TOKEN authorizer at the local gateway', () => {
  it('refuses a request without a token without calling the function', async () => {
    const fn = new ScriptedAuthorizerFunction()
    const decision = await new TokenAuthorizer(fn).authorize(route, undefined, `${api}/POST/groups`)
    assert.deepEqual(decision, { kind: 'unauthorized' })
    assert.equal(fn.calls.length, 0)
  })

  it('sends the TOKEN event and passes principalId and scalar context values on', async () => {
    const fn = new ScriptedAuthorizerFunction()
    const decision = await new TokenAuthorizer(fn).authorize(route, 'Bearer t1', `${api}/POST/groups`)
    assert.deepEqual(fn.calls, [
      { type: 'TOKEN', authorizationToken: 'Bearer t1', methodArn: `${api}/POST/groups` },
    ])
    assert.deepEqual(decision, { kind: 'allow', context: { userId: 'alice', principalId: 'alice' } })
  })

  it('caches the policy per token for the TTL and applies it to other routes', async () => {
    let now = 1_000_000
    const fn = new ScriptedAuthorizerFunction()
    const authorizer = new TokenAuthorizer(fn, () => now)
    await authorizer.authorize(route, 'Bearer t1', `${api}/POST/groups`)
    const other = await authorizer.authorize(route, 'Bearer t1', `${api}/POST/groups/g1/images`)
    assert.equal(other.kind, 'allow')
    assert.equal(fn.calls.length, 1)

    await authorizer.authorize(route, 'Bearer t2', `${api}/POST/groups`)
    assert.equal(fn.calls.length, 2, 'another token is another cache entry')

    now += 300_000
    await authorizer.authorize(route, 'Bearer t1', `${api}/POST/groups`)
    assert.equal(fn.calls.length, 3, 'the entry expired after resultTtlInSeconds')
  })

  it('does not cache when the TTL is 0', async () => {
    const fn = new ScriptedAuthorizerFunction()
    const authorizer = new TokenAuthorizer(fn)
    const noCache = { ...route, resultTtlSeconds: 0 }
    await authorizer.authorize(noCache, 'Bearer t1', `${api}/POST/groups`)
    await authorizer.authorize(noCache, 'Bearer t1', `${api}/POST/groups`)
    assert.equal(fn.calls.length, 2)
  })

  it('denies a method the cached policy does not cover', async () => {
    const fn = new ScriptedAuthorizerFunction()
    fn.outcome = {
      kind: 'ok',
      value: {
        principalId: 'alice',
        policyDocument: {
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${api}/POST/groups` }],
        },
      },
    }
    const authorizer = new TokenAuthorizer(fn)
    assert.equal((await authorizer.authorize(route, 'Bearer t1', `${api}/POST/groups`)).kind, 'allow')
    assert.deepEqual(await authorizer.authorize(route, 'Bearer t1', `${api}/POST/groups/g1/images`), {
      kind: 'denied',
    })
  })

  it('lets an explicit Deny win over an Allow', async () => {
    const fn = new ScriptedAuthorizerFunction()
    fn.outcome = {
      kind: 'ok',
      value: {
        principalId: 'alice',
        policyDocument: {
          Statement: [
            { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${api}/*/*` },
            { Action: 'execute-api:*', Effect: 'Deny', Resource: `${api}/POST/*` },
          ],
        },
      },
    }
    assert.deepEqual(await new TokenAuthorizer(fn).authorize(route, 'Bearer t', `${api}/POST/groups`), {
      kind: 'denied',
    })
  })

  it("maps the function's 'Unauthorized' error to 401 and other failures to an authorizer failure", async () => {
    const fn = new ScriptedAuthorizerFunction()
    fn.outcome = { kind: 'error', errorType: 'Error', errorMessage: 'Unauthorized' }
    assert.deepEqual(await new TokenAuthorizer(fn).authorize(route, 'Bearer t', `${api}/POST/groups`), {
      kind: 'unauthorized',
    })
    fn.outcome = { kind: 'error', errorType: 'TypeError', errorMessage: 'boom' }
    assert.equal(
      (await new TokenAuthorizer(fn).authorize(route, 'Bearer t', `${api}/POST/groups`)).kind,
      'failed',
    )
    fn.outcome = { kind: 'ok', value: { principalId: 'x' } }
    assert.equal(
      (await new TokenAuthorizer(fn).authorize(route, 'Bearer t', `${api}/POST/groups`)).kind,
      'failed',
    )
  })
})
