import { createHash, type Hash } from 'node:crypto'
import {
  algorithmOfChecksumHeader,
  type ChecksumAlgorithm,
  checksumHeaderName,
  createRunningChecksum,
  type ObjectChecksum,
  type RunningChecksum,
  refuseUnsupportedChecksum,
} from './checksums.ts'
import { S3Error } from './s3-errors.ts'
import type { PayloadVerification } from './sigv4-verifier.ts'

interface ExpectedChecksum {
  algorithm: ChecksumAlgorithm
  /** Undefined until the aws-chunked trailer carrying it has been read. */
  headerValue: string | undefined
}

/**
 * Everything an upload's bytes are checked against while they stream in: the signed SHA-256
 * payload hash, `Content-MD5`, and flexible checksums sent as headers or aws-chunked trailers.
 */
export class UploadIntegrity {
  readonly #md5 = createHash('md5')
  readonly #sha256: Hash | undefined
  readonly #expectedSha256: string | undefined
  readonly #contentMd5: string | undefined
  readonly #expected: ExpectedChecksum[]
  readonly #running: RunningChecksum[]

  private constructor(
    payload: PayloadVerification,
    contentMd5: string | undefined,
    expected: ExpectedChecksum[],
  ) {
    this.#expectedSha256 = payload.kind === 'sha256' ? payload.expectedHex : undefined
    this.#sha256 = this.#expectedSha256 === undefined ? undefined : createHash('sha256')
    this.#contentMd5 = contentMd5
    this.#expected = expected
    this.#running = expected.map((checksum) => createRunningChecksum(checksum.algorithm))
  }

  /** Reads what to check from the request headers; refuses what cannot be checked. */
  static fromHeaders(headers: ReadonlyMap<string, string>, payload: PayloadVerification): UploadIntegrity {
    const contentMd5 = headers.get('content-md5')
    if (contentMd5 !== undefined && Buffer.from(contentMd5, 'base64').length !== 16) {
      throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', {
        details: { 'Content-MD5': contentMd5 },
      })
    }
    const expected: ExpectedChecksum[] = []
    for (const [name, value] of headers) {
      if (!name.startsWith('x-amz-checksum-')) continue
      refuseUnsupportedChecksum(name)
      const algorithm = algorithmOfChecksumHeader(name)
      if (algorithm !== undefined) expected.push({ algorithm, headerValue: value })
    }
    const trailerNames = (headers.get('x-amz-trailer') ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== '')
    if (trailerNames.length > 0 && payload.kind !== 'aws-chunked') {
      throw new S3Error('InvalidRequest', 'x-amz-trailer requires an aws-chunked (STREAMING-*) payload.')
    }
    for (const name of trailerNames) {
      refuseUnsupportedChecksum(name)
      const algorithm = algorithmOfChecksumHeader(name)
      if (algorithm !== undefined && !expected.some((checksum) => checksum.algorithm === algorithm)) {
        expected.push({ algorithm, headerValue: undefined })
      }
    }
    return new UploadIntegrity(payload, contentMd5, expected)
  }

  update(data: Buffer): void {
    this.#md5.update(data)
    this.#sha256?.update(data)
    for (const checksum of this.#running) checksum.update(data)
  }

  /**
   * Checks the received bytes; returns the ETag (MD5 hex) and the verified checksum to store.
   * `trailers` holds what the aws-chunked decoder read after the last chunk.
   */
  verify(trailers: ReadonlyMap<string, string>): { md5Hex: string; checksum: ObjectChecksum | undefined } {
    const md5 = this.#md5.digest()
    if (this.#sha256 !== undefined && this.#expectedSha256 !== undefined) {
      const computed = this.#sha256.digest('hex')
      if (computed !== this.#expectedSha256) {
        throw new S3Error(
          'XAmzContentSHA256Mismatch',
          "The provided 'x-amz-content-sha256' header does not match what was computed.",
          {
            details: { ClientComputedContentSHA256: this.#expectedSha256, S3ComputedContentSHA256: computed },
          },
        )
      }
    }
    if (this.#contentMd5 !== undefined && md5.toString('base64') !== this.#contentMd5) {
      throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', {
        details: { ExpectedDigest: this.#contentMd5, CalculatedDigest: md5.toString('base64') },
      })
    }
    const verified: ObjectChecksum[] = this.#expected.map((expected, index) => {
      const name = checksumHeaderName(expected.algorithm)
      const provided = expected.headerValue ?? trailers.get(name)
      if (provided === undefined) {
        throw new S3Error('InvalidRequest', `The trailer ${name} declared in x-amz-trailer was not sent.`)
      }
      const computed = this.#running[index]?.digestBase64()
      if (computed !== provided) {
        throw new S3Error(
          'BadDigest',
          `The ${expected.algorithm} you specified did not match the calculated checksum.`,
          {
            details: { ExpectedChecksum: provided, CalculatedChecksum: computed ?? '' },
          },
        )
      }
      return { algorithm: expected.algorithm, value: provided }
    })
    return { md5Hex: md5.toString('hex'), checksum: verified[0] }
  }
}
