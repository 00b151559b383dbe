import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { LocalLambda } from '#local/lambda/local-lambda.ts'
import type { LocalFunctionDefinition } from '#local/serverless/service-definition.ts'
import { aFunction, fixtureHandlers } from '#test/builders/function-definitions.ts'

const modulePath = fixtureHandlers('test-functions.ts')

function fn(name: string, exportName: string, overrides: Partial<LocalFunctionDefinition> = {}) {
  return aFunction(modulePath, name, exportName, overrides)
}

const lambda = new LocalLambda({
  region: 'us-east-1',
  accountId: '000000000000',
  runtimeEnvironment: { LOCAL_ENDPOINT: 'http://127.0.0.1:1' },
  functions: new Map([
    fn('EnvA', 'echoEnvironment', { environment: { SHARED: 'provider', ONLY_A: 'a' } }),
    fn('EnvB', 'echoEnvironment', { environment: { SHARED: 'overridden-by-b', ONLY_B: 'b' } }),
    fn('Sleep', 'sleep', { timeoutSeconds: 1 }),
    fn('Spin', 'spin', { timeoutSeconds: 1 }),
    fn('Fail', 'fail'),
    fn('Exit', 'exitProcess'),
    fn('ThrowLater', 'throwLater'),
    fn('Count', 'countInvocations'),
    fn('Callback', 'withCallback'),
    fn('Remaining', 'remainingTime', { timeoutSeconds: 3 }),
    fn('Missing', 'noSuchExport'),
    fn('NeedsDeployTimeValue', 'echoEnvironment', { deployTimeEnvironment: ['API_URL'] }),
    fn('GetsDeployTimeValue', 'echoEnvironment', { deployTimeEnvironment: ['LOCAL_ENDPOINT'] }),
  ]),
})

after(() => lambda.stop())

describe('local Lambda runtime', () => {
  it('gives each function exactly its own environment plus the runtime variables', async () => {
    const names = ['SHARED', 'ONLY_A', 'ONLY_B', 'LOCAL_ENDPOINT', 'AWS_LAMBDA_FUNCTION_NAME', 'PATH']
    const [a, b] = await Promise.all([lambda.invoke('EnvA', { names }), lambda.invoke('EnvB', { names })])
    assert.deepEqual(a, {
      kind: 'ok',
      value: {
        SHARED: 'provider',
        ONLY_A: 'a',
        ONLY_B: null,
        LOCAL_ENDPOINT: 'http://127.0.0.1:1',
        AWS_LAMBDA_FUNCTION_NAME: 'EnvA',
        PATH: null,
      },
    })
    assert.deepEqual(b, {
      kind: 'ok',
      value: {
        SHARED: 'overridden-by-b',
        ONLY_A: null,
        ONLY_B: 'b',
        LOCAL_ENDPOINT: 'http://127.0.0.1:1',
        AWS_LAMBDA_FUNCTION_NAME: 'EnvB',
        PATH: null,
      },
    })
  })

  it('keeps an instance warm between invocations', async () => {
    await lambda.invoke('Count', {})
    const second = await lambda.invoke('Count', {})
    assert.deepEqual(second, { kind: 'ok', value: { invocations: 2 } })
  })

  it('reports a handler error with its type and message, and stays warm', async () => {
    assert.deepEqual(await lambda.invoke('Fail', {}), {
      kind: 'error',
      errorType: 'TypeError',
      errorMessage: 'handler failed on purpose',
    })
  })

  it('times out an invocation that runs too long, and serves the next one on a fresh instance', async () => {
    assert.deepEqual(await lambda.invoke('Sleep', { ms: 3000 }), { kind: 'timeout', timeoutSeconds: 1 })
    assert.deepEqual(await lambda.invoke('Sleep', { ms: 1 }), { kind: 'ok', value: { slept: 1 } })
  })

  it('times out a handler that blocks its event loop, and recovers', async () => {
    assert.deepEqual(await lambda.invoke('Spin', {}), { kind: 'timeout', timeoutSeconds: 1 })
    const names = ['ONLY_A']
    assert.deepEqual(await lambda.invoke('EnvA', { names }), { kind: 'ok', value: { ONLY_A: 'a' } })
  })

  it('survives a handler that exits its process or throws outside the invocation', async () => {
    const exited = await lambda.invoke('Exit', {})
    assert.equal(exited.kind, 'crash')
    const uncaught = await lambda.invoke('ThrowLater', {})
    assert.equal(uncaught.kind, 'crash')
    assert.match(uncaught.kind === 'crash' ? uncaught.errorMessage : '', /uncaught on purpose/)
    assert.deepEqual(await lambda.invoke('Count', {}), { kind: 'ok', value: { invocations: 3 } })
  })

  it('supports callback-style handlers and the context object', async () => {
    assert.deepEqual(await lambda.invoke('Callback', { value: 'x' }), { kind: 'ok', value: { value: 'x' } })
    const remaining = await lambda.invoke('Remaining', {})
    assert.equal(remaining.kind, 'ok')
    const value = (remaining as { value: { remaining: number; functionName: string } }).value
    assert.equal(value.functionName, 'Remaining')
    assert.ok(value.remaining > 0 && value.remaining <= 3000)
  })

  it('refuses to start a function whose deploy-time variable the local cloud does not provide', async () => {
    await assert.rejects(lambda.invoke('NeedsDeployTimeValue', { names: [] }), /API_URL is known only on AWS/)
    assert.deepEqual(await lambda.invoke('GetsDeployTimeValue', { names: ['LOCAL_ENDPOINT'] }), {
      kind: 'ok',
      value: { LOCAL_ENDPOINT: 'http://127.0.0.1:1' },
    })
  })

  it('reports a handler module without the named export as a crash', async () => {
    const outcome = await lambda.invoke('Missing', {})
    assert.equal(outcome.kind, 'crash')
    assert.match(outcome.kind === 'crash' ? outcome.errorMessage : '', /noSuchExport/)
  })
})
