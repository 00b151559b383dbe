import { createHash, type Hash } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { S3Error } from './s3-errors.ts'

/**
 * The flexible checksums S3 accepts in `x-amz-checksum-*` headers or aws-chunked trailers.
 * CRC64NVME is refused rather than stored unverified: node has no implementation of it and the
 * SDK only uses it when asked to.
 */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256'

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'SHA1', 'SHA256']

export interface ObjectChecksum {
  algorithm: ChecksumAlgorithm
  /** Base64, as S3 sends it. */
  value: string
}

export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`
}

export function algorithmOfChecksumHeader(name: string): ChecksumAlgorithm | undefined {
  return CHECKSUM_ALGORITHMS.find((algorithm) => checksumHeaderName(algorithm) === name)
}

export function refuseUnsupportedChecksum(name: string): void {
  if (name === 'x-amz-checksum-crc64nvme') {
    throw new S3Error(
      'NotImplemented',
      'The local S3 does not verify CRC64NVME checksums; use CRC32, CRC32C, SHA1 or SHA256.',
      { details: { Header: name } },
    )
  }
}

/** A running checksum over the body as it streams in. */
export interface RunningChecksum {
  readonly algorithm: ChecksumAlgorithm
  update(data: Buffer): void
  digestBase64(): string
}

export function createRunningChecksum(algorithm: ChecksumAlgorithm): RunningChecksum {
  switch (algorithm) {
    case 'CRC32':
      return crcChecksum(algorithm, (data, previous) => crc32(data, previous))
    case 'CRC32C':
      return crcChecksum(algorithm, crc32c)
    case 'SHA1':
      return hashChecksum(algorithm, createHash('sha1'))
    case 'SHA256':
      return hashChecksum(algorithm, createHash('sha256'))
  }
}

function crcChecksum(
  algorithm: ChecksumAlgorithm,
  step: (data: Buffer, previous: number) => number,
): RunningChecksum {
  let value = 0
  return {
    algorithm,
    update: (data) => {
      value = step(data, value)
    },
    digestBase64: () => {
      const bytes = Buffer.alloc(4)
      bytes.writeUInt32BE(value >>> 0)
      return bytes.toString('base64')
    },
  }
}

function hashChecksum(algorithm: ChecksumAlgorithm, hash: Hash): RunningChecksum {
  return {
    algorithm,
    update: (data) => {
      hash.update(data)
    },
    digestBase64: () => hash.digest('base64'),
  }
}

const CRC32C_TABLE = buildCrcTable(0x82f63b78)

/** CRC-32C (Castagnoli), reflected, as S3 computes it; continues from `previous`. */
export function crc32c(data: Buffer, previous = 0): number {
  let crc = ~previous >>> 0
  for (const byte of data) {
    crc = ((CRC32C_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)) >>> 0
  }
  return ~crc >>> 0
}

function buildCrcTable(reversedPolynomial: number): Uint32Array {
  const table = new Uint32Array(256)
  for (let index = 0; index < 256; index++) {
    let crc = index
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ reversedPolynomial : crc >>> 1
    }
    table[index] = crc >>> 0
  }
  return table
}
