import { mkdir, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import { GatewayResponses } from './apigateway/gateway-responses.ts'
import { stageThrottlingOf } from './apigateway/method-settings.ts'
import { RequestValidator } from './apigateway/request-validator.ts'
import { RestGateway } from './apigateway/rest-gateway.ts'
import { RestRouter, restRoutesFrom } from './apigateway/rest-routes.ts'
import { RestThrottle } from './apigateway/throttle.ts'
import { TokenAuthorizer } from './apigateway/token-authorizer.ts'
import { startLocalWebSocketApi } from './apigateway/websocket/local-websocket-api.ts'
import { distributionDefinitions } from './cloudfront/distribution-definitions.ts'
import { distributionUrlVariables } from './cloudfront/distribution-urls.ts'
import { startLocalCdn } from './cloudfront/local-cdn.ts'
import { type ConsoleServer, startConsoleServer } from './console/console-server.ts'
import { InvocationRecorder } from './console/invocation-recorder.ts'
import { observedDeadLetters } from './console/observed-dead-letters.ts'
import { type EarlyBackends, startEarlyBackends } from './early-backends.ts'
import { startAsyncEventSources } from './events/async-event-sources.ts'
import { stderrEventLogger } from './events/event-logger.ts'
import { closeServer, listen } from './http/http-server.ts'
import { loadOrCreateSigningKey } from './identity/dev-signing-key.ts'
import {
  DEFAULT_REDIRECT_URIS,
  IDENTITY_PATH,
  LocalIdentity,
  type OidcClientSettings,
} from './identity/local-identity.ts'
import { DiskDeadLetterStore, MemoryDeadLetterStore } from './lambda/async/dead-letter-store.ts'
import type { FunctionInvoker } from './lambda/invocation.ts'
import { LocalLambda } from './lambda/local-lambda.ts'
import { type LocalS3, startLocalS3 } from './s3/local-s3.ts'
import { prepareLocalFleet } from './schedules/local-fleet.ts'
import { startScheduleEventSources } from './schedules/schedule-event-sources.ts'
import { type LocalSearchEngine, startLocalSearchEngine } from './search/local-search-engine.ts'
import { type LocalSecretsManager, startLocalSecretsManager } from './secretsmanager/local-secrets-manager.ts'
import { secretDefinitions } from './secretsmanager/secret-definitions.ts'
import { bucketDefinitions } from './serverless/bucket-definitions.ts'
import { loadServiceDefinition, type ServiceDefinition } from './serverless/service-definition.ts'
import { startStreamEventSources } from './streams/stream-event-sources.ts'
import { type LocalWebAppOptions, startLocalWebApp } from './web/local-web-app.ts'

export interface LocalCloudOptions {
  projectRoot: string
  /** Holds the data (unless inMemory), the identity key and endpoints.json. */
  dataDir: string
  inMemory: boolean
  /**
   * REST API port; S3, the WebSocket API, the web app and the CDN take the next four. 0: free ports
   * for all.
   */
  port: number
  stage?: string
  /** Extra `--param` values for serverless.ts. */
  params?: Record<string, string>
  /** Backends already started by the caller (see early-backends.ts); started here otherwise. */
  backends?: EarlyBackends
  /** Where the local identity may send the web app back after sign-in; its defaults when absent. */
  redirectUris?: readonly string[]
  /** Serves the web app (on the port after the WebSocket API's) with its callback added to redirectUris. */
  web?: LocalWebAppOptions | false
  /**
   * Records every invocation and serves the operator console on 127.0.0.1 (REST port + 5, or a free
   * port when `port` is 0). Off unless asked for: `npm start` asks.
   */
  console?: boolean
}

export interface LocalCloudEndpoints {
  rest: string
  s3: string
  /** The WebSocket API: `wscat -c "<websocket>?token=..."`. */
  websocket: string
  jwks: string
  /** Whom the authorizers trust, and how they check signatures (`secretId` in HS256 mode). */
  auth: { issuer: string; audience: string; algorithm: string; secretId?: string }
  /** The local OpenID provider and its client for the web app (authorization code + PKCE). */
  oidc: OidcClientSettings
  dynamodb: string
  /** The embedded search engine the search functions use; absent when serverless.ts has none. */
  search?: string
  /** The local Secrets Manager, when serverless.ts declares secrets (`aws --endpoint-url`). */
  secretsManager?: string
  /** The web app, when the local cloud serves it. */
  web?: string
  /** The operator console, when the local cloud records invocations. */
  console?: string
}

export interface LocalCloud {
  endpoints: LocalCloudEndpoints
  identity: LocalIdentity
  /** Resolves once the search index holds every image of the table (at once without a search engine). */
  searchReady: Promise<unknown>
  stop(): Promise<void>
}

const HOST = '127.0.0.1'
const ACCOUNT_ID = '000000000000'
/** The one key pair the local S3 accepts; functions get it as their role credentials. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'LOCALUDAGRAMKEY', secretAccessKey: 'local-udagram-secret' }

/** Starts the local cloud: DynamoDB, S3, identity, Lambda and the API Gateway edge, wired from serverless.ts. */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  await mkdir(options.dataDir, { recursive: true })
  const { dynamodb: dynamoDbStarting, tableCreator } =
    options.backends ??
    startEarlyBackends({ dataDir: options.dataDir, inMemory: options.inMemory, host: HOST })
  const stage = options.stage ?? 'dev'
  const region = 'us-east-1'

  let handle: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' })
    response.end(JSON.stringify({ message: 'The local cloud is starting' }))
  }
  const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => handle(request, response))
  const started = await Promise.allSettled([
    listen(server, options.port, HOST),
    dynamoDbStarting,
    loadOrCreateSigningKey(options.dataDir),
  ] as const)
  const [listening, dynamoDbStarted, keyLoaded] = started
  if (
    listening.status === 'rejected' ||
    dynamoDbStarted.status === 'rejected' ||
    keyLoaded.status === 'rejected'
  ) {
    await Promise.allSettled([
      tableCreator.cancel(),
      closeServer(server),
      dynamoDbStarted.status === 'fulfilled' ? dynamoDbStarted.value.close() : undefined,
    ])
    throw started.find((outcome) => outcome.status === 'rejected')?.reason
  }
  const port = listening.value
  const dynamodb = dynamoDbStarted.value
  const signingKey = keyLoaded.value
  let s3: LocalS3 | undefined
  const stoppables: Array<{ close(): Promise<void> }> = []
  const stopOnFailure = async (error: unknown): Promise<never> => {
    await Promise.allSettled([
      dynamodb.close(),
      closeServer(server),
      tableCreator.cancel(),
      s3?.close(),
      ...stoppables.map((service) => service.close()),
    ])
    throw error
  }

  try {
    const rest = `http://${HOST}:${port}/${stage}`
    const issuer = `http://${HOST}:${port}${IDENTITY_PATH}`
    const jwksUrl = new URL('.well-known/jwks.json', issuer).href
    const definition = await loadServiceDefinition({
      projectRoot: options.projectRoot,
      stage,
      region,
      // The authorizer trusts the local identity unless told to trust another issuer (an Auth0 tenant, say).
      params: {
        ...(options.params?.authIssuer ? {} : { authIssuer: issuer, authJwksUrl: jwksUrl }),
        ...options.params,
      },
    })
    const routes = restRoutesFrom(definition.functions)
    const authorizerName = routes.find((route) => route.authorizer !== undefined)?.authorizer?.functionName
    const authorizerEnvironment = authorizerName
      ? definition.functions.get(authorizerName)?.environment
      : undefined
    const audience = authorizerEnvironment?.AUTH_AUDIENCE ?? 'https://udagram-api'
    // The engine's thread boots while S3 starts and the tables are made; it rebuilds once they exist.
    const searchStarting = startSearchEngineFor(definition, {
      endpoint: dynamodb.endpoint,
      region,
      credentials: LOCAL_CREDENTIALS,
    })
    searchStarting.catch(() => {})
    const buckets = bucketDefinitions(definition.resources)
    s3 = await startLocalS3({
      host: HOST,
      port: options.port === 0 ? 0 : port + 1,
      storage: options.inMemory ? { kind: 'memory' } : { kind: 'disk', dir: join(options.dataDir, 's3') },
      buckets,
      credentials: LOCAL_CREDENTIALS,
      region,
    })
    await tableCreator.create({
      endpoint: dynamodb.endpoint,
      region,
      credentials: LOCAL_CREDENTIALS,
      resources: definition.resources as Parameters<typeof tableCreator.create>[0]['resources'],
    })

    const localS3 = s3
    // The private buckets' distributions; images keep their URLs, so the port stays fixed under npm start.
    const distributions = distributionDefinitions(definition.resources, buckets)
    const cdn = await startLocalCdn({
      host: HOST,
      port: options.port === 0 ? 0 : port + 4,
      distributions,
      s3: localS3,
    })
    stoppables.push(cdn)
    const secretsManager = await startSecretsManagerFor(definition, options.dataDir, region)
    if (secretsManager !== undefined) stoppables.push(secretsManager)
    const tokenSigning = tokenSigningOf(authorizerEnvironment, secretsManager)
    const search = await searchStarting
    if (search !== undefined) {
      stoppables.push(search)
      search.rebuildFromTables()
    }
    // The WebSocket API invokes functions whose environment needs its own address: bound late.
    let lambda: LocalLambda | undefined
    const invoker: FunctionInvoker = {
      invoke: (name, event) => {
        if (lambda === undefined) throw new Error('the local Lambda service is not ready')
        return lambda.invoke(name, event)
      },
    }
    const websocketApi = await startLocalWebSocketApi({
      host: HOST,
      port: options.port === 0 ? 0 : port + 2,
      stage,
      region,
      accountId: ACCOUNT_ID,
      apiId: 'local-ws',
      functions: definition.functions,
      routeSelectionExpression: definition.config.provider.websocketsApiRouteSelectionExpression,
      invoker,
    })
    stoppables.push(websocketApi)
    const web = options.web
      ? await startLocalWebApp({ ...options.web, host: HOST, port: options.port === 0 ? 0 : port + 3 })
      : undefined
    if (web !== undefined) stoppables.push(web)
    const recorder = options.console ? new InvocationRecorder() : undefined
    if (recorder !== undefined) localS3.onObjectCreated((event) => recorder.objectCreated(event))
    const functions = new LocalLambda({
      functions: definition.functions,
      region,
      accountId: ACCOUNT_ID,
      ...(recorder && { observer: recorder }),
      runtimeEnvironment: {
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
        AWS_ENDPOINT_URL_S3: localS3.url,
        S3_FORCE_PATH_STYLE: 'true',
        // On AWS this is the deployed WebSocket API's URL, a CloudFormation function in serverless.ts.
        WEBSOCKET_MANAGEMENT_ENDPOINT: websocketApi.managementEndpoint,
        // On AWS, the distributions' domains; here, the local CDN's paths for them.
        ...distributionUrlVariables(
          definition.config.provider.environment ?? {},
          cdn.urlOf,
          distributions.map((distribution) => distribution.logicalId),
        ),
        // On AWS, the OpenSearch domain's endpoint; here, the embedded engine.
        ...(search && { SEARCH_ENGINE: 'local', SEARCH_ENDPOINT: search.endpoint }),
        ...(secretsManager && { AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint }),
        // On AWS, EC2; here, the pretend fleet in <data folder>/chaos-fleet.json.
        ...(await prepareLocalFleet(options.dataDir)),
      },
    })
    lambda = functions

    const dataDir = options.inMemory ? undefined : options.dataDir
    const deadLetterStore =
      dataDir === undefined ? new MemoryDeadLetterStore() : new DiskDeadLetterStore(dataDir)
    const deadLetters =
      recorder === undefined ? deadLetterStore : observedDeadLetters(deadLetterStore, recorder)
    const eventSources = startAsyncEventSources({
      definition,
      functions,
      s3: localS3,
      deadLetters,
      region,
      accountId: ACCOUNT_ID,
    })
    stoppables.push({ close: () => eventSources.stop() })
    const scheduleSources = startScheduleEventSources({
      definition,
      functions,
      deadLetters,
      accountId: ACCOUNT_ID,
    })
    stoppables.push({ close: () => scheduleSources.stop() })
    const streamSources = await startStreamEventSources({
      definition,
      functions,
      source: dynamodb.streams,
      deadLetters,
      dataDir,
    })
    const gateway = new RestGateway({
      router: new RestRouter(routes),
      lambda: functions,
      authorizer: new TokenAuthorizer(functions),
      validator: new RequestValidator(),
      responses: new GatewayResponses(definition.resources),
      api: { apiId: 'local', accountId: ACCOUNT_ID, stage, region },
      // The stage's MethodSettings, as the deployed stage gets them (infra/plugins/rest-api-stage.ts).
      throttle: new RestThrottle({ routes, settings: stageThrottlingOf(definition.config) }),
    })

    let operatorConsole: ConsoleServer | undefined
    if (recorder !== undefined) {
      operatorConsole = await startConsoleServer({
        host: HOST,
        port: options.port === 0 ? 0 : port + 5,
        recorder,
        deadLetters,
        replay: (id) => eventSources.replay(id),
      })
      stoppables.push(operatorConsole)
    }

    let identityStarting: Promise<LocalIdentity> | undefined
    handle = (request, response) => {
      if (request.url?.startsWith(IDENTITY_PATH) && identityStarting !== undefined) {
        void identityStarting.then(
          (identity) => {
            if (!identity.handle(request, response)) void gateway.handle(request, response)
          },
          () => gateway.handle(request, response),
        )
        return
      }
      if (request.url?.startsWith('/_local/') && eventSources.handleAdmin(request, response)) return
      void gateway.handle(request, response)
    }
    // oidc-provider takes ~350 ms of this thread to load: it loads once the API is served, and sign-in
    // requests that come earlier wait for it.
    identityStarting = LocalIdentity.start({
      issuer,
      audience,
      key: signingKey,
      dataDir: options.dataDir,
      inMemory: options.inMemory,
      ...(tokenSigning.sharedSecret !== undefined && { sharedSecret: tokenSigning.sharedSecret }),
      ...((options.redirectUris || web) && {
        redirectUris: [...(options.redirectUris ?? DEFAULT_REDIRECT_URIS), ...(web ? [web.callbackUrl] : [])],
      }),
    })
    identityStarting.catch(() => {})
    const identity = await identityStarting

    const endpoints: LocalCloudEndpoints = {
      rest,
      s3: localS3.url,
      websocket: websocketApi.url,
      jwks: jwksUrl,
      auth: { issuer: authorizerEnvironment?.AUTH_ISSUER ?? issuer, audience, ...tokenSigning.auth },
      oidc: identity.oidc,
      dynamodb: dynamodb.endpoint,
      ...(search && { search: search.endpoint }),
      ...(secretsManager && { secretsManager: secretsManager.endpoint }),
      ...(web && { web: web.url }),
      ...(operatorConsole && { console: operatorConsole.url }),
    }
    web?.configure(
      { api: rest, websocket: websocketApi.url, oidc: identity.oidc },
      {
        images: cdn.origin,
        thumbnails: cdn.origin,
        api: new URL(rest).origin,
        websocket: new URL(websocketApi.url).origin,
        uploads: localS3.url,
        issuer: identity.oidc.issuer,
      },
    )
    await writeFile(join(options.dataDir, 'endpoints.json'), `${JSON.stringify(endpoints, null, 2)}\n`)

    let stopping: Promise<void> | undefined
    return {
      endpoints,
      identity,
      searchReady: search?.rebuilt ?? Promise.resolve(),
      stop: () => {
        stopping ??= (async () => {
          // Stop taking requests, let those in flight finish, then close the services they use.
          const closed = closeServer(server)
          await web?.close()
          await websocketApi.close()
          await eventSources.stop()
          await scheduleSources.stop()
          await streamSources.stop()
          await functions.stop()
          await operatorConsole?.close()
          await closed
          await Promise.all([
            localS3.close(),
            search?.close(),
            secretsManager?.close(),
            cdn.close(),
            dynamodb.close(),
            identity.close(),
          ])
        })()
        return stopping
      },
    }
  } catch (error) {
    return stopOnFailure(error)
  }
}

/**
 * The embedded search engine, when serverless.ts has functions that search (SEARCH_ENGINE in their
 * environment): it rebuilds from the tables those functions name.
 */
async function startSearchEngineFor(
  definition: ServiceDefinition,
  dynamodb: { endpoint: string; region: string; credentials: typeof LOCAL_CREDENTIALS },
): Promise<LocalSearchEngine | undefined> {
  const environment = [...definition.functions.values()].find(
    (fn) => fn.environment.SEARCH_ENGINE !== undefined,
  )?.environment
  if (environment === undefined) return undefined
  const { IMAGES_TABLE, GROUPS_TABLE, GROUPS_BY_TIME_INDEX } = environment
  if (IMAGES_TABLE === undefined || GROUPS_TABLE === undefined || GROUPS_BY_TIME_INDEX === undefined) {
    throw new Error(
      'serverless.ts: the search functions need IMAGES_TABLE, GROUPS_TABLE and GROUPS_BY_TIME_INDEX',
    )
  }
  return startLocalSearchEngine(
    {
      host: HOST,
      port: 0,
      dynamodb,
      imagesTable: IMAGES_TABLE,
      groupsTable: GROUPS_TABLE,
      groupsByTimeIndex: GROUPS_BY_TIME_INDEX,
    },
    stderrEventLogger('search'),
  )
}

/** The local Secrets Manager, serving the secrets serverless.ts declares on this stage (if any). */
async function startSecretsManagerFor(
  definition: ServiceDefinition,
  dataDir: string,
  region: string,
): Promise<LocalSecretsManager | undefined> {
  const secrets = secretDefinitions(definition.resources)
  if (secrets.length === 0) return undefined
  return startLocalSecretsManager({
    host: HOST,
    port: 0,
    secrets,
    dataDir,
    region,
    accountId: ACCOUNT_ID,
    credentials: LOCAL_CREDENTIALS,
  })
}

/**
 * How the authorizers check tokens, and so how the local identity must sign them: in HS256 mode with
 * the secret the authorizers read from the local Secrets Manager.
 */
function tokenSigningOf(
  authorizerEnvironment: Record<string, string> | undefined,
  secretsManager: LocalSecretsManager | undefined,
): { auth: { algorithm: string; secretId?: string }; sharedSecret?: string } {
  const algorithm = authorizerEnvironment?.AUTH_ALGORITHM ?? 'RS256'
  if (algorithm !== 'HS256') return { auth: { algorithm } }
  const secretId = authorizerEnvironment?.AUTH_SECRET_ID ?? ''
  const sharedSecret = secretsManager?.valueOf(secretId)
  if (sharedSecret === undefined) {
    throw new Error(
      `HS256 mode: serverless.ts declares no secret named "${secretId}" (AUTH_SECRET_ID) on this stage`,
    )
  }
  return { auth: { algorithm, secretId }, sharedSecret }
}
