import type { IncomingMessage } from 'node:http'

const EMPTY = Buffer.alloc(0)

/** The whole request body, or undefined once it passes `maxBytes` (the rest is drained, not kept). */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const declared = request.headers['content-length']
  if (declared === '0' || (declared === undefined && request.headers['transfer-encoding'] === undefined)) {
    return Promise.resolve(EMPTY)
  }
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.resolve(undefined)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        request.removeAllListeners('data')
        request.resume()
        resolve(undefined)
        return
      }
      chunks.push(chunk)
    })
    request.once('end', () => {
      if (chunks.length === 0) resolve(EMPTY)
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks))
    })
    request.once('error', reject)
  })
}
