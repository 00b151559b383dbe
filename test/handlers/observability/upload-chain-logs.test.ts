import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { QueryCommand } from '@aws-sdk/client-dynamodb'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import sharp from 'sharp'
import { DynamoDbGroupRepository } from '#adapters/dynamodb/dynamodb-group-repository.ts'
import { DynamoDbImageRepository } from '#adapters/dynamodb/dynamodb-image-repository.ts'
import { DynamoDbSubscriptionRegistry } from '#adapters/dynamodb/dynamodb-subscription-registry.ts'
import { createTablesFromResources } from '#local/dynamodb/create-tables.ts'
import type { LocalS3 } from '#local/s3/local-s3.ts'
import {
  type LocalDynamoDbClients,
  startInMemoryDynamoDb,
  uniqueTableName,
} from '#test/builders/local-dynamodb.ts'
import {
  GROUPS_BY_TIME_INDEX,
  groupsTableResource,
  IMAGE_ID_INDEX,
  imagesTableResource,
} from '#test/builders/table-definitions.ts'
import { aBucket, CREDENTIALS, REGION, s3ClientFor, startTestS3 } from '#test/local/s3/local-s3-fixture.ts'
import { tables } from '../../../infra/resources/tables.ts'
import {
  assertBusinessEmf,
  type HandlerOutput,
  type Line,
  metricsByName,
  runHandler,
  theLine,
} from './handler-process.ts'

/**
 * One upload followed through its functions, each run as Lambda runs it (a process of its own, its
 * configuration read at import) against a local DynamoDB, S3 and search endpoint: the create request's
 * correlation id is stored on the image, and the thumbnail, notification and indexer functions, which
 * know the upload only by its object key or its stream record, log under the same id.
 */

const IMAGES_BUCKET = 'udagram-test-images'
const THUMBNAILS_BUCKET = 'udagram-test-thumbnails'
const USER = 'auth0|observability-user'
// A token-shaped string: handlers behind the authorizer still get the Authorization header.
const TOKEN =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhdXRoMHxvYnNlcnZhYmlsaXR5LXVzZXIifQ.c2VjcmV0LXNpZ25hdHVyZS1ieXRlcy1uZXZlci10by1iZS1sb2dnZWQ'
const REQUEST_ID = 'c0ffee00-1111-4222-8333-444455556666'

let dynamo: LocalDynamoDbClients
let s3: LocalS3
let search: Server
/** The WebSocket API's Management API: one connection is live, the other one has closed (410). */
let management: Server
const pushed: string[] = []
const indexed: unknown[] = []
const names = {
  groups: uniqueTableName('groups'),
  images: uniqueTableName('images'),
  connections: uniqueTableName('connections'),
}
const groupId = 'group-observed'

before(async () => {
  dynamo = await startInMemoryDynamoDb()
  const connections = structuredClone(tables.ConnectionsTable) as { Properties: Record<string, unknown> }
  connections.Properties.TableName = names.connections
  await createTablesFromResources(dynamo.client, {
    GroupsTable: groupsTableResource(names.groups),
    ImagesTable: imagesTableResource(names.images),
    ConnectionsTable: connections as never,
  })
  await new DynamoDbGroupRepository({
    client: dynamo.documentClient,
    tableName: names.groups,
    byTimeIndexName: GROUPS_BY_TIME_INDEX,
  }).add({
    id: groupId,
    name: 'Observed',
    description: 'd',
    userId: USER,
    timestamp: '2026-11-25T10:00:00.000Z',
  })
  s3 = await startTestS3({
    buckets: [aBucket({ name: IMAGES_BUCKET }), aBucket({ name: THUMBNAILS_BUCKET, publicRead: true })],
  })
  // The local search engine's wire format (HttpSearchIndex): every operation applied.
  search = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString()
    })
    request.on('end', () => {
      const { operations } = JSON.parse(body) as { operations: unknown[] }
      indexed.push(...operations)
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify({ results: operations.map(() => ({ ok: true })) }))
    })
  })
  await new Promise<void>((resolve) => search.listen(0, '127.0.0.1', resolve))
  management = createServer((request, response) => {
    request.resume()
    const connectionId = decodeURIComponent(request.url?.split('/').at(-1) ?? '')
    if (connectionId === 'conn-gone') {
      response.writeHead(410, { 'content-type': 'application/json', 'x-amzn-errortype': 'GoneException' })
      response.end('{"message":"Gone"}')
      return
    }
    pushed.push(connectionId)
    response.end()
  })
  await new Promise<void>((resolve) => management.listen(0, '127.0.0.1', resolve))
})

after(async () => {
  await dynamo?.close()
  await s3?.close()
  await new Promise((resolve) => search?.close(resolve))
  await new Promise((resolve) => management?.close(resolve))
})

const common = () => ({
  AWS_REGION: REGION,
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.dynamoDb.endpoint,
  AWS_ENDPOINT_URL_S3: s3.url,
  S3_FORCE_PATH_STYLE: 'true',
  GROUPS_TABLE: names.groups,
  GROUPS_BY_TIME_INDEX: GROUPS_BY_TIME_INDEX,
  IMAGES_TABLE: names.images,
  IMAGE_ID_INDEX: IMAGE_ID_INDEX,
  CONNECTIONS_TABLE: names.connections,
  GROUP_SUBSCRIBERS_INDEX: 'GroupSubscribersIndex',
  IMAGES_BUCKET: IMAGES_BUCKET,
  THUMBNAILS_BUCKET: THUMBNAILS_BUCKET,
  IMAGES_CDN_URL: 'https://images.cdn.example',
  THUMBNAILS_CDN_URL: 'https://thumbnails.cdn.example',
  SIGNED_URL_EXPIRATION_SECONDS: '300',
  MAX_UPLOAD_BYTES: '10485760',
  THUMBNAIL_WIDTH: '150',
  CORS_ALLOWED_ORIGIN: 'https://app.example',
  WEBSOCKET_MANAGEMENT_ENDPOINT: `http://127.0.0.1:${(management.address() as AddressInfo).port}/dev`,
  SEARCH_ENGINE: 'local',
  SEARCH_ENDPOINT: `http://127.0.0.1:${(search.address() as AddressInfo).port}`,
  SEARCH_INDEX: 'images',
})

function createImageEvent(body: unknown, headers: Record<string, string> = {}) {
  return {
    resource: '/groups/{groupId}/images',
    path: `/groups/${groupId}/images`,
    httpMethod: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...headers },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { groupId },
    stageVariables: null,
    requestContext: {
      requestId: REQUEST_ID,
      stage: 'dev',
      httpMethod: 'POST',
      authorizer: { principalId: USER, userId: USER },
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  }
}

function uploadEvent(imageId: string, size: number, eventTime: string) {
  const s3Event = {
    Records: [
      {
        eventName: 'ObjectCreated:Put',
        eventTime,
        s3: { bucket: { name: IMAGES_BUCKET }, object: { key: imageId, size } },
      },
    ],
  }
  return { Records: [{ EventSource: 'aws:sns', Sns: { Message: JSON.stringify(s3Event) } }] }
}

function assertNothingSecret(output: HandlerOutput) {
  assert.ok(!output.raw.includes(TOKEN), 'the bearer token is printed')
  assert.ok(!output.raw.includes(TOKEN.split('.')[2] as string), 'the token signature is printed')
  assert.ok(!/authorization/i.test(output.raw), 'the Authorization header is printed')
  assert.ok(!output.raw.includes(CREDENTIALS.secretAccessKey), 'the secret key is printed')
}

function assertLambdaContext(line: Line, functionName: string) {
  assert.equal(line.function_name, functionName)
  assert.equal(line.cold_start, true)
  assert.equal(line.function_request_id, '00000000-0000-4000-8000-000000000001')
  assert.equal(line.service, 'udagram')
}

describe('one upload, followed through the logs of its functions', () => {
  let imageId = ''
  let png: Buffer

  it('the create request logs its correlation id, caller, group and image, and counts ImagesCreated', async () => {
    png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#88aaff' } })
      .png()
      .toBuffer()

    const output = await runHandler(
      '#handlers/http/images/create-image.ts',
      [createImageEvent({ title: 'Observed', contentType: 'image/png', contentLength: png.length })],
      { ...common(), AWS_LAMBDA_FUNCTION_NAME: 'udagram-dev-CreateImage' },
    )

    const result = output.invocations[0]?.result as { statusCode: number; body: string }
    assert.equal(result?.statusCode, 201, output.raw)
    imageId = (JSON.parse(result.body) as { newItem: { imageId: string } }).newItem.imageId
    const line = theLine(output, 'image created')
    assertLambdaContext(line, 'udagram-dev-CreateImage')
    assert.equal(line.correlation_id, REQUEST_ID)
    assert.equal(line.userId, USER)
    assert.equal(line.groupId, groupId)
    assert.equal(line.imageId, imageId)
    assert.deepEqual(
      [...metricsByName(output)].map(([name, { unit, values }]) => [name, unit, values]),
      [
        ['ColdStart', 'Count', [1]],
        ['ImagesCreated', 'Count', [1]],
      ],
    )
    assertBusinessEmf(output)
    assertNothingSecret(output)
  })

  it('the image record carries the correlation id', async () => {
    const { Items } = await dynamo.client.send(
      new QueryCommand({
        TableName: names.images,
        IndexName: IMAGE_ID_INDEX,
        KeyConditionExpression: 'imageId = :id',
        ExpressionAttributeValues: { ':id': { S: imageId } },
      }),
    )
    assert.deepEqual(Items?.[0]?.correlationId, { S: REQUEST_ID })
  })

  it('the thumbnail function logs under it, and counts ThumbnailsCreated and ThumbnailLatency', async () => {
    await s3ClientFor(s3).send(
      new PutObjectCommand({ Bucket: IMAGES_BUCKET, Key: imageId, Body: png, ContentType: 'image/png' }),
    )
    const uploadedAt = new Date(Date.now() - 1500).toISOString()

    const output = await runHandler(
      '#handlers/sns/resize-image.ts',
      [uploadEvent(imageId, png.length, uploadedAt)],
      {
        ...common(),
        AWS_LAMBDA_FUNCTION_NAME: 'udagram-dev-ResizeImage',
      },
    )

    assert.equal(output.invocations[0]?.error, undefined, output.raw)
    const line = theLine(output, 'upload processed')
    assert.equal(line.outcome, 'ready', output.raw)
    assertLambdaContext(line, 'udagram-dev-ResizeImage')
    assert.equal(line.correlation_id, REQUEST_ID)
    assert.equal(line.userId, USER)
    assert.equal(line.groupId, groupId)
    assert.equal(line.imageId, imageId)
    const metrics = metricsByName(output)
    assert.deepEqual(metrics.get('ThumbnailsCreated')?.values, [1])
    assert.equal(metrics.get('ThumbnailsCreated')?.unit, 'Count')
    const latency = metrics.get('ThumbnailLatency')
    assert.equal(latency?.unit, 'Milliseconds')
    assert.ok(
      typeof latency?.values[0] === 'number' && latency.values[0] >= 1500,
      `latency ${latency?.values}`,
    )
    assert.equal(metrics.has('ThumbnailFailures'), false)
    assertBusinessEmf(output)
    assertNothingSecret(output)
  })

  it('the notification function logs under it, and counts ImagesUploaded, NotificationsSent, StaleConnectionsRemoved', async () => {
    const registry = new DynamoDbSubscriptionRegistry({
      client: dynamo.documentClient,
      tableName: names.connections,
      groupIndexName: 'GroupSubscribersIndex',
    })
    for (const connectionId of ['conn-live', 'conn-gone']) {
      await registry.addConnection({ connectionId, userId: USER, ttlSeconds: 600 })
      await registry.subscribe(connectionId, groupId, 600)
    }

    const output = await runHandler(
      '#handlers/sns/send-upload-notifications.ts',
      [uploadEvent(imageId, png.length, new Date().toISOString())],
      { ...common(), AWS_LAMBDA_FUNCTION_NAME: 'udagram-dev-SendUploadNotifications' },
    )

    const line = theLine(output, 'upload announced')
    assert.equal(line.outcome, 'announced', output.raw)
    assert.equal(line.correlation_id, REQUEST_ID)
    assert.equal(line.imageId, imageId)
    assert.equal(line.groupId, groupId)
    const metrics = metricsByName(output)
    assert.deepEqual(metrics.get('ImagesUploaded')?.values, [1])
    assert.deepEqual(metrics.get('NotificationsSent')?.values, [1])
    assert.deepEqual(metrics.get('StaleConnectionsRemoved')?.values, [1])
    assert.deepEqual(pushed, ['conn-live'])
    assertBusinessEmf(output)
  })

  it('an upload that is no image counts as a ThumbnailFailure, logged under its own correlation id', async () => {
    const images = new DynamoDbImageRepository({
      client: dynamo.documentClient,
      tableName: names.images,
      imageIdIndexName: IMAGE_ID_INDEX,
    })
    await images.add({
      groupId,
      imageId: 'image-not-an-image',
      title: 'Not an image',
      description: '',
      userId: USER,
      timestamp: '2026-11-25T11:00:00.000Z',
      imageUrl: 'https://images.cdn.example/image-not-an-image',
      status: 'pending',
      correlationId: 'client-chosen-id-0042',
    })
    const bytes = Buffer.from('plain text, not an image')
    await s3ClientFor(s3).send(
      new PutObjectCommand({ Bucket: IMAGES_BUCKET, Key: 'image-not-an-image', Body: bytes }),
    )

    const output = await runHandler(
      '#handlers/sns/resize-image.ts',
      [uploadEvent('image-not-an-image', bytes.length, new Date().toISOString())],
      { ...common(), AWS_LAMBDA_FUNCTION_NAME: 'udagram-dev-ResizeImage' },
    )

    const line = theLine(output, 'upload processed')
    assert.equal(line.outcome, 'failed', output.raw)
    assert.equal(line.correlation_id, 'client-chosen-id-0042')
    const metrics = metricsByName(output)
    assert.deepEqual(metrics.get('ThumbnailFailures')?.values, [1])
    assert.equal(metrics.get('ThumbnailFailures')?.unit, 'Count')
    assert.equal(metrics.has('ThumbnailsCreated'), false)
    assertBusinessEmf(output)
  })

  it('the indexer logs each record of the image under it, and counts IndexerRecords', async () => {
    const { Items } = await dynamo.client.send(
      new QueryCommand({
        TableName: names.images,
        IndexName: IMAGE_ID_INDEX,
        KeyConditionExpression: 'imageId = :id',
        ExpressionAttributeValues: { ':id': { S: imageId } },
      }),
    )
    const item = Items?.[0]
    assert.ok(item)
    const record = {
      eventID: '1',
      eventName: 'MODIFY',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        Keys: { groupId: item.groupId, timestamp: item.timestamp },
        NewImage: item,
        OldImage: item,
        SequenceNumber: '4200000000000000000001',
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    }

    const output = await runHandler('#handlers/stream/index-images.ts', [{ Records: [record] }], {
      ...common(),
      AWS_LAMBDA_FUNCTION_NAME: 'udagram-dev-IndexImages',
    })

    const line = theLine(output, 'image change indexed')
    assert.equal(line.correlation_id, REQUEST_ID, output.raw)
    assert.equal(line.imageId, imageId)
    assert.equal(line.groupId, groupId)
    assert.equal(indexed.length, 1)
    assert.deepEqual(metricsByName(output).get('IndexerRecords')?.values, [1])
  })
})
