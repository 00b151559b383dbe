/** A Lambda proxy integration result turned into an HTTP answer; null when its shape is malformed (502). */
export interface HttpAnswer {
  status: number
  headers: Record<string, string | string[]>
  body: Buffer
}

export function answerFromProxyResult(value: unknown): HttpAnswer | null {
  if (typeof value !== 'object' || value === null) return null
  const result = value as Record<string, unknown>
  const status = result.statusCode === undefined ? 200 : Number(result.statusCode)
  if (!Number.isInteger(status) || status < 100 || status > 599) return null
  const headers: Record<string, string | string[]> = {}
  if (result.multiValueHeaders !== undefined && result.multiValueHeaders !== null) {
    if (typeof result.multiValueHeaders !== 'object') return null
    for (const [name, values] of Object.entries(result.multiValueHeaders)) {
      if (!Array.isArray(values)) return null
      headers[name.toLowerCase()] = values.map(String)
    }
  }
  if (result.headers !== undefined && result.headers !== null) {
    if (typeof result.headers !== 'object') return null
    for (const [name, value] of Object.entries(result.headers)) {
      if (typeof value === 'object' && value !== null) return null
      headers[name.toLowerCase()] = String(value)
    }
  }
  const body = result.body
  if (body !== undefined && body !== null && typeof body !== 'string') return null
  const text = body ?? ''
  return {
    status,
    headers,
    body: result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
  }
}
