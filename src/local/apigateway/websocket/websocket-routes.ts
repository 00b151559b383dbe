import type { LocalFunctionDefinition } from '../../serverless/service-definition.ts'

/** Where a REQUEST authorizer's identity comes from: one header or one query string parameter. */
export type IdentitySource = { kind: 'header'; name: string } | { kind: 'querystring'; name: string }

export interface WebSocketAuthorizer {
  functionName: string
  /** All must be present, or API Gateway answers 401 without invoking the authorizer. */
  identitySources: IdentitySource[]
}

export interface WebSocketRoute {
  routeKey: string
  functionName: string
  /** `routeResponseSelectionExpression: $default`: the function's `body` goes back on the socket. */
  returnsResponse: boolean
  /** Only on `$connect`, as API Gateway allows. */
  authorizer: WebSocketAuthorizer | undefined
}

interface WebSocketEventShape {
  route: string
  routeResponseSelectionExpression?: string
  authorizer?: string | { name?: string; arn?: unknown; identitySource?: string | string[] }
}

/** osls's default when an authorizer names no identity source. */
const DEFAULT_IDENTITY_SOURCE = 'route.request.header.Auth'

/** The WebSocket API's routes, read from the `websocket` events of serverless.ts. */
export function websocketRoutesFrom(functions: Map<string, LocalFunctionDefinition>): WebSocketRoute[] {
  const routes = new Map<string, WebSocketRoute>()
  for (const definition of functions.values()) {
    for (const event of definition.events) {
      if (!('websocket' in event) || event.websocket === undefined) continue
      const spec: WebSocketEventShape =
        typeof event.websocket === 'string' ? { route: event.websocket } : event.websocket
      const routeKey = spec.route
      const existing = routes.get(routeKey)
      if (existing !== undefined) {
        throw new Error(
          `serverless.ts: websocket route ${routeKey} is on both ${existing.functionName} and ${definition.name}`,
        )
      }
      routes.set(routeKey, {
        routeKey,
        functionName: definition.name,
        returnsResponse: returnsResponse(spec),
        authorizer: authorizerOf(spec, functions),
      })
    }
  }
  return [...routes.values()]
}

function returnsResponse(spec: WebSocketEventShape): boolean {
  const expression = spec.routeResponseSelectionExpression
  if (expression === undefined) return false
  if (expression !== '$default') {
    throw new Error(
      `serverless.ts: websocket route ${spec.route}: routeResponseSelectionExpression must be $default (is ${expression})`,
    )
  }
  return true
}

function authorizerOf(
  spec: WebSocketEventShape,
  functions: Map<string, LocalFunctionDefinition>,
): WebSocketAuthorizer | undefined {
  if (spec.authorizer === undefined) return undefined
  if (spec.route !== '$connect') {
    throw new Error(`serverless.ts: websocket route ${spec.route} has an authorizer; only $connect can`)
  }
  const authorizer = typeof spec.authorizer === 'string' ? { name: spec.authorizer } : spec.authorizer
  const functionName = authorizer.name
  if (
    functionName === undefined ||
    functionName.includes(':') ||
    authorizer.arn !== undefined ||
    !functions.has(functionName)
  ) {
    throw new Error(
      `serverless.ts: the $connect authorizer must name a function of this service (got ${functionName ?? 'an ARN'})`,
    )
  }
  const sources = authorizer.identitySource ?? [DEFAULT_IDENTITY_SOURCE]
  const list = typeof sources === 'string' ? sources.split(',') : sources
  return { functionName, identitySources: list.map((source) => identitySourceOf(source.trim())) }
}

function identitySourceOf(source: string): IdentitySource {
  const header = /^route\.request\.header\.(.+)$/.exec(source)?.[1]
  if (header !== undefined) return { kind: 'header', name: header.toLowerCase() }
  const query = /^route\.request\.querystring\.(.+)$/.exec(source)?.[1]
  if (query !== undefined) return { kind: 'querystring', name: query }
  throw new Error(
    `serverless.ts: websocket identitySource ${source} is not supported locally (route.request.header.X or route.request.querystring.X)`,
  )
}

/** The routes by key, and the custom route (or `$default`) a message goes to. */
export class WebSocketRouteTable {
  readonly #routes: Map<string, WebSocketRoute>

  constructor(routes: WebSocketRoute[]) {
    this.#routes = new Map(routes.map((route) => [route.routeKey, route]))
  }

  get connect(): WebSocketRoute | undefined {
    return this.#routes.get('$connect')
  }

  get disconnect(): WebSocketRoute | undefined {
    return this.#routes.get('$disconnect')
  }

  /** The route for a message whose selection expression evaluated to `routeKey`; `$default` otherwise. */
  forMessage(routeKey: string | undefined): WebSocketRoute | undefined {
    const custom = routeKey === undefined || isReserved(routeKey) ? undefined : this.#routes.get(routeKey)
    return custom ?? this.#routes.get('$default')
  }
}

function isReserved(routeKey: string): boolean {
  return routeKey === '$connect' || routeKey === '$disconnect' || routeKey === '$default'
}
