import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { corsAllowedHeaders } from '../../infra/cors.ts'
import { createGroupRequestSchema } from '../../infra/schemas/create-group-request.ts'
import { createImageRequestSchema } from '../../infra/schemas/create-image-request.ts'

// Packages the real service with osls, offline (no AWS_* variables, an empty HOME), and reads the
// CloudFormation template it would deploy.

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown }
type Template = { Resources: Record<string, Resource> }
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown }

const apiFunctions = ['GetGroups', 'CreateGroup', 'GetGroup', 'GetGroupImages', 'CreateImage', 'GetImage']
const allFunctions = ['Authorizer', ...apiFunctions]

/**
 * Runs `osls package` to completion. osls prints an error and then hangs instead of exiting
 * (serverless-esbuild#532), so an error report ends the run at once rather than at the timeout.
 */
const packageService = (outputDir: string, home: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')))
    // osls starts with `#!/usr/bin/env node`: put this test's Node (the pinned 24) first on PATH.
    env.PATH = [dirname(process.execPath), env.PATH].join(delimiter)
    const child = spawn(
      'timeout',
      ['240', join(repoRoot, 'node_modules/.bin/osls'), 'package', '--stage', 'dev', '--package', outputDir],
      { cwd: repoRoot, env: { ...env, HOME: home }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    let failed = false
    const collect = (chunk: Buffer) => {
      output += chunk.toString()
      // The last line of osls's error report; the process never exits after it.
      if (!failed && /^Docs: /m.test(output) && /^Environment: /m.test(output)) {
        failed = true
        setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGTERM'), 500)
      }
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0 && !failed) resolve()
      else reject(new Error(`osls package failed (exit ${code}):\n${output}`))
    })
  })

let outputDir = ''
let home = ''
let template: Template = { Resources: {} }

const resource = (logicalId: string | undefined): Resource => {
  const found = template.Resources[logicalId ?? '']
  assert.ok(found, `no resource ${logicalId}`)
  return found
}

const resourcesOfType = (type: string) =>
  Object.entries(template.Resources).filter(([, candidate]) => candidate.Type === type)

const refOf = (value: unknown): string | undefined => (value as { Ref?: string } | undefined)?.Ref

/** The REST path of an API Gateway resource, from its PathPart and its parents'. */
const pathOf = (resourceRef: unknown): string => {
  const logicalId = refOf(resourceRef)
  if (logicalId === undefined) return ''
  const { ParentId, PathPart } = resource(logicalId).Properties
  const parent = pathOf(ParentId)
  return parent === '' ? String(PathPart) : `${parent}/${String(PathPart)}`
}

const method = (httpMethod: string, path: string): Resource => {
  const found = resourcesOfType('AWS::ApiGateway::Method').find(
    ([, candidate]) =>
      candidate.Properties.HttpMethod === httpMethod && pathOf(candidate.Properties.ResourceId) === path,
  )
  assert.ok(found, `no method ${httpMethod} ${path}`)
  return found[1]
}

const lambda = (name: string) => resource(`${name}LambdaFunction`).Properties

const environmentOf = (name: string) =>
  (lambda(name).Environment as { Variables: Record<string, string> }).Variables

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value])

describe('the packaged CloudFormation template', () => {
  before(async () => {
    outputDir = await mkdtemp(join(tmpdir(), 'udagram-package-'))
    home = await mkdtemp(join(tmpdir(), 'udagram-home-'))
    await packageService(outputDir, home)
    template = JSON.parse(
      await readFile(join(outputDir, 'cloudformation-template-update-stack.json'), 'utf8'),
    )
  })

  after(async () => {
    await rm(outputDir, { recursive: true, force: true })
    await rm(home, { recursive: true, force: true })
  })

  it('has the seven functions, each on Node 24 with active X-Ray tracing', () => {
    assert.deepEqual(
      resourcesOfType('AWS::Lambda::Function')
        .map(([logicalId]) => logicalId)
        .sort(),
      allFunctions.map((name) => `${name}LambdaFunction`).sort(),
    )
    for (const name of allFunctions) {
      assert.equal(lambda(name).Runtime, 'nodejs24.x', name)
      assert.deepEqual(lambda(name).TracingConfig, { Mode: 'Active' }, name)
      assert.equal(lambda(name).MemorySize, 256, name)
      assert.equal(lambda(name).Timeout, 10, name)
    }
    assert.equal(lambda('CreateImage').Handler, 'src/handlers/http/images/create-image.handler')
  })

  it('keeps each log group for 14 days', () => {
    for (const name of allFunctions) assert.equal(resource(`${name}LogGroup`).Properties.RetentionInDays, 14)
  })

  it('gives every function the app configuration, resolved for the dev stage', () => {
    for (const name of allFunctions) {
      const environment = environmentOf(name)
      assert.equal(environment.STAGE, 'dev', name)
      assert.equal(environment.GROUPS_TABLE, 'udagram-dev-groups', name)
      assert.equal(environment.IMAGES_TABLE, 'udagram-dev-images', name)
      assert.equal(environment.GROUPS_BY_TIME_INDEX, 'GroupsByTimeIndex', name)
      assert.equal(environment.IMAGE_ID_INDEX, 'ImageIdIndex', name)
      assert.equal(environment.IMAGES_BUCKET, 'udagram-dev-images', name)
      assert.equal(environment.SIGNED_URL_EXPIRATION_SECONDS, '300', name)
      assert.equal(environment.POWERTOOLS_SERVICE_NAME, 'udagram', name)
      assert.equal(environment.POWERTOOLS_LOG_LEVEL, 'INFO', name)
      assert.equal(environment.CORS_ALLOWED_ORIGIN, '*', name)
    }
  })

  it('gives the token issuer settings to the authorizer only', () => {
    assert.equal(environmentOf('Authorizer').AUTH_ISSUER, 'https://udagram.eu.auth0.com/')
    assert.equal(environmentOf('Authorizer').AUTH_AUDIENCE, 'https://udagram-api')
    assert.equal(
      environmentOf('Authorizer').AUTH_JWKS_URL,
      'https://udagram.eu.auth0.com/.well-known/jwks.json',
    )
    for (const name of apiFunctions) {
      const authKeys = Object.keys(environmentOf(name)).filter((key) => key.startsWith('AUTH_'))
      assert.deepEqual(authKeys, [], name)
    }
  })

  it('declares the groups table with its by-time index', () => {
    const table = resource('GroupsTable').Properties

    assert.equal(table.TableName, 'udagram-dev-groups')
    assert.equal(table.BillingMode, 'PAY_PER_REQUEST')
    assert.deepEqual(table.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }])
    assert.deepEqual(table.GlobalSecondaryIndexes, [
      {
        IndexName: 'GroupsByTimeIndex',
        KeySchema: [
          { AttributeName: 'kind', KeyType: 'HASH' },
          { AttributeName: 'timestamp', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ])
  })

  it('declares the images table with its image-id index and a stream of old and new images', () => {
    const table = resource('ImagesTable').Properties

    assert.equal(table.TableName, 'udagram-dev-images')
    assert.equal(table.BillingMode, 'PAY_PER_REQUEST')
    assert.deepEqual(table.KeySchema, [
      { AttributeName: 'groupId', KeyType: 'HASH' },
      { AttributeName: 'timestamp', KeyType: 'RANGE' },
    ])
    assert.deepEqual(table.GlobalSecondaryIndexes, [
      {
        IndexName: 'ImageIdIndex',
        KeySchema: [{ AttributeName: 'imageId', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ])
    assert.deepEqual(table.StreamSpecification, { StreamViewType: 'NEW_AND_OLD_IMAGES' })
  })

  it('declares an images bucket browsers can upload to and read from, over TLS only', () => {
    const bucket = resource('ImagesBucket').Properties
    const policy = resource('ImagesBucketPolicy').Properties
    const statements = (policy.PolicyDocument as { Statement: (Statement & { Condition?: unknown })[] })
      .Statement
    const allows = statements.filter((statement) => statement.Effect === 'Allow')
    const denies = statements.filter((statement) => statement.Effect === 'Deny')

    assert.equal(bucket.BucketName, 'udagram-dev-images')
    assert.deepEqual(bucket.CorsConfiguration, {
      CorsRules: [
        {
          AllowedOrigins: ['*'],
          AllowedMethods: ['PUT', 'GET', 'HEAD'],
          AllowedHeaders: ['*'],
          ExposedHeaders: ['ETag'],
          MaxAge: 3000,
        },
      ],
    })
    assert.deepEqual(bucket.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    })
    assert.deepEqual(policy.Bucket, { Ref: 'ImagesBucket' })
    assert.equal(allows.length, 1)
    assert.equal(allows[0]?.Principal, '*')
    assert.deepEqual(asArray(allows[0]?.Action), ['s3:GetObject'])
    assert.deepEqual(allows[0]?.Resource, {
      'Fn::Join': ['', [{ 'Fn::GetAtt': ['ImagesBucket', 'Arn'] }, '/*']],
    })
    assert.equal(denies.length, 1)
    assert.deepEqual(denies[0]?.Condition, { Bool: { 'aws:SecureTransport': 'false' } })
  })

  it('checks tokens with a cached TOKEN authorizer backed by the Authorizer function', () => {
    const [authorizer, ...others] = resourcesOfType('AWS::ApiGateway::Authorizer')
    const properties = authorizer?.[1].Properties ?? {}

    assert.equal(others.length, 0)
    assert.equal(properties.Type, 'TOKEN')
    assert.equal(properties.IdentitySource, 'method.request.header.Authorization')
    assert.equal(properties.AuthorizerResultTtlInSeconds, 300)
    assert.ok(JSON.stringify(properties.AuthorizerUri).includes('"AuthorizerLambdaFunction"'))
  })

  for (const [path, schema] of [
    ['groups', createGroupRequestSchema],
    ['groups/{groupId}/images', createImageRequestSchema],
  ] as const) {
    it(`authorizes POST ${path} and validates its body against the request schema`, () => {
      const post = method('POST', path).Properties
      const authorizerId = resourcesOfType('AWS::ApiGateway::Authorizer')[0]?.[0]
      const validator = resource(refOf(post.RequestValidatorId)).Properties
      const models = post.RequestModels as Record<string, unknown>
      const model = resource(refOf(models['application/json'])).Properties

      assert.equal(post.AuthorizationType, 'CUSTOM')
      assert.ok(authorizerId)
      assert.equal(refOf(post.AuthorizerId), authorizerId)
      assert.equal(validator.ValidateRequestBody, true)
      assert.equal(model.ContentType, 'application/json')
      assert.deepEqual(model.Schema, schema)
    })
  }

  for (const path of ['groups', 'groups/{groupId}', 'groups/{groupId}/images', 'images/{imageId}']) {
    it(`serves GET ${path} without authentication`, () => {
      const get = method('GET', path).Properties

      assert.equal(get.AuthorizationType, 'NONE')
      assert.equal(get.AuthorizerId, undefined)
      assert.equal(get.RequestValidatorId, undefined)
    })
  }

  it('answers CORS preflights on every path', () => {
    for (const path of ['groups', 'groups/{groupId}', 'groups/{groupId}/images', 'images/{imageId}']) {
      const preflight = JSON.stringify(method('OPTIONS', path).Properties)
      assert.ok(preflight.includes(`'${corsAllowedHeaders.join(',')}'`), path)
    }
  })

  it("adds the CORS headers to API Gateway's own 4XX and 5XX answers", () => {
    for (const [logicalId, responseType] of [
      ['GatewayResponseDefault4XX', 'DEFAULT_4XX'],
      ['GatewayResponseDefault5XX', 'DEFAULT_5XX'],
    ] as const) {
      const response = resource(logicalId)

      assert.equal(response.Type, 'AWS::ApiGateway::GatewayResponse')
      assert.deepEqual(response.Properties.RestApiId, { Ref: 'ApiGatewayRestApi' })
      assert.equal(response.Properties.ResponseType, responseType)
      assert.deepEqual(response.Properties.ResponseParameters, {
        'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
        'gatewayresponse.header.Access-Control-Allow-Headers': `'${corsAllowedHeaders.join(',')}'`,
        'gatewayresponse.header.Access-Control-Allow-Methods': "'OPTIONS,GET,POST'",
        'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
      })
    }
  })

  it('ships each function as its own zip holding only its bundle', async () => {
    for (const name of allFunctions) {
      const s3Key = String((lambda(name).Code as { S3Key: string }).S3Key)
      const handlerFile = `${String(lambda(name).Handler).replace(/\.handler$/, '')}.mjs`

      assert.ok(s3Key.endsWith(`/${name}.zip`), s3Key)
      const zip = await readFile(join(outputDir, `${name}.zip`))
      // Zip entries' names are stored uncompressed, so the listing is readable in the raw bytes.
      assert.ok(zip.includes(handlerFile), `${name}.zip lacks ${handlerFile}`)
      assert.ok(!zip.includes('node_modules/'), `${name}.zip carries node_modules`)
      assert.ok((await stat(join(outputDir, `${name}.zip`))).size > 0)
    }
  })

  it('grants Lambda only named actions on named resources', () => {
    const statements = resourcesOfType('AWS::IAM::Role').flatMap(([, role]) =>
      (role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
        (policy) => policy.PolicyDocument.Statement,
      ),
    )
    const actions = statements.flatMap((statement) => asArray(statement.Action))
    // X-Ray's write actions support no resource-level permissions; osls adds them for tracing.
    const xray = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords']
    const scoped = statements.filter((statement) => !xray.includes(String(asArray(statement.Action)[0])))

    assert.ok(statements.length > 0)
    assert.deepEqual(
      actions.filter((action) => action === '*' || action.endsWith(':*')),
      [],
    )
    for (const statement of scoped)
      assert.ok(!asArray(statement.Resource).includes('*'), JSON.stringify(statement))
    for (const statement of statements.filter((s) => !scoped.includes(s))) {
      assert.deepEqual(asArray(statement.Action).sort(), [...xray].sort())
    }
    assert.ok(actions.includes('s3:PutObject'))
    assert.ok(
      !actions.some(
        (action) => action.startsWith('dynamodb:') && !/^dynamodb:(GetItem|PutItem|Query)$/.test(action),
      ),
    )
  })
})
