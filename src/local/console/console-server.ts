import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { closeServer, listen } from '../http/http-server.ts'
import { AsyncInvocationError } from '../lambda/async/async-invoker.ts'
import type { DeadLetterStore } from '../lambda/async/dead-letter-store.ts'
import type { InvocationRecorder } from './invocation-recorder.ts'
import { redact } from './redact.ts'
import { traceOf } from './trace-waterfall.ts'

export interface ConsoleServerOptions {
  /** Always loopback: the console shows what the functions log and lets a click replay events. */
  host: '127.0.0.1'
  port: number
  recorder: InvocationRecorder
  deadLetters: DeadLetterStore
  replay(id: string): Promise<{ eventId: string } | undefined>
}

export interface ConsoleServer {
  url: string
  close(): Promise<void>
}

/** The header the console page sends its per-start token in, for the requests that change things. */
export const CONSOLE_TOKEN_HEADER = 'x-console-token'

const pageDir = new URL('./page/', import.meta.url)
const INVOCATION = /^\/api\/invocations\/(\d+)$/
const TRACE = /^\/api\/traces\/([^/]+)$/
const REPLAY = /^\/api\/dead-letters\/([0-9A-Za-z-]{1,64})\/replay$/

/**
 * The operator console: its page, and the JSON it reads (invocations, traces, dead letters, metrics).
 * Listens on 127.0.0.1 only and answers only requests addressed to that host and port (no DNS
 * rebinding). The one request that changes something, a replay, must carry the token the page was
 * served with (a fresh one per start) and come from the console's own origin.
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const token = randomBytes(24).toString('base64url')
  const [html, script] = await Promise.all([
    readFile(new URL('console.html', pageDir), 'utf8'),
    readFile(new URL('console.js', pageDir), 'utf8'),
  ])
  const page = html.replace('__CONSOLE_TOKEN__', token)
  let origin = ''
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        send(response, 500, { message: error instanceof Error ? error.message : String(error) })
      else response.destroy()
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.headers.host !== new URL(origin).host) return send(response, 421, { message: 'wrong host' })
    const url = new URL(request.url ?? '/', origin)
    const path = url.pathname
    if (request.method === 'POST') {
      request.resume()
      const replay = REPLAY.exec(path)
      if (replay === null) return send(response, 404, { message: 'Not found' })
      if (!sameOrigin(request, origin) || !tokenMatches(request.headers[CONSOLE_TOKEN_HEADER], token)) {
        return send(response, 403, { message: 'replays come from the console page only' })
      }
      return answerReplay(response, replay[1] ?? '')
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(response, 405, { message: 'Method not allowed' })
    }
    if (path === '/' || path === '/index.html') return sendText(response, page, 'text/html; charset=utf-8')
    if (path === '/console.js') return sendText(response, script, 'text/javascript; charset=utf-8')
    if (path === '/api/invocations') {
      const filter = {
        functionName: url.searchParams.get('function') ?? undefined,
        outcome: url.searchParams.get('outcome') ?? undefined,
        correlationId: url.searchParams.get('correlationId') ?? undefined,
      }
      return send(response, 200, { items: options.recorder.list(filter) })
    }
    const invocation = INVOCATION.exec(path)
    if (invocation !== null) {
      const detail = options.recorder.get(invocation[1] ?? '')
      return detail === undefined
        ? send(response, 404, { message: 'no such invocation' })
        : send(response, 200, detail)
    }
    const trace = TRACE.exec(path)
    if (trace !== null) {
      const found = traceOf(options.recorder, decodeURIComponent(trace[1] ?? ''))
      return found === undefined
        ? send(response, 404, { message: 'no invocation logged that id' })
        : send(response, 200, found)
    }
    if (path === '/api/dead-letters') {
      const items = (await options.deadLetters.list()).map((letter) => redact(letter))
      return send(response, 200, { items })
    }
    if (path === '/api/metrics') return send(response, 200, { items: options.recorder.metrics() })
    if (path === '/api/caps') return send(response, 200, options.recorder.caps)
    return send(response, 404, { message: 'Not found' })
  }

  async function answerReplay(response: ServerResponse, id: string): Promise<void> {
    try {
      const accepted = await options.replay(id)
      if (accepted === undefined) return send(response, 404, { message: `no dead letter ${id}` })
      return send(response, 202, { id, eventId: accepted.eventId })
    } catch (error) {
      if (!(error instanceof AsyncInvocationError)) throw error
      return send(response, error.code === 'Stopping' ? 503 : 409, { message: error.message })
    }
  }

  const port = await listen(server, options.port, options.host)
  origin = `http://${options.host}:${port}`
  return { url: `${origin}/`, close: () => closeServer(server) }
}

/** A browser sends Origin with every POST; a page of another origin must not replay anything. */
function sameOrigin(request: IncomingMessage, origin: string): boolean {
  const site = request.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin') return false
  return request.headers.origin === undefined || request.headers.origin === origin
}

function tokenMatches(sent: string | string[] | undefined, token: string): boolean {
  if (typeof sent !== 'string') return false
  const a = Buffer.from(sent)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  response.end(text)
}

function sendText(response: ServerResponse, text: string, contentType: string): void {
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
  })
  response.end(text)
}
