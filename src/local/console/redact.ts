/**
 * What the operator console shows of requests, responses and logs, with secrets taken out: values of
 * keys that name credentials (Authorization, token, secret, password, cookie, SecretString…), JWTs
 * anywhere in text, `token` query parameters and presigned URLs' `X-Amz-Signature` and credentials.
 */
export const REDACTED = '[redacted]'

/** Keys whose values are secrets whatever they hold. */
const SECRET_KEY = /authorization|token|secret|password|passwd|cookie|credential|signature|api[-_]?key/i
/** A JWT, or any JWS/JWE compact serialization (`{"` in base64url is `eyJ`), or the start of one. */
const JWT = /eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){0,4}/g
/** `"<secret key>": "<value>"` in JSON text that can no longer be parsed (cut at a cap). */
const SECRET_JSON_VALUE =
  /("[^"]*(?:authorization|token|secret|password|passwd|cookie|credential|signature|api[-_]?key)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"?/gi
/** Query parameters that carry secrets in URLs (WebSocket `?token=`, presigned S3 URLs). */
const SECRET_PARAMETER =
  /([?&](?:token|access_token|id_token|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=)[^&#\s"']*/gi
/** `Bearer <anything>` in free text, as an Authorization header value printed in a log line. */
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/g

export function redactText(text: string): string {
  return text
    .replace(SECRET_JSON_VALUE, `$1"${REDACTED}"`)
    .replace(SECRET_PARAMETER, `$1${REDACTED}`)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(JWT, REDACTED)
}

/** A copy of `value` (JSON-like) with the secrets redacted; cycles and depth past 20 are cut. */
export function redact(value: unknown): unknown {
  return redactValue(value, 0, new WeakSet())
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value)
  if (value === null || typeof value !== 'object') return value
  if (depth > 20 || seen.has(value)) return '[cut]'
  seen.add(value)
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen))
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    copy[key] =
      SECRET_KEY.test(key) && item !== null && item !== undefined && typeof item !== 'boolean'
        ? REDACTED
        : redactValue(item, depth + 1, seen)
  }
  return copy
}
