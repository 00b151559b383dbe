import { createHash, type Hash } from 'node:crypto'
import { constantTimeEqual, EMPTY_SHA256, hmacHex } from './canonical-request.ts'
import { S3Error } from './s3-errors.ts'

/**
 * Decoder for S3's `aws-chunked` content encoding, which the AWS SDKs use to stream a body of
 * unknown length with a checksum trailer:
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n
 *   [<trailer-name>:<value>\r\n ...]\r\n
 *
 * The JavaScript SDK omits the final empty line when it sends no trailer, so end of input right
 * after the zero-size chunk is accepted too.
 */

/** What the seed (header) signature hands on to verify each chunk signature in turn. */
export interface ChunkSigningContext {
  signingKey: Buffer
  amzDate: string
  scope: string
  seedSignature: string
}

export interface AwsChunkedOptions {
  /** Present for `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: every chunk must carry a valid signature. */
  chunkSignatures: ChunkSigningContext | undefined
  /** Receives the trailers (lower-case names) once the zero-size chunk has been read. */
  trailers: Map<string, string>
}

const MAX_LINE_BYTES = 4096
const MAX_TRAILERS = 32
const CRLF = '\r\n'

type DecoderState = 'chunk-header' | 'chunk-data' | 'chunk-end' | 'trailer' | 'done'

export async function* decodeAwsChunked(
  source: AsyncIterable<Buffer>,
  options: AwsChunkedOptions,
): AsyncGenerator<Buffer> {
  const chain =
    options.chunkSignatures === undefined ? undefined : new ChunkSignatureChain(options.chunkSignatures)
  let state: DecoderState = 'chunk-header'
  let pending: Buffer = Buffer.alloc(0)
  let remaining = 0
  let chunkSignature: string | undefined

  for await (const piece of source) {
    const buffer = pending.length === 0 ? piece : Buffer.concat([pending, piece])
    pending = Buffer.alloc(0)
    let offset = 0
    while (offset < buffer.length) {
      if (state === 'chunk-data') {
        const take = Math.min(remaining, buffer.length - offset)
        const data = buffer.subarray(offset, offset + take)
        chain?.update(data)
        remaining -= take
        offset += take
        if (remaining === 0) state = 'chunk-end'
        yield data
        continue
      }
      const lineEnd = buffer.indexOf(CRLF, offset, 'latin1')
      if (lineEnd === -1) {
        pending = buffer.subarray(offset)
        if (pending.length > MAX_LINE_BYTES)
          throw malformedChunk('a chunk header or trailer line is too long')
        break
      }
      const line = buffer.toString('latin1', offset, lineEnd)
      offset = lineEnd + CRLF.length
      switch (state) {
        case 'chunk-header': {
          const header = parseChunkHeader(line)
          chunkSignature = header.signature
          if (chain !== undefined && chunkSignature === undefined) throw missingChunkSignature()
          if (header.size === 0) {
            chain?.finishChunk(chunkSignature)
            state = 'trailer'
          } else {
            remaining = header.size
            state = 'chunk-data'
          }
          break
        }
        case 'chunk-end':
          if (line !== '') throw malformedChunk('chunk data is longer than its declared size')
          chain?.finishChunk(chunkSignature)
          state = 'chunk-header'
          break
        case 'trailer':
          if (line === '') {
            state = 'done'
          } else {
            addTrailer(options.trailers, line)
          }
          break
        case 'done':
          if (line !== '') throw malformedChunk('data follows the final chunk')
          break
      }
    }
  }
  const endedAfterFinalChunk = state === 'trailer' && pending.length === 0 && options.trailers.size === 0
  if (state !== 'done' && !endedAfterFinalChunk) {
    throw new S3Error('IncompleteBody', 'The request body terminated unexpectedly')
  }
}

function parseChunkHeader(line: string): { size: number; signature: string | undefined } {
  const [sizeText = '', ...extensions] = line.split(';')
  if (!/^[0-9a-fA-F]{1,12}$/.test(sizeText.trim())) throw malformedChunk(`invalid chunk size "${sizeText}"`)
  let signature: string | undefined
  for (const extension of extensions) {
    const [name, value] = extension.split('=', 2)
    if (name?.trim() === 'chunk-signature') signature = value?.trim()
  }
  return { size: Number.parseInt(sizeText, 16), signature }
}

function addTrailer(trailers: Map<string, string>, line: string): void {
  const separator = line.indexOf(':')
  if (separator <= 0) throw malformedChunk('a trailer line is not "name:value"')
  if (trailers.size >= MAX_TRAILERS) throw malformedChunk('too many trailers')
  trailers.set(line.slice(0, separator).trim().toLowerCase(), line.slice(separator + 1).trim())
}

/**
 * Each chunk signature signs the chunk's SHA-256 and the previous signature, starting from the
 * seed (header) signature, so chunks can be neither altered, dropped nor reordered.
 */
class ChunkSignatureChain {
  readonly #context: ChunkSigningContext
  #previousSignature: string
  #hash: Hash = createHash('sha256')

  constructor(context: ChunkSigningContext) {
    this.#context = context
    this.#previousSignature = context.seedSignature
  }

  update(data: Buffer): void {
    this.#hash.update(data)
  }

  finishChunk(provided: string | undefined): void {
    const stringToSign = [
      'AWS4-HMAC-SHA256-PAYLOAD',
      this.#context.amzDate,
      this.#context.scope,
      this.#previousSignature,
      EMPTY_SHA256,
      this.#hash.digest('hex'),
    ].join('\n')
    const expected = hmacHex(this.#context.signingKey, stringToSign)
    if (provided === undefined || !constantTimeEqual(expected, provided)) {
      throw new S3Error(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        { details: { StringToSign: stringToSign, SignatureProvided: provided ?? '' } },
      )
    }
    this.#previousSignature = expected
    this.#hash = createHash('sha256')
  }
}

function missingChunkSignature(): S3Error {
  return new S3Error(
    'SignatureDoesNotMatch',
    'A chunk of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body has no chunk-signature.',
  )
}

function malformedChunk(reason: string): S3Error {
  return new S3Error('InvalidRequest', `Malformed aws-chunked body: ${reason}.`)
}
