// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables under test
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { resolveVariables, type VariableSources } from '#local/serverless/variable-resolver.ts'

const sources: VariableSources = {
  stage: 'prod',
  region: 'eu-west-1',
  params: { cliParam: 'from-cli' },
  options: { stage: 'prod', region: 'eu-west-1' },
  env: { HOME_TEAM: 'blue' },
}

describe('serverless variable resolution', () => {
  it('resolves stage, region, self references, env and params in order cli > stage > default', () => {
    const config = {
      service: 'udagram',
      params: {
        default: { bucket: 'udagram-${sls:stage}-images', level: 'INFO', cliParam: 'x' },
        prod: { level: 'WARN' },
      },
      provider: {
        stage: "${opt:stage, 'dev'}",
        environment: {
          TABLE: '${self:service}-${sls:stage}-groups',
          BUCKET: '${param:bucket}',
          LEVEL: '${param:level}',
        },
      },
      other: {
        table: '${self:provider.environment.TABLE}',
        region: '${aws:region}',
        team: '${env:HOME_TEAM}',
        cli: '${param:cliParam}',
      },
    }
    const resolved = resolveVariables(config, sources)
    assert.deepEqual(resolved.provider.environment, {
      TABLE: 'udagram-prod-groups',
      BUCKET: 'udagram-prod-images',
      LEVEL: 'WARN',
    })
    assert.deepEqual(resolved.other, {
      table: 'udagram-prod-groups',
      region: 'eu-west-1',
      team: 'blue',
      cli: 'from-cli',
    })
    assert.equal(resolved.provider.stage, 'prod')
  })

  it('uses fallbacks, including nested variables, and keeps non-string values', () => {
    const resolved = resolveVariables(
      { a: "${env:MISSING, 'fallback'}", b: '${env:MISSING, ${sls:stage}}', c: '${self:n}', n: 5 },
      sources,
    )
    assert.deepEqual(resolved, { a: 'fallback', b: 'prod', c: 5, n: 5 })
  })

  it('fails loudly on a variable it cannot know', () => {
    assert.throws(() => resolveVariables({ a: '${aws:accountId}' }, sources), /cannot resolve/)
    assert.throws(() => resolveVariables({ a: '${ssm:/x}' }, sources), /cannot resolve/)
    assert.throws(() => resolveVariables({ a: '${env:MISSING}' }, sources), /has no value/)
  })
})
