import type { IncomingMessage, ServerResponse } from 'node:http'
import { AsyncInvocationError, type AsyncInvoker } from './async-invoker.ts'
import type { DeadLetterStore } from './dead-letter-store.ts'

/** At the origin of the REST port, outside every stage, so no route of serverless.ts can shadow it. */
export const DEAD_LETTERS_PATH = '/_local/dead-letters'

const REPLAY = /^\/_local\/dead-letters\/([^/]+)\/replay$/

/**
 * The local cloud's dead-letter endpoints, for `npm run dlq`:
 * - `GET /_local/dead-letters`: 200 `{"items": [deadLetter]}`, oldest failure first;
 * - `POST /_local/dead-letters/<id>/replay`: 202 `{"id", "eventId"}`, 404 for an unknown id, 409 when
 *   the function is gone from serverless.ts, 503 while stopping.
 *
 * Requests that carry an `Origin` header (that is, from a web page) are refused with 403.
 * Returns false for any other path, so the caller passes the request on.
 */
export function deadLetterAdmin(
  asyncInvoker: Pick<AsyncInvoker, 'replay'>,
  store: DeadLetterStore,
): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    const path = new URL(request.url ?? '/', 'http://local').pathname
    if (path !== DEAD_LETTERS_PATH && !path.startsWith(`${DEAD_LETTERS_PATH}/`)) return false
    request.resume()
    // Browsers send Origin with every cross-origin POST (and a form or fetch from any page on this
    // machine could reach loopback); `npm run dlq` and curl do not. So no web page can replay an event.
    if (request.headers.origin !== undefined) {
      send(response, 403, { message: 'the dead-letter endpoints are for npm run dlq, not for web pages' })
      return true
    }
    answer(request, response, path, asyncInvoker, store).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { message: `dead letters: ${errorMessage(error)}` })
      else response.destroy()
    })
    return true
  }
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  asyncInvoker: Pick<AsyncInvoker, 'replay'>,
  store: DeadLetterStore,
): Promise<void> {
  if (path === DEAD_LETTERS_PATH || path === `${DEAD_LETTERS_PATH}/`) {
    if (request.method !== 'GET') return send(response, 405, { message: 'Method not allowed' }, 'GET')
    return send(response, 200, { items: await store.list() })
  }
  const replay = REPLAY.exec(path)
  if (replay === null) return send(response, 404, { message: 'Not found' })
  if (request.method !== 'POST') return send(response, 405, { message: 'Method not allowed' }, 'POST')
  // Ids are letters, digits and dashes: nothing to decode.
  const id = replay[1] ?? ''
  try {
    const accepted = await asyncInvoker.replay(id)
    if (accepted === undefined) return send(response, 404, { message: `no dead letter ${id}` })
    return send(response, 202, { id, eventId: accepted.eventId })
  } catch (error) {
    if (!(error instanceof AsyncInvocationError)) throw error
    return send(response, error.code === 'Stopping' ? 503 : 409, { message: error.message })
  }
}

function send(response: ServerResponse, status: number, body: unknown, allow?: string): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(allow === undefined ? {} : { allow }),
  })
  response.end(text)
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
