import type { IncomingMessage } from 'node:http'

/** The parts of an HTTP request API Gateway passes to functions, shared by the REST and WebSocket APIs. */

/**
 * Names come from the client, so they are collected in Maps: on a plain object a header or parameter
 * called `constructor` or `__proto__` would read or replace Object.prototype's members.
 */
export function headersOf(request: IncomingMessage): {
  headers: Record<string, string>
  multiValueHeaders: Record<string, string[]>
} {
  const multi = new Map<string, string[]>()
  const raw = request.rawHeaders
  for (let index = 0; index < raw.length; index += 2) {
    appendTo(multi, raw[index] as string, raw[index + 1] as string)
  }
  return {
    headers: Object.fromEntries([...multi].map(([name, values]) => [name, values.join(',')])),
    multiValueHeaders: Object.fromEntries(multi),
  }
}

/** null when there is no query, as API Gateway sends it. */
export function queryOf(query: URLSearchParams): {
  single: Record<string, string> | null
  multi: Record<string, string[]> | null
} {
  if (query.size === 0) return { single: null, multi: null }
  const multi = new Map<string, string[]>()
  for (const [key, value] of query) appendTo(multi, key, value)
  return {
    // API Gateway keeps the last value of a repeated parameter in queryStringParameters.
    single: Object.fromEntries([...multi].map(([key, values]) => [key, values.at(-1) as string])),
    multi: Object.fromEntries(multi),
  }
}

function appendTo(map: Map<string, string[]>, key: string, value: string): void {
  const values = map.get(key)
  if (values === undefined) map.set(key, [value])
  else values.push(value)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `25/Nov/2026:08:41:26 +0000`, API Gateway's requestTime format. */
export function requestTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
}
