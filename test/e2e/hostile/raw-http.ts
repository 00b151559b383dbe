import assert from 'node:assert/strict'
import { Agent, type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http'

/**
 * Requests sent byte for byte as written: unlike `fetch`, `node:http` keeps `..`, `//` and odd
 * percent-encodings in the path and lets a test choose header names and repeats.
 */
export interface RawRequest {
  method: string
  /** Absolute URL of the server (`http://127.0.0.1:port`), without a path. */
  origin: string
  /** Sent as is: `/dev/groups/..%2F..`. */
  path: string
  headers?: OutgoingHttpHeaders
  body?: string | Buffer
}

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** One keep-alive pool per test file; `maxSockets` bounds how many requests are on the wire at once. */
export function rawClient(maxSockets: number): {
  send(raw: RawRequest): Promise<RawResponse>
  close(): void
} {
  const agent = new Agent({ keepAlive: true, maxSockets })
  return {
    send: (raw) =>
      new Promise((resolve, reject) => {
        const url = new URL(raw.origin)
        // Node frames a GET/DELETE/OPTIONS body with neither Content-Length nor chunking unless told.
        const framing =
          raw.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(raw.body)) }
        const outgoing = request(
          {
            agent,
            host: url.hostname,
            port: url.port,
            method: raw.method,
            path: raw.path,
            headers: { ...framing, ...raw.headers },
          },
          (incoming) => {
            const chunks: Buffer[] = []
            incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
            incoming.once('error', reject)
            incoming.once('end', () =>
              resolve({
                status: incoming.statusCode ?? 0,
                headers: incoming.headers,
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            )
          },
        )
        outgoing.once('error', reject)
        outgoing.end(raw.body)
      }),
    close: () => agent.destroy(),
  }
}

/** The origin (`http://host:port`) and stage path (`/dev`) of the REST endpoint `http://host:port/dev`. */
export function splitRest(rest: string): { origin: string; stagePath: string } {
  const url = new URL(rest)
  return { origin: url.origin, stagePath: url.pathname.replace(/\/$/, '') }
}

/** Every error the API answers is JSON `{"message": string}` and nothing else. */
export function assertErrorBody(response: RawResponse, context: string): void {
  let parsed: unknown
  try {
    parsed = JSON.parse(response.body)
  } catch {
    assert.fail(
      `${context}: ${response.status} body is not JSON: ${JSON.stringify(response.body.slice(0, 200))}`,
    )
  }
  assert.ok(
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed),
    `${context}: error body is not an object`,
  )
  assert.deepEqual(Object.keys(parsed), ['message'], `${context}: error body has other fields`)
  assert.equal(
    typeof (parsed as { message: unknown }).message,
    'string',
    `${context}: message is not a string`,
  )
}

/** The CORS headers the DEFAULT_4XX/5XX gateway responses and the handlers' middleware both add. */
export function assertCors(headers: IncomingHttpHeaders | Headers, context: string): void {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name])
  assert.ok(get('access-control-allow-origin'), `${context}: no Access-Control-Allow-Origin`)
  assert.equal(
    get('access-control-allow-credentials'),
    'true',
    `${context}: no Access-Control-Allow-Credentials`,
  )
}

/** Every item of a listing, read page by page through `nextKey` as a client would. */
export async function listAll<T>(rest: string, path: string): Promise<T[]> {
  const items: T[] = []
  let nextKey: string | undefined
  for (let pages = 0; pages < 1000; pages++) {
    const query = new URLSearchParams({ limit: '100', ...(nextKey === undefined ? {} : { nextKey }) })
    const response = await fetch(`${rest}${path}?${query}`)
    assert.equal(response.status, 200, `listing ${path}`)
    const page = (await response.json()) as { items: T[]; nextKey?: string }
    items.push(...page.items)
    nextKey = page.nextKey
    if (nextKey === undefined) return items
  }
  throw new Error(`listing ${path} did not end after 1000 pages`)
}
