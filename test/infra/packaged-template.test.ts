import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { corsAllowedHeaders } from '../../infra/cors.ts'
import { createGroupRequestSchema } from '../../infra/schemas/create-group-request.ts'
import { createImageRequestSchema } from '../../infra/schemas/create-image-request.ts'
import {
  asArray,
  dependencyCycle,
  packageService,
  refOf,
  type Statement,
  type Template,
  templateReader,
} from './cloudformation-template.ts'

// Packages the real service with osls, offline (no AWS_* variables, an empty HOME), and reads the
// CloudFormation template it would deploy.

const apiFunctions = [
  'GetGroups',
  'CreateGroup',
  'GetGroup',
  'GetGroupImages',
  'CreateImage',
  'GetImage',
  'SearchImages',
  'DeleteGroup',
  'DeleteImage',
]
const authorizerFunctions = ['Authorizer', 'WebSocketAuthorizer']
const uploadFunctions = ['ResizeImage', 'SendUploadNotifications']
const webSocketRoutes = {
  $connect: 'ConnectWebSocket',
  $disconnect: 'DisconnectWebSocket',
  $default: 'WebSocketDefaultRoute',
  subscribe: 'SubscribeToGroup',
  unsubscribe: 'UnsubscribeFromGroup',
}
const webSocketFunctions = Object.values(webSocketRoutes)
const searchFunctions = ['SearchImages', 'IndexImages']
const allFunctions = [
  ...authorizerFunctions,
  ...apiFunctions,
  ...uploadFunctions,
  ...webSocketFunctions,
  'IndexImages',
  'ChaosMonkey',
]

const queueArn = { 'Fn::GetAtt': ['AsyncFailuresQueue', 'Arn'] }

let outputDir = ''
let home = ''
let template: Template = { Resources: {} }
const { resource, resourcesOfType, method, lambda, environmentOf } = templateReader(() => template)

const policyStatements = (logicalId: string) =>
  (resource(logicalId).Properties.PolicyDocument as { Statement: Statement[] }).Statement

/** The function an API Gateway v2 route's integration invokes, by its Lambda logical ID. */
const webSocketTargetOf = (route: Record<string, unknown>): string => {
  const target = route.Target as { 'Fn::Join': [string, [string, { Ref: string }]] }
  const integration = resource(target['Fn::Join'][1][1].Ref).Properties
  const uri = JSON.stringify(integration.IntegrationUri)
  return /"(\w+)LambdaFunction"/.exec(uri)?.[1] ?? uri
}

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

  it('has no dependency cycle, which CloudFormation would refuse', () => {
    assert.equal(dependencyCycle(template), undefined)
  })

  it('has the twenty functions, each on Node 24 with active X-Ray tracing', () => {
    assert.deepEqual(
      resourcesOfType('AWS::Lambda::Function')
        .map(([logicalId]) => logicalId)
        .sort(),
      allFunctions.map((name) => `${name}LambdaFunction`).sort(),
    )
    for (const name of allFunctions) {
      const sized = { ResizeImage: [1024, 30], SendUploadNotifications: [256, 30], ChaosMonkey: [256, 30] }[
        name
      ] ?? [256, 10]
      assert.equal(lambda(name).Runtime, 'nodejs24.x', name)
      assert.deepEqual(lambda(name).TracingConfig, { Mode: 'Active' }, name)
      assert.deepEqual([lambda(name).MemorySize, lambda(name).Timeout], sized, name)
    }
    assert.equal(lambda('CreateImage').Handler, 'src/handlers/http/images/create-image.handler')
    assert.equal(lambda('ResizeImage').Handler, 'src/handlers/sns/resize-image.handler')
    assert.equal(lambda('SubscribeToGroup').Handler, 'src/handlers/websocket/subscribe.handler')
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
      assert.equal(environment.CONNECTIONS_TABLE, 'udagram-dev-connections', name)
      assert.equal(environment.GROUPS_BY_TIME_INDEX, 'GroupsByTimeIndex', name)
      assert.equal(environment.IMAGE_ID_INDEX, 'ImageIdIndex', name)
      assert.equal(environment.GROUP_SUBSCRIBERS_INDEX, 'GroupSubscribersIndex', name)
      assert.equal(environment.IMAGES_BUCKET, 'udagram-dev-images', name)
      assert.equal(environment.THUMBNAILS_BUCKET, 'udagram-dev-thumbnails', name)
      assert.equal(environment.SIGNED_URL_EXPIRATION_SECONDS, '300', name)
      assert.equal(environment.MAX_UPLOAD_BYTES, '10485760', name)
      assert.equal(environment.THUMBNAIL_WIDTH, '150', name)
      assert.equal(environment.CONNECTION_TTL_SECONDS, '7200', name)
      assert.equal(environment.POWERTOOLS_SERVICE_NAME, 'udagram', name)
      assert.equal(environment.POWERTOOLS_LOG_LEVEL, 'INFO', name)
      assert.equal(environment.CORS_ALLOWED_ORIGIN, '*', name)
    }
  })

  it("points every function at this stage of the WebSocket API's management endpoint", () => {
    for (const name of allFunctions) {
      assert.deepEqual(
        environmentOf(name).WEBSOCKET_MANAGEMENT_ENDPOINT,
        {
          'Fn::Join': [
            '',
            [
              'https://',
              { Ref: 'WebsocketsApi' },
              '.execute-api.',
              { Ref: 'AWS::Region' },
              '.amazonaws.com/dev',
            ],
          ],
        },
        name,
      )
    }
    assert.equal(resource('WebsocketsApi').Type, 'AWS::ApiGatewayV2::Api')
    assert.equal(resource('WebsocketsDeploymentStage').Properties.StageName, 'dev')
  })

  it('gives the token issuer settings to the two authorizers only', () => {
    for (const name of authorizerFunctions) {
      assert.equal(environmentOf(name).AUTH_ISSUER, 'https://udagram.eu.auth0.com/', name)
      assert.equal(environmentOf(name).AUTH_AUDIENCE, 'https://udagram-api', name)
      assert.equal(
        environmentOf(name).AUTH_JWKS_URL,
        'https://udagram.eu.auth0.com/.well-known/jwks.json',
        name,
      )
    }
    for (const name of allFunctions.filter((fn) => !authorizerFunctions.includes(fn))) {
      const authKeys = Object.keys(environmentOf(name)).filter((key) => key.startsWith('AUTH_'))
      assert.deepEqual(authKeys, [], name)
    }
  })

  it('keeps every table restorable to any second of the last 35 days and encrypted with KMS', () => {
    for (const logicalId of ['GroupsTable', 'ImagesTable', 'ConnectionsTable']) {
      const table = resource(logicalId).Properties
      assert.deepEqual(
        table.PointInTimeRecoverySpecification,
        { PointInTimeRecoveryEnabled: true },
        logicalId,
      )
      assert.deepEqual(table.SSESpecification, { SSEEnabled: true }, logicalId)
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

  it('declares the connections table keyed by connection, its group-subscribers index and a TTL', () => {
    const table = resource('ConnectionsTable').Properties

    assert.equal(table.TableName, 'udagram-dev-connections')
    assert.equal(table.BillingMode, 'PAY_PER_REQUEST')
    assert.deepEqual(table.KeySchema, [
      { AttributeName: 'connectionId', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ])
    assert.deepEqual(table.GlobalSecondaryIndexes, [
      {
        IndexName: 'GroupSubscribersIndex',
        KeySchema: [
          { AttributeName: 'groupId', KeyType: 'HASH' },
          { AttributeName: 'connectionId', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['expiresAt'] },
      },
    ])
    assert.deepEqual(table.TimeToLiveSpecification, { AttributeName: 'expiresAt', Enabled: true })
  })

  for (const [logicalId, bucketName, distribution, corsRules] of [
    [
      'ImagesBucket',
      'udagram-dev-images',
      'ImagesDistribution',
      [
        {
          AllowedOrigins: ['*'],
          AllowedMethods: ['PUT'],
          AllowedHeaders: ['*'],
          ExposedHeaders: ['ETag'],
          MaxAge: 3000,
        },
      ],
    ],
    ['ThumbnailsBucket', 'udagram-dev-thumbnails', 'ThumbnailsDistribution', undefined],
  ] as const) {
    it(`keeps ${logicalId} private: readable by ${distribution} only, over TLS only`, () => {
      const bucket = resource(logicalId).Properties
      const policy = resource(`${logicalId}Policy`).Properties
      const statements = policyStatements(`${logicalId}Policy`)
      const distributionArn = {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':cloudfront::',
            { Ref: 'AWS::AccountId' },
            ':distribution/',
            { Ref: distribution },
          ],
        ],
      }
      const bucketArn = { 'Fn::GetAtt': [logicalId, 'Arn'] }
      const objectsArn = { 'Fn::Join': ['', [bucketArn, '/*']] }

      assert.equal(bucket.BucketName, bucketName)
      assert.deepEqual(bucket.BucketEncryption, {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      })
      assert.deepEqual(bucket.PublicAccessBlockConfiguration, {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      })
      // Browsers PUT originals through presigned URLs; they read through the distributions only.
      assert.deepEqual(
        (bucket.CorsConfiguration as { CorsRules?: unknown } | undefined)?.CorsRules,
        corsRules,
      )
      assert.deepEqual(policy.Bucket, { Ref: logicalId })
      assert.deepEqual(statements, [
        {
          Sid: 'ReadThroughItsDistributionOnly',
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Resource: objectsArn,
          Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
        },
        {
          Sid: 'MissingObjectsAreNotFound',
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:ListBucket',
          Resource: bucketArn,
          Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
        },
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucketArn, objectsArn],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ])
    })

    it(`serves ${logicalId} to browsers through ${distribution}, HTTPS, read-only, signed to S3 with origin access control`, () => {
      const config = resource(distribution).Properties.DistributionConfig as Record<string, unknown>
      assert.equal(resource(distribution).Type, 'AWS::CloudFront::Distribution')
      assert.equal(config.Enabled, true)
      assert.equal(config.DefaultRootObject, 'index.html')
      assert.deepEqual(config.Origins, [
        {
          Id: 'bucket',
          DomainName: { 'Fn::GetAtt': [logicalId, 'RegionalDomainName'] },
          S3OriginConfig: { OriginAccessIdentity: '' },
          OriginAccessControlId: { 'Fn::GetAtt': ['BucketReaderOriginAccessControl', 'Id'] },
        },
      ])
      assert.deepEqual(config.DefaultCacheBehavior, {
        TargetOriginId: 'bucket',
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        CachedMethods: ['GET', 'HEAD'],
        Compress: true,
        CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
        ResponseHeadersPolicyId: '60669652-455b-4ae9-85a4-c4c02393f86c',
      })
    })
  }

  it('signs every origin request of the distributions to S3 (origin access control, SigV4)', () => {
    assert.deepEqual(resource('BucketReaderOriginAccessControl').Properties.OriginAccessControlConfig, {
      Name: 'udagram-dev-bucket-reader',
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    })
  })

  it("tells every function where browsers get images: the distributions' domains", () => {
    for (const name of allFunctions) {
      for (const [variable, distribution] of [
        ['IMAGES_CDN_URL', 'ImagesDistribution'],
        ['THUMBNAILS_CDN_URL', 'ThumbnailsDistribution'],
      ]) {
        assert.deepEqual(
          environmentOf(name)[variable ?? ''],
          { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }]] },
          `${name} ${variable}`,
        )
      }
    }
  })

  it('lets no one in through a resource policy with a bare "*" principal, except to deny', () => {
    const allowsToAnyone = (document: unknown) =>
      ((document as { Statement?: Statement[] } | undefined)?.Statement ?? []).filter(
        (statement) =>
          statement.Effect === 'Allow' &&
          (statement.Principal === '*' || JSON.stringify(statement.Principal) === '{"AWS":"*"}') &&
          statement.Condition === undefined,
      )
    for (const [logicalId, candidate] of Object.entries(template.Resources)) {
      const { PolicyDocument, AccessPolicies, KeyPolicy } = candidate.Properties ?? {}
      for (const document of [PolicyDocument, AccessPolicies, KeyPolicy]) {
        assert.deepEqual(allowsToAnyone(document), [], logicalId)
      }
    }
  })

  it('announces every new original on the uploads topic, once S3 may publish there', () => {
    const images = resource('ImagesBucket')

    assert.deepEqual(images.Properties.NotificationConfiguration, {
      TopicConfigurations: [{ Event: 's3:ObjectCreated:*', Topic: { Ref: 'UploadsTopic' } }],
    })
    assert.deepEqual(asArray(images.DependsOn ?? []), ['UploadsTopicPolicy'])
    assert.equal(resource('ThumbnailsBucket').Properties.NotificationConfiguration, undefined)
  })

  it('declares the uploads topic, to which only S3 may publish, for the images bucket of this account', () => {
    const topic = resource('UploadsTopic')
    const policy = resource('UploadsTopicPolicy').Properties
    const [statement, ...others] = policyStatements('UploadsTopicPolicy')

    assert.equal(topic.Type, 'AWS::SNS::Topic')
    assert.equal(topic.Properties.TopicName, 'udagram-dev-uploads')
    assert.deepEqual(policy.Topics, [{ Ref: 'UploadsTopic' }])
    assert.deepEqual(others, [])
    assert.equal(statement?.Effect, 'Allow')
    assert.deepEqual(statement?.Principal, { Service: 's3.amazonaws.com' })
    assert.deepEqual(asArray(statement?.Action ?? []), ['sns:Publish'])
    assert.deepEqual(statement?.Resource, { Ref: 'UploadsTopic' })
    assert.deepEqual(statement?.Condition, {
      ArnLike: {
        'aws:SourceArn': {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', 'udagram-dev-images']],
        },
      },
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    })
  })

  it('keeps failed asynchronous invocations for 14 days in an encrypted queue', () => {
    const queue = resource('AsyncFailuresQueue')

    assert.equal(queue.Type, 'AWS::SQS::Queue')
    assert.equal(queue.Properties.MessageRetentionPeriod, 1209600)
    assert.equal(queue.Properties.SqsManagedSseEnabled, true)
  })

  for (const name of uploadFunctions) {
    it(`subscribes ${name} to the uploads topic, retrying twice within an hour, then to the queue`, () => {
      const subscriptions = resourcesOfType('AWS::SNS::Subscription').filter(([, subscription]) =>
        JSON.stringify(subscription.Properties.Endpoint).includes(`"${name}LambdaFunction"`),
      )
      const permission = resource(`${name}LambdaPermissionUdagramdevuploadsSNS`).Properties
      const invokeConfig = resource(`${name}LambdaEvConf`)

      assert.deepEqual(
        subscriptions.map(([logicalId, subscription]) => [logicalId, subscription.Properties]),
        [
          [
            `${name}SnsSubscriptionUdagramdevuploads`,
            {
              TopicArn: { Ref: 'UploadsTopic' },
              Protocol: 'lambda',
              Endpoint: { 'Fn::GetAtt': [`${name}LambdaFunction`, 'Arn'] },
            },
          ],
        ],
      )
      assert.equal(permission.Principal, 'sns.amazonaws.com')
      assert.deepEqual(permission.SourceArn, { Ref: 'UploadsTopic' })
      assert.equal(invokeConfig.Type, 'AWS::Lambda::EventInvokeConfig')
      assert.deepEqual(invokeConfig.Properties, {
        FunctionName: { Ref: `${name}LambdaFunction` },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: queueArn } },
      })
    })
  }

  it('has no other asynchronous invocation settings or SNS subscriptions', () => {
    const configured = (type: string) => resourcesOfType(type).map(([logicalId]) => logicalId)

    // The chaos monkey's schedule is asynchronous too: its settings are in chaos-monkey-template.test.ts.
    assert.deepEqual(configured('AWS::Lambda::EventInvokeConfig').sort(), [
      'ChaosMonkeyLambdaEvConf',
      'ResizeImageLambdaEvConf',
      'SendUploadNotificationsLambdaEvConf',
    ])
    assert.equal(configured('AWS::SNS::Subscription').length, 2)
  })

  it('routes WebSocket messages on their action to the five routes', () => {
    const api = resource('WebsocketsApi').Properties
    const routes = resourcesOfType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties)

    assert.equal(api.ProtocolType, 'WEBSOCKET')
    assert.equal(api.RouteSelectionExpression, '$request.body.action')
    assert.deepEqual(
      Object.fromEntries(routes.map((route) => [route.RouteKey, webSocketTargetOf(route)])),
      webSocketRoutes,
    )
    for (const route of routes) assert.deepEqual(route.ApiId, { Ref: 'WebsocketsApi' })
  })

  it('sends the answers of $default, subscribe and unsubscribe back to the client', () => {
    const routes = Object.fromEntries(
      resourcesOfType('AWS::ApiGatewayV2::Route').map(([logicalId, route]) => [logicalId, route.Properties]),
    )
    const answered = resourcesOfType('AWS::ApiGatewayV2::RouteResponse').map(([, response]) => {
      const route = routes[refOf(response.Properties.RouteId) ?? '']
      assert.equal(response.Properties.RouteResponseKey, '$default')
      assert.equal(route?.RouteResponseSelectionExpression, '$default')
      return route?.RouteKey
    })

    assert.deepEqual(answered.sort(), ['$default', 'subscribe', 'unsubscribe'])
  })

  it('authorizes $connect, and only it, with a REQUEST authorizer reading the token query parameter', () => {
    const [authorizer, ...others] = resourcesOfType('AWS::ApiGatewayV2::Authorizer')
    const logicalId = authorizer?.[0]
    const properties = authorizer?.[1].Properties ?? {}
    const routes = resourcesOfType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties)

    assert.equal(others.length, 0)
    assert.equal(logicalId, 'WebSocketAuthorizerWebsocketsAuthorizer')
    assert.deepEqual(properties.ApiId, { Ref: 'WebsocketsApi' })
    assert.equal(properties.AuthorizerType, 'REQUEST')
    assert.deepEqual(properties.IdentitySource, ['route.request.querystring.token'])
    assert.ok(JSON.stringify(properties.AuthorizerUri).includes('"WebSocketAuthorizerLambdaFunction"'))
    for (const route of routes) {
      const isConnect = route.RouteKey === '$connect'
      assert.equal(route.AuthorizationType, isConnect ? 'CUSTOM' : 'NONE', String(route.RouteKey))
      assert.deepEqual(route.AuthorizerId, isConnect ? { Ref: logicalId } : undefined, String(route.RouteKey))
    }
    assert.equal(
      resource('WebSocketAuthorizerLambdaPermissionWebsockets').Properties.Principal,
      'apigateway.amazonaws.com',
    )
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

  for (const path of ['groups/{groupId}', 'images/{imageId}']) {
    it(`authorizes DELETE ${path}, which has no body to validate`, () => {
      const remove = method('DELETE', path).Properties
      const authorizerId = resourcesOfType('AWS::ApiGateway::Authorizer')[0]?.[0]

      assert.equal(remove.AuthorizationType, 'CUSTOM')
      assert.ok(authorizerId)
      assert.equal(refOf(remove.AuthorizerId), authorizerId)
      assert.equal(remove.RequestValidatorId, undefined)
    })
  }

  for (const path of [
    'groups',
    'groups/{groupId}',
    'groups/{groupId}/images',
    'images/{imageId}',
    'images/search',
  ]) {
    it(`serves GET ${path} without authentication`, () => {
      const get = method('GET', path).Properties

      assert.equal(get.AuthorizationType, 'NONE')
      assert.equal(get.AuthorizerId, undefined)
      assert.equal(get.RequestValidatorId, undefined)
    })
  }

  it('answers CORS preflights on every path', () => {
    for (const path of [
      'groups',
      'groups/{groupId}',
      'groups/{groupId}/images',
      'images/{imageId}',
      'images/search',
    ]) {
      const preflight = JSON.stringify(method('OPTIONS', path).Properties)
      assert.ok(preflight.includes(`'${corsAllowedHeaders.join(',')}'`), path)
    }
    for (const path of ['groups/{groupId}', 'images/{imageId}']) {
      const preflight = JSON.stringify(method('OPTIONS', path).Properties)
      assert.match(preflight, /Access-Control-Allow-Methods":"'[A-Z,]*DELETE[A-Z,]*'"/, path)
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
        'gatewayresponse.header.Access-Control-Allow-Methods': "'OPTIONS,GET,POST,DELETE'",
        'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
      })
    }
  })

  it("ships each function as its own zip holding only its bundle, and sharp's native parts for ResizeImage", async () => {
    for (const name of allFunctions) {
      const s3Key = String((lambda(name).Code as { S3Key: string }).S3Key)
      const handlerFile = `${String(lambda(name).Handler).replace(/\.handler$/, '')}.mjs`

      assert.ok(s3Key.endsWith(`/${name}.zip`), s3Key)
      const zip = await readFile(join(outputDir, `${name}.zip`))
      // Zip entries' names are stored uncompressed, so the listing is readable in the raw bytes.
      assert.ok(zip.includes(handlerFile), `${name}.zip lacks ${handlerFile}`)
      assert.ok((await stat(join(outputDir, `${name}.zip`))).size > 0)
      if (name === 'ResizeImage') continue
      assert.ok(!zip.includes('node_modules/'), `${name}.zip carries node_modules`)
    }
  })

  it("ships ResizeImage with sharp's x86_64 Linux binaries, which its bundle loads at start-up", async () => {
    const zip = await readFile(join(outputDir, 'ResizeImage.zip'))
    const modules = new Set(
      [...zip.toString('latin1').matchAll(/node_modules\/(@img\/[\w.-]+|[\w.-]+)\//g)].map(
        ([, name]) => name,
      ),
    )

    assert.deepEqual([...modules].sort(), ['@img/sharp-libvips-linux-x64', '@img/sharp-linux-x64'])
    assert.match(
      zip.toString('latin1'),
      /node_modules\/@img\/sharp-linux-x64\/lib\/sharp-linux-x64[\w.-]*\.node/,
    )
    assert.match(zip.toString('latin1'), /node_modules\/@img\/sharp-libvips-linux-x64\/lib\/libvips-cpp\.so/)
    assert.equal(lambda('ResizeImage').Architectures, undefined, 'x86_64, the architecture of those binaries')
  })

  it("throttles the dev stage's methods at the account defaults, through the deployment that creates the stage", () => {
    // osls makes no AWS::ApiGateway::Stage; its Deployment creates the stage (StageName), and
    // infra/plugins/rest-api-stage.ts gives that Deployment the StageDescription.
    const [deployment, ...others] = resourcesOfType('AWS::ApiGateway::Deployment')
    const perMethod = (ResourcePath: string, HttpMethod: string) => ({
      ResourcePath,
      HttpMethod,
      ThrottlingRateLimit: 10000,
      ThrottlingBurstLimit: 5000,
    })

    assert.deepEqual(others, [])
    assert.deepEqual(resourcesOfType('AWS::ApiGateway::Stage'), [])
    assert.equal(deployment?.[1].Properties.StageName, 'dev')
    assert.deepEqual(deployment?.[1].Properties.StageDescription, {
      MethodSettings: [
        perMethod('/*', '*'),
        perMethod('/~1groups', 'POST'),
        perMethod('/~1groups~1{groupId}~1images', 'POST'),
      ],
    })
    method('POST', 'groups')
    method('POST', 'groups/{groupId}/images')
  })

  describe('token verification', () => {
    const statementsOfRole = (logicalId: string) =>
      (
        resource(logicalId).Properties.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>
      ).flatMap((policy) => policy.PolicyDocument.Statement)
    const conditionOf = (logicalId: string) => (resource(logicalId) as { Condition?: string }).Condition

    it('runs each authorizer on a role of its own that writes its logs and traces, and nothing else', () => {
      for (const name of authorizerFunctions) {
        assert.deepEqual(lambda(name).Role, { 'Fn::GetAtt': [`${name}Role`, 'Arn'] }, name)
        const statements = statementsOfRole(`${name}Role`)
        assert.deepEqual(
          statements.map((statement) => asArray(statement.Action).sort()),
          [
            ['logs:CreateLogStream', 'logs:PutLogEvents'],
            ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
          ],
        )
        assert.match(
          JSON.stringify(statements[0]?.Resource),
          new RegExp(`/aws/lambda/udagram-dev-${name}:\\*`),
        )
      }
    })

    it('checks RS256 tokens by default and names the shared secret for the HS256 mode', () => {
      for (const name of authorizerFunctions) {
        assert.equal(environmentOf(name).AUTH_ALGORITHM, 'RS256', name)
        assert.equal(environmentOf(name).AUTH_SECRET_ID, 'udagram-dev-token-signing-secret', name)
      }
      assert.deepEqual(
        (template as { Conditions?: Record<string, unknown> }).Conditions?.UsesSharedSecretTokens,
        {
          'Fn::Equals': ['RS256', 'HS256'],
        },
      )
    })

    it('keeps the HS256 secret in Secrets Manager under a rotating KMS key, both only in HS256 mode', () => {
      const secret = resource('TokenSigningSecret')
      const key = resource('TokenSigningSecretKey')
      assert.equal(secret.Type, 'AWS::SecretsManager::Secret')
      assert.equal(key.Type, 'AWS::KMS::Key')
      assert.equal(conditionOf('TokenSigningSecret'), 'UsesSharedSecretTokens')
      assert.equal(conditionOf('TokenSigningSecretKey'), 'UsesSharedSecretTokens')
      assert.equal(secret.Properties.Name, 'udagram-dev-token-signing-secret')
      assert.deepEqual(secret.Properties.KmsKeyId, { Ref: 'TokenSigningSecretKey' })
      assert.equal(key.Properties.EnableKeyRotation, true)
      const keyPolicy = key.Properties.KeyPolicy as { Statement: Statement[] }
      assert.deepEqual(
        keyPolicy.Statement.map((statement) => statement.Principal),
        [
          {
            AWS: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root'],
              ],
            },
          },
        ],
      )
    })

    it('lets only the two authorizer roles read the secret, and decrypt it only through Secrets Manager', () => {
      const policy = resource('TokenSigningSecretReadPolicy')
      assert.equal(policy.Type, 'AWS::IAM::Policy')
      assert.equal(conditionOf('TokenSigningSecretReadPolicy'), 'UsesSharedSecretTokens')
      assert.deepEqual(policy.Properties.Roles, [
        { Ref: 'AuthorizerRole' },
        { Ref: 'WebSocketAuthorizerRole' },
      ])
      assert.deepEqual(policyStatements('TokenSigningSecretReadPolicy'), [
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: 'TokenSigningSecret' } },
        {
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: { 'Fn::GetAtt': ['TokenSigningSecretKey', 'Arn'] },
          Condition: {
            StringEquals: {
              'kms:ViaService': {
                'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
              },
            },
          },
        },
      ])
      const readers = Object.entries(template.Resources).filter(([, candidate]) =>
        JSON.stringify(candidate).includes('secretsmanager:'),
      )
      assert.deepEqual(
        readers.map(([logicalId]) => logicalId),
        ['TokenSigningSecretReadPolicy'],
      )
    })
  })

  describe('search', () => {
    const domainPaths = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':es:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':domain/udagram-dev/*',
        ],
      ],
    }
    const statementsOfRole = (logicalId: string) =>
      (
        resource(logicalId).Properties.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>
      ).flatMap((policy) => policy.PolicyDocument.Statement)

    it('declares an OpenSearch domain open only to the two search roles, over HTTPS, encrypted', () => {
      const domain = resource('SearchDomain')
      const properties = domain.Properties

      assert.equal(domain.Type, 'AWS::OpenSearchService::Domain')
      assert.equal(properties.DomainName, 'udagram-dev')
      assert.deepEqual(properties.ClusterConfig, { InstanceType: 't3.small.search', InstanceCount: '1' })
      assert.deepEqual(properties.EncryptionAtRestOptions, { Enabled: true })
      assert.deepEqual(properties.NodeToNodeEncryptionOptions, { Enabled: true })
      assert.deepEqual(properties.DomainEndpointOptions, {
        EnforceHTTPS: true,
        TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07',
      })
      const policy = properties.AccessPolicies as { Statement: Statement[] }
      assert.equal(policy.Statement.length, 1)
      const [statement] = policy.Statement
      assert.equal(statement?.Effect, 'Allow')
      assert.deepEqual(statement?.Principal, {
        AWS: [{ 'Fn::GetAtt': ['IndexImagesRole', 'Arn'] }, { 'Fn::GetAtt': ['SearchImagesRole', 'Arn'] }],
      })
      assert.deepEqual(statement?.Resource, domainPaths)
      assert.ok(!JSON.stringify(policy).includes('"*"'), 'no wildcard principal or action')
    })

    it('runs the two search functions on roles of their own, told where the domain is', () => {
      for (const name of searchFunctions) {
        assert.deepEqual(lambda(name).Role, { 'Fn::GetAtt': [`${name}Role`, 'Arn'] }, name)
        assert.deepEqual(environmentOf(name).SEARCH_ENDPOINT, {
          'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['SearchDomain', 'DomainEndpoint'] }]],
        })
        assert.equal(environmentOf(name).SEARCH_ENGINE, 'opensearch')
        assert.equal(environmentOf(name).SEARCH_INDEX, 'images')
        const trust = resource(`${name}Role`).Properties.AssumeRolePolicyDocument as {
          Statement: Statement[]
        }
        assert.deepEqual(trust.Statement[0]?.Principal, { Service: 'lambda.amazonaws.com' })
      }
    })

    it('lets the search function read the domain, write its own logs and traces, and nothing else', () => {
      const statements = statementsOfRole('SearchImagesRole')
      assert.deepEqual(
        statements.map((statement) => asArray(statement.Action).sort()),
        [
          ['logs:CreateLogStream', 'logs:PutLogEvents'],
          ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
          ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'],
        ],
      )
      assert.deepEqual(statements[2]?.Resource, domainPaths)
      assert.match(
        JSON.stringify(statements[0]?.Resource),
        /log-group:\/aws\/lambda\/udagram-dev-SearchImages:\*/,
      )
    })

    it('lets the indexer read the stream and group names, write the domain and the failures queue', () => {
      const statements = statementsOfRole('IndexImagesRole')
      const actions = (prefix: string) =>
        statements.filter((statement) =>
          asArray(statement.Action).some((action) => action.startsWith(prefix)),
        )
      assert.deepEqual(
        actions('dynamodb:').map((statement) => [asArray(statement.Action).sort(), statement.Resource]),
        [
          [
            [
              'dynamodb:DescribeStream',
              'dynamodb:GetRecords',
              'dynamodb:GetShardIterator',
              'dynamodb:ListStreams',
            ],
            { 'Fn::GetAtt': ['ImagesTable', 'StreamArn'] },
          ],
          [['dynamodb:GetItem'], { 'Fn::GetAtt': ['GroupsTable', 'Arn'] }],
        ],
      )
      assert.deepEqual(actions('es:')[0]?.Resource, domainPaths)
      assert.deepEqual(
        actions('sqs:').map((statement) => [statement.Action, statement.Resource]),
        [[['sqs:SendMessage'], queueArn]],
      )
      for (const statement of statements.filter((s) => !asArray(s.Action)[0]?.startsWith('xray:'))) {
        assert.ok(!asArray(statement.Resource).includes('*'), JSON.stringify(statement))
      }
    })

    it('feeds the indexer from the Images stream in batches, reporting failed records, bisecting, then to the queue', () => {
      const [mapping, ...others] = resourcesOfType('AWS::Lambda::EventSourceMapping')
      assert.deepEqual(others, [])
      assert.deepEqual(mapping?.[1].Properties, {
        BatchSize: 100,
        Enabled: true,
        EventSourceArn: { 'Fn::GetAtt': ['ImagesTable', 'StreamArn'] },
        FunctionName: { 'Fn::GetAtt': ['IndexImagesLambdaFunction', 'Arn'] },
        StartingPosition: 'TRIM_HORIZON',
        MaximumBatchingWindowInSeconds: 1,
        MaximumRetryAttempts: 5,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRecordAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: queueArn } },
      })
    })
  })
})
