import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AsyncEventInvoker } from '#local/lambda/async/async-invoker.ts'
import type { LocalFunctionDefinition } from '#local/serverless/service-definition.ts'
import { LocalSns, type LocalSnsOptions } from '#local/sns/local-sns.ts'
import type { SnsLambdaEvent } from '#local/sns/sns-envelope.ts'
import { SnsError } from '#local/sns/sns-error.ts'
import type { CfnResource } from '#local/sns/topic-references.ts'

const REGION = 'eu-west-1'
const ACCOUNT = '123456789012'
const UPLOADS_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:udagram-dev-uploads`
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

/** A fake asynchronous invoker that keeps what SNS hands it. */
class RecordingAsyncInvoker implements AsyncEventInvoker {
  readonly invocations: Array<{ functionName: string; event: SnsLambdaEvent; source: string }> = []

  invokeAsync(functionName: string, event: unknown, options: { source: string }): { eventId: string } {
    this.invocations.push({ functionName, event: event as SnsLambdaEvent, source: options.source })
    return { eventId: `event-${this.invocations.length}` }
  }

  to(functionName: string): SnsLambdaEvent[] {
    return this.invocations.filter((call) => call.functionName === functionName).map((call) => call.event)
  }
}

function aFunction(name: string, events: unknown[]): [string, LocalFunctionDefinition] {
  return [
    name,
    {
      name,
      modulePath: '/unused.ts',
      exportName: 'handler',
      environment: {},
      timeoutSeconds: 3,
      memorySize: 128,
      events: events as LocalFunctionDefinition['events'],
    },
  ]
}

const uploadsTopic: Record<string, CfnResource> = {
  UploadsTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'udagram-dev-uploads' } },
  AsyncFailuresQueue: { Type: 'AWS::SQS::Queue' },
}

function aLocalSns(
  functions: Array<[string, LocalFunctionDefinition]>,
  overrides: Partial<LocalSnsOptions> = {},
) {
  const invoker = new RecordingAsyncInvoker()
  const sns = new LocalSns({
    resources: uploadsTopic,
    functions: new Map(functions),
    region: REGION,
    accountId: ACCOUNT,
    asyncInvoker: invoker,
    now: () => new Date('2026-11-25T10:00:00.000Z'),
    ...overrides,
  })
  return { sns, invoker }
}

describe('local SNS topics and subscriptions from serverless.ts', () => {
  it('subscribes functions in every form osls accepts', () => {
    const join = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':sns:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':udagram-dev-uploads',
        ],
      ],
    }
    const { sns, invoker } = aLocalSns([
      aFunction('ByRef', [{ sns: { arn: { Ref: 'UploadsTopic' }, topicName: 'udagram-dev-uploads' } }]),
      aFunction('ByJoin', [{ sns: { arn: join, topicName: 'udagram-dev-uploads' } }]),
      aFunction('ByGetAtt', [
        { sns: { arn: { 'Fn::GetAtt': ['UploadsTopic', 'TopicArn'] }, topicName: 'x' } },
      ]),
      aFunction('BySub', [
        {
          sns: {
            arn: {
              // biome-ignore lint/suspicious/noTemplateCurlyInString: ${...} are CloudFormation Fn::Sub variables
              'Fn::Sub': 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:udagram-dev-uploads',
            },
            topicName: 'x',
          },
        },
      ]),
      aFunction('ByArnString', [{ sns: UPLOADS_ARN }]),
      aFunction('ByName', [{ sns: 'udagram-dev-uploads' }]),
      aFunction('ByTopicName', [{ sns: { topicName: 'udagram-dev-uploads' } }]),
      aFunction('Elsewhere', [{ sns: 'other-topic' }, { http: { method: 'get', path: '/x' } }]),
    ])

    sns.publish({ topicArn: sns.topicArnOf('UploadsTopic'), message: 'hello' })

    assert.equal(sns.topicArnOf('UploadsTopic'), UPLOADS_ARN)
    assert.equal(sns.topicArnOf('SNSTopicOthertopic'), `arn:aws:sns:${REGION}:${ACCOUNT}:other-topic`)
    assert.deepEqual(
      invoker.invocations.map((call) => [call.functionName, call.source]),
      ['ByRef', 'ByJoin', 'ByGetAtt', 'BySub', 'ByArnString', 'ByName', 'ByTopicName'].map((name) => [
        name,
        'sns',
      ]),
    )
  })

  it('delivers the envelope SNS gives Lambda, one subscription ARN per subscription', () => {
    const { sns, invoker } = aLocalSns([
      aFunction('Resize', [{ sns: UPLOADS_ARN }]),
      aFunction('Notify', [{ sns: UPLOADS_ARN }]),
    ])

    const { messageId } = sns.publish({
      topicArn: UPLOADS_ARN,
      message: '{"imageId":"i-1"}',
      subject: 'Image uploaded',
      messageAttributes: {
        kind: { DataType: 'String', StringValue: 'original' },
        size: { DataType: 'Number', StringValue: '1024' },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 255]) },
      },
    })
    sns.publish({ topicArn: UPLOADS_ARN, message: 'second' })

    const [first, second] = invoker.to('Resize')
    const record = first?.Records[0]
    assert.ok(record !== undefined)
    const { EventSubscriptionArn, Sns } = record
    const { Signature, UnsubscribeUrl, SigningCertUrl, ...rest } = Sns
    assert.match(EventSubscriptionArn, new RegExp(`^${UPLOADS_ARN}:${UUID}$`))
    assert.equal(record.EventSource, 'aws:sns')
    assert.equal(record.EventVersion, '1.0')
    assert.deepEqual(rest, {
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: UPLOADS_ARN,
      Subject: 'Image uploaded',
      Message: '{"imageId":"i-1"}',
      Timestamp: '2026-11-25T10:00:00.000Z',
      SignatureVersion: '1',
      MessageAttributes: {
        kind: { Type: 'String', Value: 'original' },
        size: { Type: 'Number', Value: '1024' },
        blob: { Type: 'Binary', Value: 'AQL/' },
      },
    })
    assert.match(messageId, new RegExp(`^${UUID}$`))
    assert.match(Signature, /^[A-Za-z0-9+/]+={0,2}$/)
    assert.equal(
      UnsubscribeUrl,
      `https://sns.${REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${EventSubscriptionArn}`,
    )
    assert.match(SigningCertUrl, /^https:\/\/sns\.eu-west-1\.amazonaws\.com\/.+\.pem$/)
    assert.equal(second?.Records[0]?.Sns.Subject, null)
    assert.equal(second?.Records[0]?.EventSubscriptionArn, EventSubscriptionArn)
    const notify = invoker.to('Notify')[0]?.Records[0]
    assert.equal(notify?.Sns.MessageId, messageId)
    assert.notEqual(notify?.EventSubscriptionArn, EventSubscriptionArn)
  })

  it('delivers only to subscriptions whose filter policy matches', () => {
    const { sns, invoker } = aLocalSns([
      aFunction('Originals', [{ sns: { arn: UPLOADS_ARN, filterPolicy: { kind: ['original'] } } }]),
      aFunction('Thumbnails', [{ sns: { arn: UPLOADS_ARN, filterPolicy: { kind: ['thumbnail'] } } }]),
      aFunction('Images', [
        {
          sns: {
            arn: UPLOADS_ARN,
            filterPolicyScope: 'MessageBody',
            filterPolicy: { contentType: [{ prefix: 'image/' }] },
          },
        },
      ]),
      aFunction('Everything', [{ sns: UPLOADS_ARN }]),
    ])

    sns.publish({
      topicArn: UPLOADS_ARN,
      message: '{"contentType":"image/png"}',
      messageAttributes: { kind: { DataType: 'String', StringValue: 'original' } },
    })
    sns.publish({ topicArn: UPLOADS_ARN, message: '{"contentType":"text/plain"}' })

    assert.deepEqual(
      invoker.invocations.map((call) => call.functionName),
      ['Originals', 'Images', 'Everything', 'Everything'],
    )
  })

  it('refuses a publish SNS would refuse', () => {
    const { sns, invoker } = aLocalSns([aFunction('Resize', [{ sns: UPLOADS_ARN }])])
    const refusal = (code: string) => (error: unknown) => error instanceof SnsError && error.code === code

    assert.throws(() => sns.publish({ topicArn: `${UPLOADS_ARN}-nope`, message: 'x' }), refusal('NotFound'))
    assert.throws(() => sns.publish({ topicArn: UPLOADS_ARN, message: '' }), refusal('InvalidParameter'))
    assert.throws(
      () => sns.publish({ topicArn: UPLOADS_ARN, message: 'x', subject: 'two\nlines' }),
      refusal('InvalidParameter'),
    )
    assert.throws(
      () => sns.publish({ topicArn: UPLOADS_ARN, message: 'x'.repeat(256 * 1024 + 1) }),
      refusal('InvalidParameter'),
    )
    assert.throws(
      () =>
        sns.publish({
          topicArn: UPLOADS_ARN,
          message: 'x',
          messageAttributes: { size: { DataType: 'Number', StringValue: 'big' } },
        }),
      refusal('InvalidParameter'),
    )
    assert.throws(
      () =>
        sns.publish({
          topicArn: UPLOADS_ARN,
          message: 'x',
          messageAttributes: { 'AWS.reserved': { DataType: 'String', StringValue: 'v' } },
        }),
      refusal('InvalidParameter'),
    )
    assert.equal(invoker.invocations.length, 0)
  })

  it('fails at startup, naming the place, on a topic reference it cannot resolve', () => {
    const cases: Array<[unknown, RegExp]> = [
      [
        { arn: { 'Fn::ImportValue': 'shared-topic-arn' }, topicName: 'x' },
        /function F's events\[0\]\.sns\.arn is \{"Fn::ImportValue":"shared-topic-arn"\}; the local cloud resolves/,
      ],
      [
        { arn: { Ref: 'AsyncFailuresQueue' }, topicName: 'x' },
        /refers to AsyncFailuresQueue, a AWS::SQS::Queue/,
      ],
      [{ arn: { Ref: 'Missing' }, topicName: 'x' }, /refers to Missing, which is not a resource/],
      [
        { arn: { 'Fn::GetAtt': ['UploadsTopic', 'Arn'] }, topicName: 'x' },
        /an SNS topic has TopicArn and TopicName/,
      ],
      [{ arn: { Ref: 'UploadsTopic' } }, /needs topicName when arn is a CloudFormation function/],
      [{ arn: 'arn:aws:sqs:eu-west-1:123456789012:queue' }, /is not an SNS topic ARN/],
      [{ filterPolicy: { kind: ['x'] } }, /names no topic/],
      [
        { arn: UPLOADS_ARN, filterPolicy: { $or: [] } },
        /events\[0\]\.sns\.filterPolicy: "\$or" filter policies are not supported/,
      ],
    ]
    for (const [event, message] of cases) {
      assert.throws(() => aLocalSns([aFunction('F', [{ sns: event }])]), message)
    }
  })

  it('names topics without a TopicName by logical id, and resolves TopicNames built by CloudFormation functions', () => {
    const joined = { 'Fn::Join': ['-', ['events', { Ref: 'AWS::Region' }]] }
    const { sns } = aLocalSns([], {
      resources: {
        Unnamed: { Type: 'AWS::SNS::Topic' },
        Joined: { Type: 'AWS::SNS::Topic', Properties: { TopicName: joined } },
      },
    })
    const loop = {
      Type: 'AWS::SNS::Topic',
      Properties: { TopicName: { 'Fn::GetAtt': ['Loop', 'TopicName'] } },
    }

    assert.equal(sns.topicArnOf('Unnamed'), `arn:aws:sns:${REGION}:${ACCOUNT}:Unnamed`)
    assert.equal(sns.topicArnOf('Joined'), `arn:aws:sns:${REGION}:${ACCOUNT}:events-eu-west-1`)
    assert.throws(() => sns.topicArnOf('Nope'), /no SNS topic Nope in serverless.ts/)
    assert.throws(() => aLocalSns([], { resources: { Loop: loop } }), /Loop's TopicName refers to itself/)
  })
})
