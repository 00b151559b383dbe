import { escapeXml, XML_DECLARATION } from './xml.ts'

/** The S3 error codes this server answers with, each with the HTTP status S3 uses for it. */
const STATUS_BY_CODE = {
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  BadDigest: 400,
  CORSResponse: 403,
  EntityTooLarge: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidDigest: 400,
  InvalidRange: 416,
  InvalidRequest: 400,
  InvalidURI: 400,
  KeyTooLongError: 400,
  MetadataTooLarge: 400,
  MethodNotAllowed: 405,
  MissingContentLength: 411,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NotImplemented: 501,
  PreconditionFailed: 412,
  RequestTimeTooSkewed: 403,
  SignatureDoesNotMatch: 403,
  XAmzContentSHA256Mismatch: 400,
} as const satisfies Record<string, number>

export type S3ErrorCode = keyof typeof STATUS_BY_CODE

/**
 * An error S3 would answer with: a stable `code`, the status S3 pairs with it, and the extra
 * elements S3 adds to the XML body (for example `StringToSign` on `SignatureDoesNotMatch`).
 */
export class S3Error extends Error {
  override readonly name = 'S3Error'
  readonly code: S3ErrorCode
  readonly status: number
  readonly details: Readonly<Record<string, string>>
  /** Response headers S3 sends with this error, e.g. `Content-Range` on `InvalidRange`. */
  readonly headers: Readonly<Record<string, string>>

  constructor(
    code: S3ErrorCode,
    message: string,
    options: { details?: Record<string, string>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause })
    this.code = code
    this.status = STATUS_BY_CODE[code]
    this.details = options.details ?? {}
    this.headers = options.headers ?? {}
  }
}

export function renderErrorXml(error: S3Error, requestId: string): string {
  const details = Object.entries(error.details)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('')
  return (
    `${XML_DECLARATION}\n<Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message>` +
    `${details}<RequestId>${requestId}</RequestId></Error>`
  )
}
