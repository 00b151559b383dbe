import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { bearerToken, wholeApiResource } from '#handlers/authorizer/authorizer-policy.ts'

describe('authorizer policy helpers', () => {
  it('widens a method ARN to every method and path of the same API and stage', () => {
    assert.equal(
      wholeApiResource('arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/groups/g1/images'),
      'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*/*',
    )
    assert.throws(() => wholeApiResource('not-an-arn'), /not an API Gateway method ARN/)
  })

  it('takes the token out of a Bearer header and nothing else', () => {
    assert.equal(bearerToken('Bearer aaa.bbb.ccc'), 'aaa.bbb.ccc')
    assert.equal(bearerToken('bearer aaa.bbb.ccc'), 'aaa.bbb.ccc')
    for (const header of [
      undefined,
      '',
      'aaa.bbb.ccc',
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Bearer a.b',
      'Bearer a.b.c d',
    ]) {
      assert.equal(bearerToken(header), undefined, String(header))
    }
  })
})
