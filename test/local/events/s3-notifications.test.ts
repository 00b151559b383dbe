import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { encodeS3EventKey, type S3EventMessage } from '#local/events/s3-event-record.ts'
import { wireS3Notifications } from '#local/events/s3-notifications.ts'
import { asyncConfigsFrom } from '#local/lambda/async/async-config.ts'
import { AsyncInvoker } from '#local/lambda/async/async-invoker.ts'
import { DiskDeadLetterStore } from '#local/lambda/async/dead-letter-store.ts'
import { LocalLambda } from '#local/lambda/local-lambda.ts'
import type { LocalS3, ObjectCreatedEvent } from '#local/s3/local-s3.ts'
import type { LocalFunctionDefinition } from '#local/serverless/service-definition.ts'
import { LocalSns } from '#local/sns/local-sns.ts'
import type { SnsLambdaEvent } from '#local/sns/sns-envelope.ts'
import type { CfnResource } from '#local/sns/topic-references.ts'
import { anAsyncFunction, aRecordingLogger, recordedEvents } from '#test/local/lambda/async/async-fixture.ts'
import {
  CREDENTIALS,
  PRIVATE_BUCKET,
  PUBLIC_BUCKET,
  REGION,
  s3ClientFor,
  startTestS3,
} from '#test/local/s3/local-s3-fixture.ts'

const ACCOUNT = '000000000000'
const TOPIC_NAME = 'udagram-test-uploads'
const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:${TOPIC_NAME}`

/** The uploads bucket announces new `images/*.jpg` objects on a topic; the public bucket announces nothing. */
const resources: Record<string, CfnResource> = {
  UploadsTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: TOPIC_NAME } },
  UploadsBucket: {
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketName: PRIVATE_BUCKET,
      NotificationConfiguration: {
        TopicConfigurations: [
          {
            Event: 's3:ObjectCreated:*',
            Topic: { Ref: 'UploadsTopic' },
            Filter: {
              S3Key: {
                Rules: [
                  { Name: 'prefix', Value: 'images/' },
                  { Name: 'Suffix', Value: '.jpg' },
                ],
              },
            },
          },
        ],
      },
    },
  },
  PublicBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: PUBLIC_BUCKET } },
}

const flakyDestination = { type: 'sqs' as const, arn: { 'Fn::GetAtt': ['AsyncFailuresQueue', 'Arn'] } }

describe('S3 -> SNS -> Lambda, through the local S3, SNS and Lambda', () => {
  let dir: string
  let s3: LocalS3
  let client: S3Client
  let lambda: LocalLambda
  let asyncInvoker: AsyncInvoker
  const file = (name: string) => join(dir, name)
  const envelopes = async (name: string) => (await recordedEvents(file(name))) as SnsLambdaEvent[]
  const s3MessageOf = (envelope: SnsLambdaEvent | undefined) =>
    JSON.parse(envelope?.Records[0]?.Sns.Message ?? '{}') as S3EventMessage

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'udagram-s3-events-'))
    const functions = new Map<string, LocalFunctionDefinition>([
      anAsyncFunction('ResizeImage', 'recordEvent', {
        environment: { RECORD_FILE: file('resize.jsonl') },
        events: [{ sns: { arn: { Ref: 'UploadsTopic' }, topicName: TOPIC_NAME } }],
      }),
      anAsyncFunction('SendUploadNotifications', 'recordEvent', {
        environment: { RECORD_FILE: file('notify.jsonl') },
        events: [{ sns: TOPIC_ARN }],
      }),
      // Hears only of keys under images/flaky, by a filter policy on the S3 message itself.
      anAsyncFunction('Flaky', 'failWhileMarkerExists', {
        environment: { RECORD_FILE: file('flaky.jsonl'), FAIL_MARKER: file('flaky.marker') },
        events: [
          {
            sns: {
              arn: {
                'Fn::Join': [
                  ':',
                  [
                    'arn',
                    { Ref: 'AWS::Partition' },
                    'sns',
                    { Ref: 'AWS::Region' },
                    { Ref: 'AWS::AccountId' },
                    TOPIC_NAME,
                  ],
                ],
              },
              topicName: TOPIC_NAME,
              filterPolicyScope: 'MessageBody',
              filterPolicy: { Records: { s3: { object: { key: [{ prefix: 'images/flaky' }] } } } },
            },
          },
        ],
      }),
    ])
    s3 = await startTestS3()
    client = s3ClientFor(s3)
    lambda = new LocalLambda({ functions, region: REGION, accountId: ACCOUNT, runtimeEnvironment: {} })
    asyncInvoker = new AsyncInvoker({
      invoker: lambda,
      functions,
      deadLetters: new DiskDeadLetterStore(dir),
      retryDelaysMs: [1],
      asyncConfig: asyncConfigsFrom({
        Flaky: {
          handler: 'fixture.failWhileMarkerExists',
          maximumRetryAttempts: 1,
          destinations: { onFailure: flakyDestination },
        },
      }),
      logger: aRecordingLogger(),
    })
    const sns = new LocalSns({ resources, functions, region: REGION, accountId: ACCOUNT, asyncInvoker })
    wireS3Notifications({
      s3,
      resources,
      sns,
      region: REGION,
      accountId: ACCOUNT,
      logger: aRecordingLogger(),
    })
  })

  beforeEach(async () => {
    for (const name of ['resize.jsonl', 'notify.jsonl', 'flaky.jsonl']) await rm(file(name), { force: true })
  })

  after(async () => {
    client.destroy()
    await asyncInvoker.stop()
    await lambda.stop()
    await s3.close()
    await rm(dir, { recursive: true, force: true })
  })

  async function put(bucket: string, key: string, body: string): Promise<void> {
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'image/jpeg' }),
    )
  }

  it('delivers the S3 event, inside the SNS envelope, to every subscribed function', async () => {
    const body = 'not really a jpeg'

    await put(PRIVATE_BUCKET, 'images/red sky (1).jpg', body)
    await asyncInvoker.whenIdle()

    const [resize, ...moreResize] = await envelopes('resize.jsonl')
    const [notify, ...moreNotify] = await envelopes('notify.jsonl')
    assert.deepEqual([moreResize, moreNotify, await envelopes('flaky.jsonl')], [[], [], []])
    assert.equal(resize?.Records[0]?.EventSource, 'aws:sns')
    assert.equal(resize?.Records[0]?.Sns.TopicArn, TOPIC_ARN)
    assert.equal(resize?.Records[0]?.Sns.Subject, 'Amazon S3 Notification')
    assert.equal(notify?.Records[0]?.Sns.MessageId, resize?.Records[0]?.Sns.MessageId)
    assert.notEqual(notify?.Records[0]?.EventSubscriptionArn, resize?.Records[0]?.EventSubscriptionArn)
    const [record, ...moreRecords] = s3MessageOf(resize).Records
    assert.deepEqual(moreRecords, [])
    assert.ok(record !== undefined)
    const { eventTime, responseElements, s3: s3Part, ...envelope } = record
    assert.deepEqual(envelope, {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: REGION,
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: `AWS:${CREDENTIALS.accessKeyId}` },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
    })
    assert.ok(!Number.isNaN(Date.parse(eventTime)))
    assert.match(responseElements['x-amz-request-id'], /^[0-9A-F]{16}$/)
    assert.match(responseElements['x-amz-id-2'], /^[A-Za-z0-9+/]+=*$/)
    const { sequencer, ...object } = s3Part.object
    assert.deepEqual(
      { ...s3Part, object },
      {
        s3SchemaVersion: '1.0',
        configurationId: 'UploadsBucket-TopicConfigurations-0',
        bucket: {
          name: PRIVATE_BUCKET,
          ownerIdentity: { principalId: ACCOUNT },
          arn: `arn:aws:s3:::${PRIVATE_BUCKET}`,
        },
        object: {
          key: 'images/red+sky+%281%29.jpg',
          size: Buffer.byteLength(body),
          eTag: createHash('md5').update(body).digest('hex'),
        },
      },
    )
    assert.match(sequencer, /^[0-9A-F]+$/)
  })

  it('announces nothing outside the prefix and suffix, nor for a bucket without notifications', async () => {
    await put(PRIVATE_BUCKET, 'docs/readme.jpg', 'x')
    await put(PRIVATE_BUCKET, 'images/logo.png', 'x')
    await put(PUBLIC_BUCKET, 'images/public.jpg', 'x')
    await put(PRIVATE_BUCKET, 'images/kept.jpg', 'x')
    await asyncInvoker.whenIdle()

    const keys = (await envelopes('resize.jsonl')).map(
      (envelope) => s3MessageOf(envelope).Records[0]?.s3.object.key,
    )
    assert.deepEqual(keys, ['images/kept.jpg'])
  })

  it('keeps the event of a subscriber that keeps failing, across a new store, and replays it once it recovers', async () => {
    await writeFile(file('flaky.marker'), '')

    await put(PRIVATE_BUCKET, 'images/flaky.jpg', 'x')
    await asyncInvoker.whenIdle()

    const attempts = await envelopes('flaky.jsonl')
    assert.equal(attempts.length, 2, '1 + maximumRetryAttempts (1)')
    assert.equal((await envelopes('resize.jsonl')).length, 1)
    const [entry, ...others] = await new DiskDeadLetterStore(dir).list()
    assert.deepEqual(others, [])
    assert.equal(entry?.functionName, 'Flaky')
    assert.equal(entry?.source, 'sns')
    assert.equal(entry?.attempts, 2)
    assert.equal(entry?.condition, 'RetriesExhausted')
    assert.deepEqual(entry?.destination, flakyDestination)
    assert.deepEqual(entry?.event, attempts[0])
    assert.equal(s3MessageOf(entry?.event as SnsLambdaEvent).Records[0]?.s3.object.key, 'images/flaky.jpg')

    await rm(file('flaky.marker'))
    const replayed = await asyncInvoker.replay(entry?.id ?? '')
    await asyncInvoker.whenIdle()

    assert.ok(replayed !== undefined)
    assert.equal((await envelopes('flaky.jsonl')).length, 3)
    assert.deepEqual(await new DiskDeadLetterStore(dir).list(), [])
  })
})

describe('S3 notification configuration', () => {
  /** A stand-in for the local S3 that hands the test its listener. */
  function aFakeS3() {
    const listeners: Array<(event: ObjectCreatedEvent) => void> = []
    return {
      listeners,
      onObjectCreated: (listener: (event: ObjectCreatedEvent) => void) => {
        listeners.push(listener)
        return () => {}
      },
    }
  }
  const sns = (topics: string[] = [TOPIC_ARN]) => ({
    publish: () => ({ messageId: 'm' }),
    hasTopic: (arn: string) => topics.includes(arn),
    resolveTopicArn: (value: unknown) => (typeof value === 'string' ? value : TOPIC_ARN),
  })
  const bucketWith = (notificationConfiguration: unknown): Record<string, CfnResource> => ({
    Bucket: {
      Type: 'AWS::S3::Bucket',
      Properties: { BucketName: 'b-1', NotificationConfiguration: notificationConfiguration },
    },
  })
  const wire = (notificationConfiguration: unknown, logger = aRecordingLogger()) =>
    wireS3Notifications({
      s3: aFakeS3(),
      resources: bucketWith(notificationConfiguration),
      sns: sns(),
      region: REGION,
      accountId: ACCOUNT,
      logger,
    })

  it('warns once about destinations it does not emulate', () => {
    const logger = aRecordingLogger()
    const s3 = aFakeS3()

    wireS3Notifications({
      s3,
      resources: bucketWith({ LambdaConfigurations: [{ Event: 's3:ObjectCreated:*', Function: 'arn' }] }),
      sns: sns(),
      region: REGION,
      accountId: ACCOUNT,
      logger,
    })

    assert.deepEqual(logger.warnings, [
      'LambdaConfigurations are not emulated locally; only TopicConfigurations are',
    ])
    assert.equal(s3.listeners.length, 0)
  })

  it('fails at startup on a configuration S3 would refuse or a topic serverless.ts lacks', () => {
    const topic = { Event: 's3:ObjectCreated:*', Topic: TOPIC_ARN }
    const rules = (...list: unknown[]) => ({ ...topic, Filter: { S3Key: { Rules: list } } })
    assert.throws(
      () => wire({ TopicConfigurations: [{ ...topic, Topic: `${TOPIC_ARN}-other` }] }),
      /a topic serverless.ts does not define/,
    )
    assert.throws(
      () => wire({ TopicConfigurations: [{ ...topic, Event: 'ObjectCreated' }] }),
      /must be an S3 event type/,
    )
    assert.throws(
      () =>
        wire({
          TopicConfigurations: [rules({ Name: 'prefix', Value: 'a' }, { Name: 'prefix', Value: 'b' })],
        }),
      /TopicConfigurations\[0\]\.Filter has two prefix rules/,
    )
    assert.throws(
      () => wire({ TopicConfigurations: [rules({ Name: 'glob', Value: '*' })] }),
      /prefix \| suffix/,
    )
  })
})

describe('S3 event record keys', () => {
  const cases: Array<[string, string]> = [
    ['images/red flower.jpg', 'images/red+flower.jpg'],
    ['logs/year=2026/month=01/x.gz', 'logs/year%3D2026/month%3D01/x.gz'],
    ["c++ (copy) it's!~*.txt", 'c%2B%2B+%28copy%29+it%27s%21%7E*.txt'],
    ['café/ümlaut.png', 'caf%C3%A9/%C3%BCmlaut.png'],
  ]
  for (const [key, encoded] of cases) {
    it(`encodes ${JSON.stringify(key)} as S3 does`, () => {
      assert.equal(encodeS3EventKey(key), encoded)
    })
  }
})
