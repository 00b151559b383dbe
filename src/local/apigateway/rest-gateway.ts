import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readBody } from '../http/read-body.ts'
import type { FunctionInvoker, InvocationOutcome } from '../lambda/invocation.ts'
import type { GatewayAnswer, GatewayResponses, GatewayResponseType } from './gateway-responses.ts'
import { type ApiIdentity, type ParsedRequest, proxyEvent } from './proxy-event.ts'
import { answerFromProxyResult, type HttpAnswer } from './proxy-response.ts'
import type { RequestValidator } from './request-validator.ts'
import type { RestRoute, RestRouter } from './rest-routes.ts'
import type { RestThrottle } from './throttle.ts'
import type { TokenAuthorizer } from './token-authorizer.ts'

/** API Gateway's hard limits for REST APIs. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
const INTEGRATION_TIMEOUT_MS = 29_000
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH'])

export interface RestGatewayOptions {
  router: RestRouter
  lambda: FunctionInvoker
  authorizer: TokenAuthorizer
  validator: RequestValidator
  responses: GatewayResponses
  api: ApiIdentity & { region: string }
  /** The stage's throttling, checked before the authorizer and the function; none: never throttled. */
  throttle?: RestThrottle
  /** API Gateway gives up on an integration after 29 s; tests shorten it. */
  integrationTimeoutMs?: number
}

/**
 * The REST API edge: routing, throttling, CORS preflight, TOKEN authorizer, body validation, Lambda
 * proxy integration.
 */
export class RestGateway {
  readonly #options: RestGatewayOptions

  constructor(options: RestGatewayOptions) {
    this.#options = options
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID()
    let answer: GatewayAnswer | HttpAnswer
    try {
      answer = await this.#answer(request, requestId)
    } catch (error) {
      console.error('[local apigateway] unexpected failure', error)
      answer = this.#options.responses.answer('INTEGRATION_FAILURE')
    }
    response.writeHead(answer.status, { ...answer.headers, 'x-amzn-requestid': requestId })
    response.end(answer.body)
  }

  async #answer(request: IncomingMessage, requestId: string): Promise<GatewayAnswer | HttpAnswer> {
    const { api, responses, router, throttle } = this.#options
    const method = (request.method ?? 'GET').toUpperCase()
    const rawUrl = request.url ?? '/'
    const queryAt = rawUrl.indexOf('?')
    const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt)
    const segments = decodeSegments(path)
    if (segments === undefined || segments[0] !== api.stage) return responses.answer('RESOURCE_NOT_FOUND')
    const resourceSegments = segments.slice(1)

    const lookup = router.lookup(method, resourceSegments)
    if (method === 'OPTIONS' && lookup.kind === 'method-not-allowed') {
      const preflight = preflightAnswer(lookup.routes, lookup.allowed)
      if (preflight !== undefined) {
        const resourcePath = lookup.routes[0]?.resourcePath ?? ''
        return throttle?.admitPreflight(resourcePath) === false ? responses.answer('THROTTLED') : preflight
      }
    }
    if (lookup.kind === 'not-found') return responses.answer('RESOURCE_NOT_FOUND')
    if (lookup.kind === 'method-not-allowed') {
      return responses.answer('METHOD_NOT_ALLOWED', { allow: [...lookup.allowed, 'OPTIONS'].join(', ') })
    }
    const { route, pathParameters } = lookup.match
    if (throttle !== undefined && !throttle.admit(route)) return responses.answer('THROTTLED')

    const body = await readBody(request, MAX_PAYLOAD_BYTES)
    if (body === undefined) return responses.answer('REQUEST_TOO_LARGE')

    const requestPath = `/${resourceSegments.join('/')}`
    const methodArn = `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${api.stage}/${method}${requestPath}`
    let authorizerContext: Record<string, unknown> | null = null
    if (route.authorizer !== undefined) {
      const header = request.headers[route.authorizer.identityHeader]
      const token = Array.isArray(header) ? header[0] : header
      const decision = await this.#options.authorizer.authorize(route.authorizer, token, methodArn)
      if (decision.kind !== 'allow') return responses.answer(decisionResponse(decision.kind))
      authorizerContext = decision.context
    }

    if (route.bodySchema !== undefined && METHODS_WITH_BODY.has(method)) {
      if (!this.#options.validator.validBody(route.bodySchema, body.toString('utf8'))) {
        return responses.answer('BAD_REQUEST_BODY')
      }
    }

    const parsed: ParsedRequest = {
      method,
      path,
      query: new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1)),
      body,
      requestId,
      receivedAt: new Date(),
    }
    const event = proxyEvent({ request, parsed, route, pathParameters, authorizer: authorizerContext, api })
    const outcome = await this.#invokeWithin(route, event)
    if (outcome === 'integration-timeout') return responses.answer('INTEGRATION_TIMEOUT')
    if (outcome.kind !== 'ok') {
      logFailure(route, outcome)
      return responses.answer('INTEGRATION_FAILURE')
    }
    const answer = answerFromProxyResult(outcome.value)
    if (answer === null) {
      console.error(`[local apigateway] ${route.functionName} returned a malformed proxy response`)
      return responses.answer('INTEGRATION_FAILURE')
    }
    return answer
  }

  async #invokeWithin(route: RestRoute, event: unknown): Promise<InvocationOutcome | 'integration-timeout'> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<'integration-timeout'>((resolve) => {
      timer = setTimeout(
        () => resolve('integration-timeout'),
        this.#options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS,
      )
    })
    try {
      return await Promise.race([this.#options.lambda.invoke(route.functionName, event), timeout])
    } finally {
      clearTimeout(timer)
    }
  }
}

function decisionResponse(kind: 'unauthorized' | 'denied' | 'failed'): GatewayResponseType {
  if (kind === 'unauthorized') return 'UNAUTHORIZED'
  if (kind === 'denied') return 'ACCESS_DENIED'
  return 'AUTHORIZER_CONFIGURATION_ERROR'
}

/** The MOCK integration osls generates for `cors:` on an http event. */
function preflightAnswer(routes: RestRoute[], methods: string[]): GatewayAnswer | undefined {
  const cors = routes.find((route) => route.cors !== undefined)?.cors
  if (cors === undefined) return undefined
  const headers: Record<string, string> = {
    'access-control-allow-origin': cors.origin,
    'access-control-allow-headers': cors.headers.join(','),
    'access-control-allow-methods': [...new Set([...methods, 'OPTIONS'])].join(','),
  }
  if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true'
  return { status: 200, headers, body: '' }
}

function decodeSegments(path: string): string[] | undefined {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    return undefined
  }
}

function logFailure(route: RestRoute, outcome: Exclude<InvocationOutcome, { kind: 'ok' }>): void {
  const detail =
    outcome.kind === 'timeout'
      ? `Task timed out after ${outcome.timeoutSeconds} seconds`
      : `${outcome.kind === 'error' ? outcome.errorType : 'Runtime crash'}: ${outcome.errorMessage}`
  console.error(`[local lambda] ${route.functionName} failed: ${detail}`)
}
