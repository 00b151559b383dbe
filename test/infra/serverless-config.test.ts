// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { describe, it } from 'node:test'
import AjvDraft04 from 'ajv-draft-04'
import { cors } from '../../infra/cors.ts'
import { environment } from '../../infra/environment.ts'
import { tables } from '../../infra/resources/tables.ts'
import { createGroupRequestSchema } from '../../infra/schemas/create-group-request.ts'
import { createImageRequestSchema } from '../../infra/schemas/create-image-request.ts'
import config from '../../serverless.ts'

// The contract the local cloud relies on: it imports serverless.ts in plain Node (no osls) and runs
// the same handlers behind the same routes, validators and authorizer.

const Ajv = AjvDraft04.default
const repoRoot = new URL('../../', import.meta.url)

type HttpEvent = {
  method: string
  path: string
  cors?: unknown
  authorizer?: unknown
  request?: { schemas?: Record<string, unknown> }
}

const functions = config.functions ?? {}

const httpEventsOf = (name: string): HttpEvent[] =>
  (functions[name]?.events ?? []).flatMap((event) =>
    'http' in event && typeof event.http === 'object' ? [event.http as HttpEvent] : [],
  )

const routes = [
  { name: 'GetGroups', handler: 'src/handlers/http/groups/get-groups.handler', route: 'GET groups' },
  { name: 'CreateGroup', handler: 'src/handlers/http/groups/create-group.handler', route: 'POST groups' },
  { name: 'GetGroup', handler: 'src/handlers/http/groups/get-group.handler', route: 'GET groups/{groupId}' },
  {
    name: 'GetGroupImages',
    handler: 'src/handlers/http/images/get-group-images.handler',
    route: 'GET groups/{groupId}/images',
  },
  {
    name: 'CreateImage',
    handler: 'src/handlers/http/images/create-image.handler',
    route: 'POST groups/{groupId}/images',
  },
  { name: 'GetImage', handler: 'src/handlers/http/images/get-image.handler', route: 'GET images/{imageId}' },
  {
    name: 'SearchImages',
    handler: 'src/handlers/http/images/search-images.handler',
    route: 'GET images/search',
  },
  {
    name: 'DeleteGroup',
    handler: 'src/handlers/http/groups/delete-group.handler',
    route: 'DELETE groups/{groupId}',
  },
  {
    name: 'DeleteImage',
    handler: 'src/handlers/http/images/delete-image.handler',
    route: 'DELETE images/{imageId}',
  },
]

const searchFunctions = ['SearchImages', 'IndexImages']
const searchEnvironment = {
  SEARCH_ENGINE: 'opensearch',
  SEARCH_INDEX: 'images',
  SEARCH_ENDPOINT: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['SearchDomain', 'DomainEndpoint'] }]] },
}

const uploadFunctions = {
  ResizeImage: 'src/handlers/sns/resize-image.handler',
  SendUploadNotifications: 'src/handlers/sns/send-upload-notifications.handler',
}

const webSocketFunctions = {
  ConnectWebSocket: ['src/handlers/websocket/connect.handler', '$connect'],
  DisconnectWebSocket: ['src/handlers/websocket/disconnect.handler', '$disconnect'],
  WebSocketDefaultRoute: ['src/handlers/websocket/default-route.handler', '$default'],
  SubscribeToGroup: ['src/handlers/websocket/subscribe.handler', 'subscribe'],
  UnsubscribeFromGroup: ['src/handlers/websocket/unsubscribe.handler', 'unsubscribe'],
}

const issuerSettings = {
  AUTH_ISSUER: '${param:authIssuer}',
  AUTH_AUDIENCE: '${param:authAudience}',
  AUTH_ALGORITHM: '${param:authAlgorithm}',
  AUTH_JWKS_URL: '${param:authJwksUrl}',
  AUTH_SECRET_ID: '${self:service}-${sls:stage}-token-signing-secret',
}

const tokenAuthorizer = {
  name: 'Authorizer',
  type: 'TOKEN',
  identitySource: 'method.request.header.Authorization',
  resultTtlInSeconds: 300,
}

/** Every string in a value, with where it was found. */
function* stringsIn(value: unknown, at = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [at, value]
  else if (Array.isArray(value))
    for (const [index, item] of value.entries()) yield* stringsIn(item, `${at}[${index}]`)
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) yield* stringsIn(item, `${at}.${key}`)
}

describe('serverless.ts, imported by Node without osls', () => {
  it('declares exactly the two authorizers, the nine API, two upload, five WebSocket, the indexer and the chaos monkey functions', () => {
    assert.deepEqual(
      Object.keys(functions).sort(),
      [
        'Authorizer',
        'WebSocketAuthorizer',
        'IndexImages',
        'ChaosMonkey',
        ...routes.map((r) => r.name),
        ...Object.keys(uploadFunctions),
        ...Object.keys(webSocketFunctions),
      ].sort(),
    )
    assert.equal(functions.Authorizer?.handler, 'src/handlers/authorizer/jwt-authorizer.handler')
    assert.equal(
      functions.WebSocketAuthorizer?.handler,
      'src/handlers/authorizer/websocket-authorizer.handler',
    )
    assert.deepEqual(functions.Authorizer?.events ?? [], [])
    assert.deepEqual(functions.WebSocketAuthorizer?.events ?? [], [])
  })

  for (const [name, handler] of Object.entries(uploadFunctions)) {
    it(`runs ${name} on each upload announced on the topic, retrying twice, then to the failures queue`, () => {
      const fn = functions[name]

      assert.equal(fn?.handler, handler)
      assert.deepEqual(fn?.events, [
        { sns: { arn: { Ref: 'UploadsTopic' }, topicName: '${self:service}-${sls:stage}-uploads' } },
      ])
      assert.equal(fn?.maximumRetryAttempts, 2)
      assert.equal(fn?.maximumEventAge, 3600)
      assert.deepEqual(fn?.destinations, {
        onFailure: { type: 'sqs', arn: { 'Fn::GetAtt': ['AsyncFailuresQueue', 'Arn'] } },
      })
      assert.equal(fn?.timeout, 30)
    })
  }

  it("gives ResizeImage the memory (and so the CPU) sharp needs, and sharp's native parts", () => {
    assert.equal(functions.ResizeImage?.memorySize, 1024)
    assert.deepEqual(functions.ResizeImage?.package?.patterns, [
      'node_modules/@img/sharp-linux-x64/**',
      'node_modules/@img/sharp-libvips-linux-x64/**',
    ])
    assert.equal(functions.SendUploadNotifications?.memorySize, undefined)
    assert.equal(functions.SendUploadNotifications?.package, undefined)
  })

  it('routes WebSocket messages on their action and authorizes $connect with the token query parameter', () => {
    assert.equal(config.provider.websocketsApiRouteSelectionExpression, '$request.body.action')
    for (const [name, [handler, route]] of Object.entries(webSocketFunctions)) {
      const [event, ...others] = functions[name]?.events ?? []
      const websocket = event && 'websocket' in event ? event.websocket : undefined

      assert.equal(functions[name]?.handler, handler, name)
      assert.deepEqual(others, [], name)
      assert.equal(typeof websocket === 'object' ? websocket.route : websocket, route, name)
    }
    assert.deepEqual(functions.ConnectWebSocket?.events, [
      {
        websocket: {
          route: '$connect',
          authorizer: { name: 'WebSocketAuthorizer', identitySource: ['route.request.querystring.token'] },
        },
      },
    ])
    assert.deepEqual(functions.DisconnectWebSocket?.events, [{ websocket: { route: '$disconnect' } }])
    for (const [name, route] of [
      ['WebSocketDefaultRoute', '$default'],
      ['SubscribeToGroup', 'subscribe'],
      ['UnsubscribeFromGroup', 'unsubscribe'],
    ]) {
      assert.deepEqual(
        functions[name ?? '']?.events,
        [{ websocket: { route, routeResponseSelectionExpression: '$default' } }],
        name,
      )
    }
  })

  for (const { name, handler, route } of routes) {
    it(`routes ${route} to ${name}`, () => {
      const [event, ...others] = httpEventsOf(name)

      assert.equal(functions[name]?.handler, handler)
      assert.equal(others.length, 0)
      assert.equal(`${event?.method} ${event?.path}`, route)
      assert.equal(event?.cors, cors, 'every route shares the one CORS object of infra/cors.ts')
    })
  }

  it('points every handler at a TypeScript source file', () => {
    const missing = Object.values(functions)
      .map((fn) => `${fn.handler?.slice(0, fn.handler.lastIndexOf('.'))}.ts`)
      .filter((file) => !existsSync(new URL(file, repoRoot)))

    assert.deepEqual(missing, [])
  })

  it('guards the two POST routes with the TOKEN authorizer and a body schema, and no GET route', () => {
    const post = (name: string) => httpEventsOf(name)[0]

    assert.deepEqual(post('CreateGroup')?.authorizer, tokenAuthorizer)
    assert.deepEqual(post('CreateImage')?.authorizer, tokenAuthorizer)
    assert.equal(post('CreateGroup')?.request?.schemas?.['application/json'], createGroupRequestSchema)
    assert.equal(post('CreateImage')?.request?.schemas?.['application/json'], createImageRequestSchema)
    for (const name of ['GetGroups', 'GetGroup', 'GetGroupImages', 'GetImage', 'SearchImages']) {
      assert.equal(httpEventsOf(name)[0]?.authorizer, undefined, name)
      assert.equal(httpEventsOf(name)[0]?.request, undefined, name)
    }
  })

  it('guards the two DELETE routes with the TOKEN authorizer, with no body schema', () => {
    for (const name of ['DeleteGroup', 'DeleteImage']) {
      assert.deepEqual(httpEventsOf(name)[0]?.authorizer, tokenAuthorizer, name)
      assert.equal(httpEventsOf(name)[0]?.request, undefined, name)
    }
  })

  it('lets CORS preflights send the Authorization header the POST routes need', () => {
    assert.equal(cors.origin, '*')
    assert.equal(cors.allowCredentials, true)
    for (const header of [
      'Content-Type',
      'Authorization',
      'X-Amz-Date',
      'X-Api-Key',
      'X-Amz-Security-Token',
    ]) {
      assert.ok(cors.headers.includes(header), header)
    }
  })

  it('gives the two authorizers, and only them, the token issuer settings', () => {
    assert.deepEqual(functions.Authorizer?.environment, issuerSettings)
    assert.deepEqual(functions.WebSocketAuthorizer?.environment, issuerSettings)
    for (const name of Object.keys(functions).filter(
      (fn) => !fn.endsWith('Authorizer') && !searchFunctions.includes(fn) && fn !== 'ChaosMonkey',
    )) {
      assert.equal(functions[name]?.environment, undefined, name)
    }
    assert.deepEqual(config.params?.default, {
      authIssuer: 'https://udagram.eu.auth0.com/',
      authAudience: 'https://udagram-api',
      authAlgorithm: 'RS256',
      authJwksUrl: '${param:authIssuer}.well-known/jwks.json',
      imagesBucket: 'udagram-${sls:stage}-images',
      thumbnailsBucket: 'udagram-${sls:stage}-thumbnails',
      websiteBucket: 'udagram-${sls:stage}-web',
      logLevel: 'INFO',
      corsAllowedOrigin: '*',
      searchInstanceType: 't3.small.search',
      searchInstanceCount: '1',
      throttleRateLimit: 10000,
      throttleBurstLimit: 5000,
      writeThrottleRateLimit: '${param:throttleRateLimit}',
      writeThrottleBurstLimit: '${param:throttleBurstLimit}',
      chaosMonkeyEnabled: 'false',
      chaosMonkeyMode: 'dry-run',
      chaosMonkeySchedule: 'cron(0 9-16 ? * MON-FRI *)',
      dataDeletionProtection: 'false',
      dataRetention: 'Delete',
      gradualDeploymentType: 'Linear10PercentEvery1Minute',
    })
    assert.deepEqual(config.params?.prod, {
      logLevel: 'WARN',
      searchInstanceType: 'm7g.large.search',
      searchInstanceCount: '2',
      throttleRateLimit: 200,
      throttleBurstLimit: 400,
      writeThrottleRateLimit: 10,
      writeThrottleBurstLimit: 20,
      chaosMonkeyEnabled: 'true',
      dataDeletionProtection: 'true',
      dataRetention: 'Retain',
      gradualDeploymentType: 'Canary10Percent5Minutes',
    })
  })

  it('gives every function the new settings for uploads and WebSocket connections', () => {
    const environment = config.provider.environment ?? {}

    assert.equal(environment.THUMBNAILS_BUCKET, '${param:thumbnailsBucket}')
    assert.equal(environment.CONNECTIONS_TABLE, '${self:service}-${sls:stage}-connections')
    assert.equal(environment.GROUP_SUBSCRIBERS_INDEX, 'GroupSubscribersIndex')
    assert.equal(environment.MAX_UPLOAD_BYTES, '10485760')
    assert.equal(environment.THUMBNAIL_WIDTH, '150')
    assert.equal(environment.CONNECTION_TTL_SECONDS, '7200')
  })

  it('keeps function environments plain strings, but for the endpoints and CDN URLs the local cloud replaces', () => {
    const {
      WEBSOCKET_MANAGEMENT_ENDPOINT: endpoint,
      IMAGES_CDN_URL: imagesCdn,
      THUMBNAILS_CDN_URL: thumbnailsCdn,
      ...provider
    } = config.provider.environment ?? {}
    const environments = [
      provider,
      ...Object.values(functions).map((fn) => {
        const { SEARCH_ENDPOINT: _replacedLocally, ...rest } = (fn.environment ?? {}) as Record<
          string,
          unknown
        >
        return rest
      }),
    ]
    for (const environment of environments) {
      for (const [key, value] of Object.entries(environment ?? {})) assert.equal(typeof value, 'string', key)
    }
    assert.deepEqual(endpoint, {
      'Fn::Join': [
        '',
        [
          'https://',
          { Ref: 'WebsocketsApi' },
          '.execute-api.',
          { Ref: 'AWS::Region' },
          '.amazonaws.com/${sls:stage}',
        ],
      ],
    })
    assert.deepEqual(imagesCdn, {
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['ImagesDistribution', 'DomainName'] }]],
    })
    assert.deepEqual(thumbnailsCdn, {
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['ThumbnailsDistribution', 'DomainName'] }]],
    })
  })

  it('tells the search function and the indexer, and only them, where the search domain is', () => {
    for (const name of searchFunctions)
      assert.deepEqual(functions[name]?.environment, searchEnvironment, name)
  })

  it('runs the indexer on the Images stream in batches, reporting failed records, bisecting, then to the queue', () => {
    assert.equal(functions.IndexImages?.handler, 'src/handlers/stream/index-images.handler')
    assert.deepEqual(functions.IndexImages?.events, [
      {
        stream: {
          type: 'dynamodb',
          arn: { 'Fn::GetAtt': ['ImagesTable', 'StreamArn'] },
          startingPosition: 'TRIM_HORIZON',
          batchSize: 100,
          batchWindow: 1,
          functionResponseType: 'ReportBatchItemFailures',
          bisectBatchOnFunctionError: true,
          maximumRetryAttempts: 5,
          maximumRecordAgeInSeconds: 3600,
          destinations: { onFailure: { type: 'sqs', arn: { 'Fn::GetAtt': ['AsyncFailuresQueue', 'Arn'] } } },
        },
      },
    ])
  })

  it('names the connections table and its subscribers index as the functions are told to', () => {
    const environment = config.provider.environment ?? {}
    const resources = (config.resources?.Resources ?? {}) as Record<string, unknown>
    const table = resources.ConnectionsTable as
      | { Properties: { TableName: string; GlobalSecondaryIndexes: { IndexName: string }[] } }
      | undefined

    const deployed: unknown = tables.ConnectionsTable

    assert.equal(deployed, table, 'serverless.ts deploys the table of infra/resources/tables.ts')
    assert.equal(table?.Properties.TableName, '${self:provider.environment.CONNECTIONS_TABLE}')
    assert.deepEqual(
      table?.Properties.GlobalSecondaryIndexes.map((index) => index.IndexName),
      [environment.GROUP_SUBSCRIBERS_INDEX],
    )
  })

  it('uses only the variable sources the local cloud resolves', () => {
    const supported = /^(sls:stage|self:[\w.]+|param:\w+|opt:\w+|env:\w+|aws:region)(\s*,\s*'[^']*')?$/
    const unsupported = [...stringsIn(config)].flatMap(([at, text]) =>
      [...text.matchAll(/\$\{([^}]*)\}/g)]
        .filter(([, expression]) => !supported.test(expression ?? ''))
        .map(([variable]) => `${at}: ${variable}`),
    )

    assert.deepEqual(unsupported, [])
  })

  it('throttles the REST stage per method from the stage params, tighter on the two routes that create data', () => {
    const throttle = (ResourcePath: string, HttpMethod: string, prefix: string) => ({
      ResourcePath,
      HttpMethod,
      ThrottlingRateLimit: `\${param:${prefix}RateLimit}`,
      ThrottlingBurstLimit: `\${param:${prefix}BurstLimit}`,
    })
    const createRoutes = Object.keys(functions).flatMap((name) =>
      httpEventsOf(name)
        .filter((event) => event.method === 'POST')
        .map((event) => `${event.method} ${event.path}`),
    )

    assert.deepEqual(config.plugins, [
      'serverless-esbuild',
      'serverless-plugin-canary-deployments',
      './infra/plugins/rest-api-stage.ts',
    ])
    assert.ok(existsSync(new URL('infra/plugins/rest-api-stage.ts', repoRoot)))
    assert.deepEqual(config.custom?.restApiStage, {
      MethodSettings: [
        throttle('/*', '*', 'throttle'),
        throttle('/~1groups', 'POST', 'writeThrottle'),
        throttle('/~1groups~1{groupId}~1images', 'POST', 'writeThrottle'),
      ],
    })
    assert.deepEqual(createRoutes.sort(), ['POST groups', 'POST groups/{groupId}/images'])
  })
})

describe('request body schemas', () => {
  const ajv = new Ajv({ allErrors: true })
  const validGroup = ajv.compile(createGroupRequestSchema)
  const validImage = ajv.compile(createImageRequestSchema)

  it('are draft-04, the only draft API Gateway accepts', () => {
    assert.equal(createGroupRequestSchema.$schema, 'http://json-schema.org/draft-04/schema#')
    assert.equal(createImageRequestSchema.$schema, 'http://json-schema.org/draft-04/schema#')
  })

  it('accept a group with a name and a possibly empty description', () => {
    assert.equal(validGroup({ name: 'Dogs', description: '' }), true)
    assert.equal(validGroup({ name: 'x'.repeat(100), description: 'y'.repeat(1000) }), true)
  })

  it('reject a group without a name, with an over-long field or with an unknown field', () => {
    assert.equal(validGroup({ name: '', description: 'd' }), false)
    assert.equal(validGroup({ description: 'd' }), false)
    assert.equal(validGroup({ name: 'Dogs' }), false)
    assert.equal(validGroup({ name: 'x'.repeat(101), description: '' }), false)
    assert.equal(validGroup({ name: 'Dogs', description: 'y'.repeat(1001) }), false)
    assert.equal(validGroup({ name: 'Dogs', description: '', userId: 'someone-else' }), false)
  })

  it('accept an image with a title, its size, and optional description and image content type', () => {
    assert.equal(validImage({ title: 'Rex', contentLength: 1 }), true)
    assert.equal(
      validImage({ title: 'Rex', description: '', contentType: 'image/webp', contentLength: 10_485_760 }),
      true,
    )
  })

  it('reject an image without a title, with a non-image content type or with an unknown field', () => {
    assert.equal(validImage({ description: 'd', contentLength: 1 }), false)
    assert.equal(validImage({ title: '', contentLength: 1 }), false)
    assert.equal(validImage({ title: 'x'.repeat(201), contentLength: 1 }), false)
    assert.equal(validImage({ title: 'Rex', contentType: 'text/html', contentLength: 1 }), false)
    assert.equal(validImage({ title: 'Rex', imageId: 'chosen-by-client', contentLength: 1 }), false)
  })

  it('reject an image whose size is missing, not a whole number, or outside 1..MAX_UPLOAD_BYTES', () => {
    assert.equal(
      createImageRequestSchema.properties.contentLength.maximum,
      Number(environment.MAX_UPLOAD_BYTES),
    )
    for (const contentLength of [undefined, 0, -1, 10_485_761, 1.5, '100', null]) {
      assert.equal(validImage({ title: 'Rex', contentLength }), false, String(contentLength))
    }
  })
})
