import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { packagedTemplate, type Resource, type Template, templateReader } from './cloudformation-template.ts'

// Packages the service for dev and for prod with osls, offline, and compares what each stage
// would deploy: names, and how well each keeps its data.

type Stage = 'dev' | 'prod'

const tables = { GroupsTable: 'groups', ImagesTable: 'images', ConnectionsTable: 'connections' }
const buckets = { ImagesBucket: 'images', ThumbnailsBucket: 'thumbnails' }
const abortIncompleteUploads = {
  Id: 'AbortIncompleteMultipartUploads',
  Status: 'Enabled',
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
}

const templates: Record<Stage, Template> = { dev: { Resources: {} }, prod: { Resources: {} } }
const readers = {
  dev: templateReader(() => templates.dev),
  prod: templateReader(() => templates.prod),
}

/** A resource with its attributes (DeletionPolicy and UpdateReplacePolicy sit beside Properties). */
type WithPolicies = Resource & { DeletionPolicy?: string; UpdateReplacePolicy?: string }

describe('the packaged templates of the dev and prod stages', () => {
  before(async () => {
    // One after the other: each run is CPU-bound and the two would only slow each other down.
    for (const stage of ['dev', 'prod'] as const) {
      templates[stage] = await packagedTemplate(stage)
    }
  })

  for (const stage of ['dev', 'prod'] as const) {
    describe(stage, () => {
      const { resource, resourcesOfType } = readers[stage]

      it(`names the tables, buckets and functions udagram-${stage}-...`, () => {
        for (const [logicalId, name] of Object.entries(tables)) {
          assert.equal(resource(logicalId).Properties.TableName, `udagram-${stage}-${name}`)
        }
        for (const [logicalId, name] of Object.entries(buckets)) {
          assert.equal(resource(logicalId).Properties.BucketName, `udagram-${stage}-${name}`)
        }
        const functions = resourcesOfType('AWS::Lambda::Function')
        assert.ok(functions.length > 0)
        for (const [logicalId, lambda] of functions) {
          const name = logicalId.replace(/LambdaFunction$/, '')
          assert.equal(lambda.Properties.FunctionName, `udagram-${stage}-${name}`)
          assert.equal(stageOf(lambda), stage, logicalId)
        }
      })

      it('keeps every table restorable to any second of the last 35 days, encrypted', () => {
        for (const logicalId of Object.keys(tables)) {
          const table = resource(logicalId).Properties
          assert.deepEqual(table.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true })
          assert.deepEqual(table.SSESpecification, { SSEEnabled: true })
        }
        assert.deepEqual(resource('ConnectionsTable').Properties.TimeToLiveSpecification, {
          AttributeName: 'expiresAt',
          Enabled: true,
        })
      })

      it('encrypts both buckets and versions the originals, expiring what was deleted after 30 days', () => {
        for (const logicalId of Object.keys(buckets)) {
          assert.deepEqual(resource(logicalId).Properties.BucketEncryption, {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          })
        }
        const images = resource('ImagesBucket').Properties
        assert.deepEqual(images.VersioningConfiguration, { Status: 'Enabled' })
        assert.deepEqual(images.LifecycleConfiguration, {
          Rules: [
            {
              Id: 'ExpireNoncurrentOriginals',
              Status: 'Enabled',
              NoncurrentVersionExpiration: { NoncurrentDays: 30 },
              ExpiredObjectDeleteMarker: true,
            },
            abortIncompleteUploads,
          ],
        })
        // Thumbnails can be made again from their originals: no versions to keep.
        const thumbnails = resource('ThumbnailsBucket').Properties
        assert.equal(thumbnails.VersioningConfiguration, undefined)
        assert.deepEqual(thumbnails.LifecycleConfiguration, { Rules: [abortIncompleteUploads] })
      })
    })
  }

  it('retains the tables and buckets in prod, on stack deletion and on replacement, and deletes them in dev', () => {
    for (const [stage, policy] of [
      ['dev', 'Delete'],
      ['prod', 'Retain'],
    ] as const) {
      for (const logicalId of [...Object.keys(tables), ...Object.keys(buckets)]) {
        const data = readers[stage].resource(logicalId) as WithPolicies
        assert.equal(data.DeletionPolicy, policy, `${stage} ${logicalId}`)
        assert.equal(data.UpdateReplacePolicy, policy, `${stage} ${logicalId}`)
      }
      // The bucket policies and distributions go with the stack in every stage.
      const imagesPolicy = readers[stage].resource('ImagesBucketPolicy') as WithPolicies
      assert.equal(imagesPolicy.DeletionPolicy, undefined)
    }
  })

  it('turns on DynamoDB deletion protection in prod only', () => {
    for (const logicalId of Object.keys(tables)) {
      // A string, as osls leaves a resource's params; CloudFormation reads "true"/"false" as booleans.
      assert.equal(readers.prod.resource(logicalId).Properties.DeletionProtectionEnabled, 'true')
      assert.equal(readers.dev.resource(logicalId).Properties.DeletionProtectionEnabled, 'false')
    }
  })
})

const stageOf = (lambda: Resource) =>
  (lambda.Properties.Environment as { Variables: { STAGE?: unknown } }).Variables.STAGE
