/** One file in a zip archive, as its central directory lists it. */
export interface ZipEntry {
  name: string
  /** Bytes once unzipped. */
  size: number
  /** Bytes stored in the archive. */
  compressedSize: number
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50
const CENTRAL_DIRECTORY_HEADER = 0x02014b50
const END_RECORD_LENGTH = 22
const ZIP64_MARKER = 0xffffffff

/**
 * The entries of a zip archive, read from its central directory (no unzipping, and no `unzip`
 * binary, which slim Debian images lack). Zip64 archives are refused: a Lambda package stays far
 * below their 4 GiB and 65,535-entry thresholds (250 MB unzipped at most).
 */
export function zipEntries(zip: Buffer): ZipEntry[] {
  const end = endOfCentralDirectory(zip)
  const count = zip.readUInt16LE(end + 10)
  let offset = zip.readUInt32LE(end + 16)
  if (count === 0xffff || offset === ZIP64_MARKER) throw new Error('zip64 archives are not supported')
  const entries: ZipEntry[] = []
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_HEADER) {
      throw new Error(`zip: no central directory header at byte ${offset}`)
    }
    const compressedSize = zip.readUInt32LE(offset + 20)
    const size = zip.readUInt32LE(offset + 24)
    const nameLength = zip.readUInt16LE(offset + 28)
    const extraLength = zip.readUInt16LE(offset + 30)
    const commentLength = zip.readUInt16LE(offset + 32)
    if (size === ZIP64_MARKER || compressedSize === ZIP64_MARKER) {
      throw new Error('zip64 archives are not supported')
    }
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength)
    entries.push({ name, size, compressedSize })
    offset += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

/** The end-of-central-directory record sits last, followed only by an archive comment (< 64 KiB). */
function endOfCentralDirectory(zip: Buffer): number {
  const earliest = Math.max(0, zip.length - END_RECORD_LENGTH - 0xffff)
  for (let offset = zip.length - END_RECORD_LENGTH; offset >= earliest; offset--) {
    if (zip.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) return offset
  }
  throw new Error('not a zip archive: no end-of-central-directory record')
}
