import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadObservabilityConfig } from '#handlers/shared/observability-config.ts'
import { createTracing } from '#handlers/shared/tracing.ts'

/** What Lambda puts in every function's environment, tracing or not. */
const onLambda = {
  STAGE: 'dev',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
}
/** What the local cloud's Lambda sets: the execution environment, but no X-Ray daemon. */
const inTheLocalCloud = { STAGE: 'dev', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' }

describe('tracing, on AWS and in the local cloud', () => {
  it('is on where Lambda names an X-Ray daemon, unless POWERTOOLS_TRACE_ENABLED turns it off', () => {
    assert.equal(loadObservabilityConfig(onLambda).tracing, true)
    assert.equal(loadObservabilityConfig({ ...onLambda, POWERTOOLS_TRACE_ENABLED: 'false' }).tracing, false)
  })

  it('is off in the local cloud, which runs no daemon, so the Tracer is never even loaded there', async () => {
    assert.equal(loadObservabilityConfig(inTheLocalCloud).tracing, false)

    const tracing = await createTracing(false)
    const client = { send: () => 'sent' }

    assert.equal(tracing.captureAWSv3Client(client), client, 'clients are left as they are')
    assert.deepEqual(tracing.middlewares, [], 'no handler middleware')
    assert.doesNotThrow(() => tracing.annotate('imageId', 'i-1'))
  })

  it('on, gives the handler stack the Tracer middleware', async () => {
    const tracing = await createTracing(true)

    assert.equal(tracing.middlewares.length, 1)
    assert.equal(typeof tracing.middlewares[0]?.before, 'function')
  })

  it('needs the stage, the dimension every metric is kept apart by', () => {
    assert.throws(() => loadObservabilityConfig({}), /STAGE is required/)
  })
})
