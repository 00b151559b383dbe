import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
}

/** Vite names what it emits under assets/ by content hash, so a name never changes content: cached for good. */
const HASHED_ASSET = /^\/assets\//
const IMMUTABLE = 'public, max-age=31536000, immutable'
/** index.html names the current assets: revalidated on every load, so a new build is picked up at once. */
const REVALIDATE = 'no-cache'

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
}

/**
 * Answers a GET or HEAD for `pathname` from `root`: the file when there is one, index.html for paths
 * without an extension (routes of the single-page app), 404 otherwise.
 */
export async function serveStatic(
  root: string,
  pathname: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const file = await resolveFile(root, pathname)
  if (file === undefined) {
    response.writeHead(404, { 'content-type': 'text/plain', ...SECURITY_HEADERS })
    response.end('Not Found')
    return
  }
  const immutable = HASHED_ASSET.test(pathname) && file.path !== join(root, 'index.html')
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file.path)] ?? 'application/octet-stream',
    'content-length': file.size,
    'cache-control': immutable ? IMMUTABLE : REVALIDATE,
    ...SECURITY_HEADERS,
  })
  if (request.method === 'HEAD') {
    response.end()
    return
  }
  await pipeline(createReadStream(file.path), response)
}

async function resolveFile(
  root: string,
  pathname: string,
): Promise<{ path: string; size: number } | undefined> {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '')
  const candidate = join(root, relative)
  // `normalize` resolves `..`; whatever still points outside the root is refused.
  if (decoded.includes('\0') || (candidate !== root && !candidate.startsWith(`${root}${sep}`)))
    return undefined
  const found = await fileAt(candidate)
  if (found !== undefined) return found
  if (extname(relative) !== '') return undefined
  return fileAt(join(root, 'index.html'))
}

async function fileAt(path: string): Promise<{ path: string; size: number } | undefined> {
  try {
    const stats = await stat(path)
    if (stats.isFile()) return { path, size: stats.size }
    if (stats.isDirectory()) return fileAt(join(path, 'index.html'))
    return undefined
  } catch {
    return undefined
  }
}
