import type { IncomingMessage } from 'node:http'

/** The parts of an HTTP request API Gateway passes to functions, shared by the REST and WebSocket APIs. */

export function headersOf(request: IncomingMessage): {
  headers: Record<string, string>
  multiValueHeaders: Record<string, string[]>
} {
  const headers: Record<string, string> = {}
  const multiValueHeaders: Record<string, string[]> = {}
  const raw = request.rawHeaders
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index] as string
    const value = raw[index + 1] as string
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`
    const values = multiValueHeaders[name]
    if (values === undefined) multiValueHeaders[name] = [value]
    else values.push(value)
  }
  return { headers, multiValueHeaders }
}

/** null when there is no query, as API Gateway sends it. */
export function queryOf(query: URLSearchParams): {
  single: Record<string, string> | null
  multi: Record<string, string[]> | null
} {
  if (query.size === 0) return { single: null, multi: null }
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  for (const [key, value] of query) {
    // API Gateway keeps the last value of a repeated parameter in queryStringParameters.
    single[key] = value
    const values = multi[key]
    if (values === undefined) multi[key] = [value]
    else values.push(value)
  }
  return { single, multi }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `25/Nov/2026:08:41:26 +0000`, API Gateway's requestTime format. */
export function requestTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
}
