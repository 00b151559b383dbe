import type { LocalFunctionDefinition } from '../serverless/service-definition.ts'

export interface RouteCors {
  origin: string
  headers: string[]
  allowCredentials: boolean
}

export interface RouteAuthorizer {
  functionName: string
  /** The request header holding the token (from `method.request.header.X`). */
  identityHeader: string
  resultTtlSeconds: number
  identityValidationExpression: RegExp | undefined
}

export interface RestRoute {
  method: string
  /** API Gateway resource path, e.g. `/groups/{groupId}`. */
  resourcePath: string
  segments: string[]
  functionName: string
  authorizer: RouteAuthorizer | undefined
  /** The JSON Schema of `application/json` bodies, when the route validates bodies. */
  bodySchema: object | undefined
  cors: RouteCors | undefined
}

interface HttpEventShape {
  method: string
  path: string
  cors?: boolean | { origin?: string; origins?: string[]; headers?: string[]; allowCredentials?: boolean }
  authorizer?:
    | string
    | {
        name?: string
        resultTtlInSeconds?: number
        identitySource?: string
        identityValidationExpression?: string
        type?: string
      }
  request?: { schemas?: Record<string, unknown> }
}

const DEFAULT_CORS_HEADERS = [
  'Content-Type',
  'X-Amz-Date',
  'Authorization',
  'X-Api-Key',
  'X-Amz-Security-Token',
  'X-Amz-User-Agent',
]

/** The REST API's routes, read from the `http` events of serverless.ts: one registration, there. */
export function restRoutesFrom(functions: Map<string, LocalFunctionDefinition>): RestRoute[] {
  const routes: RestRoute[] = []
  for (const definition of functions.values()) {
    for (const event of definition.events) {
      if (!('http' in event) || event.http === undefined) continue
      const http = (
        typeof event.http === 'string' ? parseShorthand(event.http) : event.http
      ) as HttpEventShape
      const resourcePath = `/${http.path.replace(/^\/+|\/+$/g, '')}`
      routes.push({
        method: http.method.toUpperCase(),
        resourcePath,
        segments: resourcePath.split('/').filter(Boolean),
        functionName: definition.name,
        authorizer: authorizerOf(http, functions),
        bodySchema: bodySchemaOf(http),
        cors: corsOf(http),
      })
    }
  }
  return routes
}

function parseShorthand(text: string): HttpEventShape {
  const [method = 'GET', path = '/'] = text.trim().split(/\s+/)
  return { method, path }
}

function authorizerOf(
  http: HttpEventShape,
  functions: Map<string, LocalFunctionDefinition>,
): RouteAuthorizer | undefined {
  if (http.authorizer === undefined) return undefined
  const spec = typeof http.authorizer === 'string' ? { name: http.authorizer } : http.authorizer
  const functionName = spec.name
  if (functionName === undefined || !functions.has(functionName)) {
    throw new Error(
      `serverless.ts: http ${http.method} ${http.path} names authorizer ${functionName}, which is not a function here`,
    )
  }
  if (spec.type !== undefined && spec.type.toUpperCase() !== 'TOKEN') {
    throw new Error(
      `serverless.ts: the local cloud runs TOKEN authorizers only (${functionName} is ${spec.type})`,
    )
  }
  const source = spec.identitySource ?? 'method.request.header.Authorization'
  const header = /^method\.request\.header\.(.+)$/.exec(source)?.[1]
  if (header === undefined) throw new Error(`serverless.ts: unsupported identitySource ${source}`)
  return {
    functionName,
    identityHeader: header.toLowerCase(),
    resultTtlSeconds: spec.resultTtlInSeconds ?? 300,
    identityValidationExpression: spec.identityValidationExpression
      ? new RegExp(spec.identityValidationExpression)
      : undefined,
  }
}

function bodySchemaOf(http: HttpEventShape): object | undefined {
  const entry = http.request?.schemas?.['application/json']
  if (entry === undefined || entry === null) return undefined
  if (typeof entry === 'object' && 'schema' in entry) return (entry as { schema: object }).schema
  if (typeof entry === 'object') return entry
  throw new Error(`serverless.ts: ${http.method} ${http.path}: request schemas must be objects locally`)
}

function corsOf(http: HttpEventShape): RouteCors | undefined {
  if (http.cors === undefined || http.cors === false) return undefined
  if (http.cors === true) return { origin: '*', headers: DEFAULT_CORS_HEADERS, allowCredentials: false }
  return {
    origin: http.cors.origin ?? http.cors.origins?.join(',') ?? '*',
    headers: http.cors.headers ?? DEFAULT_CORS_HEADERS,
    allowCredentials: http.cors.allowCredentials ?? false,
  }
}

export interface RouteMatch {
  route: RestRoute
  pathParameters: Record<string, string> | null
}

export type RouteLookup =
  | { kind: 'found'; match: RouteMatch }
  | { kind: 'method-not-allowed'; allowed: string[]; routes: RestRoute[] }
  | { kind: 'not-found' }

/** Finds the route as API Gateway does: literal segments win over `{param}`, `{proxy+}` takes the rest. */
export class RestRouter {
  readonly #routes: RestRoute[]

  constructor(routes: RestRoute[]) {
    // Most specific first: more literal segments, then fewer greedy ones.
    this.#routes = [...routes].sort((a, b) => specificity(b) - specificity(a))
  }

  lookup(method: string, segments: string[]): RouteLookup {
    const onPath: RouteMatch[] = []
    for (const route of this.#routes) {
      const pathParameters = matchSegments(route.segments, segments)
      if (pathParameters === undefined) continue
      if (onPath.length > 0 && onPath[0]?.route.resourcePath !== route.resourcePath) continue
      onPath.push({ route, pathParameters })
    }
    if (onPath.length === 0) return { kind: 'not-found' }
    const exact = onPath.find((m) => m.route.method === method || m.route.method === 'ANY')
    if (exact !== undefined) return { kind: 'found', match: exact }
    return {
      kind: 'method-not-allowed',
      allowed: onPath.map((m) => m.route.method),
      routes: onPath.map((m) => m.route),
    }
  }
}

function specificity(route: RestRoute): number {
  let score = 0
  for (const [index, segment] of route.segments.entries()) {
    const weight = 1000 ** (10 - Math.min(index, 9))
    if (segment.endsWith('+}')) continue
    score += segment.startsWith('{') ? weight / 2 : weight
  }
  return score
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null | undefined {
  let parameters: Record<string, string> | null = null
  for (let index = 0; index < pattern.length; index++) {
    const expected = pattern[index] as string
    if (expected.startsWith('{') && expected.endsWith('+}')) {
      if (index >= actual.length) return undefined
      parameters = { ...(parameters ?? {}), [expected.slice(1, -2)]: actual.slice(index).join('/') }
      return parameters
    }
    const segment = actual[index]
    if (segment === undefined) return undefined
    if (expected.startsWith('{') && expected.endsWith('}')) {
      parameters = { ...(parameters ?? {}), [expected.slice(1, -1)]: segment }
    } else if (expected !== segment) {
      return undefined
    }
  }
  return pattern.length === actual.length ? parameters : undefined
}
