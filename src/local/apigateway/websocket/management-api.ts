import { isUtf8 } from 'node:buffer'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readBody } from '../../http/read-body.ts'
import { type Connection, type ConnectionRegistry, newGatewayId } from './connection-registry.ts'

/** API Gateway's limit on a PostToConnection payload, the same as on a client's message. */
const MAX_POST_BYTES = 128 * 1024

/**
 * A SigV4 Authorization header in form. Signatures are not verified here, unlike the local S3: API
 * Gateway checks them against IAM, which the local cloud does not model, and the SDK always signs.
 */
const SIGV4_AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=[^/\s]+\/\d{8}\/[^/\s]+\/execute-api\/aws4_request,\s*SignedHeaders=[a-z0-9;-]+,\s*Signature=[0-9a-f]{64}$/

type ErrorType =
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'GoneException'
  | 'PayloadTooLargeException'
  | 'NotFoundException'
  | 'MethodNotAllowedException'

export interface ManagementApiOptions {
  stage: string
  registry: ConnectionRegistry
  /** Closes a connection for DeleteConnection; `$disconnect` follows as for any close. */
  disconnect(connection: Connection): void
}

/**
 * The API Gateway Management API under `/<stage>/@connections/{connectionId}`: PostToConnection,
 * GetConnection and DeleteConnection, answered as the `ApiGatewayManagementApiClient` expects.
 */
export class ManagementApi {
  readonly #options: ManagementApiOptions

  constructor(options: ManagementApiOptions) {
    this.#options = options
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = newGatewayId()
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { ...headers, 'x-amzn-RequestId': requestId })
      response.end(body)
    }
    const fail = (
      status: number,
      type: ErrorType,
      message: string | null,
      headers: Record<string, string> = {},
    ) => {
      request.resume()
      send(status, JSON.stringify({ message }), {
        'content-type': 'application/json',
        'x-amzn-ErrorType': type,
        ...headers,
      })
    }

    const path = (request.url ?? '/').split('?')[0] as string
    const connectionId = connectionIdIn(path, this.#options.stage)
    if (connectionId === undefined) return fail(404, 'NotFoundException', 'Not Found')
    const authorization = request.headers.authorization
    if (authorization === undefined) {
      return fail(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token')
    }
    if (!SIGV4_AUTHORIZATION.test(authorization)) {
      return fail(
        403,
        'IncompleteSignatureException',
        'Authorization header is not a well-formed SigV4 signature',
      )
    }
    const method = request.method ?? 'GET'
    if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') {
      return fail(405, 'MethodNotAllowedException', 'Method Not Allowed', { allow: 'POST, GET, DELETE' })
    }

    if (method === 'POST') {
      const body = await readBody(request, MAX_POST_BYTES)
      if (body === undefined) return fail(413, 'PayloadTooLargeException', 'Request Entity Too Large')
      const connection = this.#openConnection(connectionId)
      if (connection === undefined) return fail(410, 'GoneException', null)
      // API Gateway sends the data as a text frame; bytes that are not UTF-8 go as binary rather than
      // as a text frame the client would reject.
      connection.send(body, !isUtf8(body))
      return send(200, '')
    }
    request.resume()
    const connection = this.#openConnection(connectionId)
    if (connection === undefined) return fail(410, 'GoneException', null)
    if (method === 'GET') {
      return send(200, JSON.stringify(connectionInfo(connection)), { 'content-type': 'application/json' })
    }
    this.#options.disconnect(connection)
    return send(204, '')
  }

  #openConnection(connectionId: string): Connection | undefined {
    const connection = this.#options.registry.get(connectionId)
    return connection?.open ? connection : undefined
  }
}

/** GetConnection's answer, in the wire's camelCase (the SDK maps it to `ConnectedAt`, `Identity`...). */
function connectionInfo(connection: Connection) {
  const { connectedAt, sourceIp, userAgent } = connection.origin
  return {
    connectedAt: new Date(connectedAt).toISOString(),
    identity: { sourceIp, ...(userAgent !== undefined && { userAgent }) },
    lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
  }
}

/** `/<stage>/@connections/<id>`, the id decoded (the SDK encodes `=` as `%3D`), or undefined. */
function connectionIdIn(path: string, stage: string): string | undefined {
  const segments = path.split('/')
  if (segments.length !== 4 || segments[0] !== '') return undefined
  try {
    const [, first, second, third] = segments.map(decodeURIComponent)
    if (first !== stage || second !== '@connections' || third === undefined || third.length === 0)
      return undefined
    return third
  } catch {
    return undefined
  }
}
