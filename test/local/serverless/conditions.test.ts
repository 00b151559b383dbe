import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { evaluateConditions, existingResources } from '#local/serverless/conditions.ts'

describe('CloudFormation conditions in the local cloud', () => {
  it('evaluates Fn::Equals, Fn::Not, Fn::And, Fn::Or and references between conditions', () => {
    const values = evaluateConditions({
      IsHs256: { 'Fn::Equals': ['HS256', 'HS256'] },
      IsProd: { 'Fn::Equals': ['dev', 'prod'] },
      NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
      Both: { 'Fn::And': [{ Condition: 'IsHs256' }, { Condition: 'NotProd' }] },
      Either: { 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': [1, '1'] }] },
    })
    assert.deepEqual(Object.fromEntries(values), {
      IsHs256: true,
      IsProd: false,
      NotProd: true,
      Both: true,
      Either: true,
    })
  })

  it('leaves out the resources whose condition is false', () => {
    const resources = {
      Always: { Type: 'AWS::SQS::Queue' },
      OnlyHs256: { Type: 'AWS::SecretsManager::Secret', Condition: 'IsHs256' },
      OnlyProd: { Type: 'AWS::KMS::Key', Condition: 'IsProd' },
    }
    const conditions = {
      IsHs256: { 'Fn::Equals': ['HS256', 'HS256'] },
      IsProd: { 'Fn::Equals': ['dev', 'prod'] },
    }
    assert.deepEqual(Object.keys(existingResources(resources, conditions)), ['Always', 'OnlyHs256'])
  })

  it('refuses what it cannot know before deployment, unknown conditions and cycles, by name', () => {
    assert.throws(
      () => evaluateConditions({ HasBucket: { 'Fn::Equals': [{ Ref: 'Bucket' }, ''] } }),
      /cannot evaluate condition HasBucket/,
    )
    assert.throws(
      () => evaluateConditions({ Loop: { 'Fn::Not': [{ Condition: 'Loop' }] } }),
      /refers to itself/,
    )
    assert.throws(
      () => existingResources({ Secret: { Type: 'x', Condition: 'Missing' } }, {}),
      /unknown condition Missing/,
    )
  })
})
