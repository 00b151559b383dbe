import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { REDACTED, redact, redactText } from '#local/console/redact.ts'

const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz'

describe('redact', () => {
  it('hides Authorization headers, whatever their case, and keeps the other headers', () => {
    const event = { headers: { Authorization: `Bearer ${jwt}`, 'content-type': 'application/json' } }

    const redacted = redact(event) as typeof event

    assert.deepEqual(redacted.headers, { Authorization: REDACTED, 'content-type': 'application/json' })
    assert.equal(event.headers.Authorization, `Bearer ${jwt}`, 'the original is untouched')
  })

  it('hides token query parameters and presigned URL signatures in any string', () => {
    const text = redactText(
      'wss://h/dev?token=abc.def&x=1 and http://s3/b/k?X-Amz-Credential=KEY%2F1&X-Amz-Signature=0123abcd&X-Amz-Expires=60',
    )

    assert.equal(
      text,
      `wss://h/dev?token=${REDACTED}&x=1 and http://s3/b/k?X-Amz-Credential=${REDACTED}&X-Amz-Signature=${REDACTED}&X-Amz-Expires=60`,
    )
  })

  it('hides JWTs wherever they appear, in nested values and log text', () => {
    const redacted = redact({ body: `{"note":"${jwt}"}`, list: [`x ${jwt} y`] })

    assert.doesNotMatch(JSON.stringify(redacted), /eyJ/)
    assert.deepEqual(redacted, { body: `{"note":"${REDACTED}"}`, list: [`x ${REDACTED} y`] })
  })

  it('hides secret strings, passwords and query-string tokens by key', () => {
    const redacted = redact({
      SecretString: 'hunter2',
      queryStringParameters: { token: 'opaque' },
      multiValueQueryStringParameters: { token: ['opaque'] },
      password: 'pw',
      keep: 'visible',
      isSecret: false,
    })

    assert.deepEqual(redacted, {
      SecretString: REDACTED,
      queryStringParameters: { token: REDACTED },
      multiValueQueryStringParameters: { token: REDACTED },
      password: REDACTED,
      keep: 'visible',
      isSecret: false,
    })
  })

  it('hides a bearer token that is not a JWT', () => {
    assert.equal(redactText('authorization: Bearer opaque-token_1'), `authorization: Bearer ${REDACTED}`)
  })

  it('hides secrets in JSON text that was cut and no longer parses', () => {
    const cut = `{"headers":{"Authorization":"Bearer opaque","x":"1"},"password":"hunt`

    assert.equal(
      redactText(cut),
      `{"headers":{"Authorization":"${REDACTED}","x":"1"},"password":"${REDACTED}"`,
    )
    assert.equal(redactText('{"a":"eyJhbGciOiJSUz'), `{"a":"${REDACTED}`)
  })

  it('survives cycles', () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic

    assert.deepEqual(redact(cyclic), { a: 1, self: '[cut]' })
  })
})
