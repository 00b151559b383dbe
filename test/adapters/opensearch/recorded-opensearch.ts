import { readFile } from 'node:fs/promises'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: IncomingHttpHeaders
  body: string
}

/** A status and a recorded OpenSearch body: a file of test/fixtures/opensearch, or JSON text. */
export interface Reply {
  status: number
  fixture?: string
  json?: string
}

/**
 * A loopback HTTP server that answers, in order, the replies it is given (recorded OpenSearch 2.x
 * responses) and records every request it gets. A request beyond the script gets a 599 and fails
 * the test that made it. No OpenSearch can run in these tests, so this is the other side of the wire.
 */
export async function recordedOpenSearch() {
  const requests: RecordedRequest[] = []
  const script: Reply[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', async () => {
      const url = new URL(request.url ?? '/', 'http://localhost')
      requests.push({
        method: request.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      })
      const reply = script.shift()
      const body = reply === undefined ? '{"error":"unexpected request"}' : await bodyOf(reply)
      response.writeHead(reply?.status ?? 599, {
        'content-type': 'application/json; charset=UTF-8',
        'content-length': Buffer.byteLength(body),
      })
      response.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Queues the next replies. */
    reply(...replies: Reply[]): void {
      script.push(...replies)
    },
    /** Replies not asked for yet; a test leaves none. */
    get pending(): number {
      return script.length
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function bodyOf(reply: Reply): Promise<string> {
  if (reply.json !== undefined) return reply.json
  const file = new URL(`../../fixtures/opensearch/${reply.fixture}`, import.meta.url)
  return readFile(file, 'utf8')
}

/** A recorded fixture, parsed, for comparing with what the adapter made of it. */
export async function fixture(name: string): Promise<unknown> {
  return JSON.parse(await readFile(new URL(`../../fixtures/opensearch/${name}`, import.meta.url), 'utf8'))
}
