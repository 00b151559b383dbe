/**
 * The local stand-in for the CloudFront distributions in front of the private buckets: one loopback
 * server, each distribution under `/<logical ID>/`, reading objects the way CloudFront's origin
 * access control does (S3 itself checks nothing of the browser's; the bucket policy must name the
 * distribution). Hand-written because no maintained CloudFront emulator runs offline; it does what
 * these distributions are declared to do (GET/HEAD, CORS for any origin) and no caching, which
 * changes nothing a browser can see of objects that never change under a key.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { closeServer, listen } from '../http/http-server.ts'
import type { LocalS3 } from '../s3/local-s3.ts'
import type { DistributionDefinition } from './distribution-definitions.ts'

export interface LocalCdn {
  /** `http://<host>:<port>`: every distribution's objects are under it. */
  origin: string
  /** The base URL browsers use for a distribution's objects (its `https://<domain>` on AWS). */
  urlOf(distributionLogicalId: string): string
  close(): Promise<void>
}

export async function startLocalCdn(options: {
  host: string
  /** 0 picks a free port; the URLs stored with images include it, so npm start keeps it fixed. */
  port: number
  distributions: readonly DistributionDefinition[]
  s3: Pick<LocalS3, 'readForDistribution'>
}): Promise<LocalCdn> {
  const byId = new Map(options.distributions.map((distribution) => [distribution.logicalId, distribution]))
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    // `/<distribution>/<key>`; the query string is not forwarded, as the cache policy does not.
    const path = ((request.url ?? '/').split('?')[0] ?? '/').slice(1)
    const slash = path.indexOf('/')
    const distribution = byId.get(slash === -1 ? path : path.slice(0, slash))
    if (distribution === undefined) {
      answer(response, 404, 'No local distribution serves this path.')
      return
    }
    if (distribution.anyOrigin) response.setHeader('access-control-allow-origin', '*')
    const method = request.method ?? 'GET'
    if (method === 'OPTIONS') {
      response.writeHead(204, { 'access-control-allow-methods': distribution.allowedMethods.join(', ') })
      response.end()
      return
    }
    // CloudFront answers methods outside the behavior's AllowedMethods with 403.
    if (!distribution.allowedMethods.includes(method)) {
      answer(response, 403, `This distribution is not configured to allow the HTTP request method ${method}.`)
      return
    }
    let key: string
    try {
      // `/` is the distribution's default root object, which the buckets never hold.
      key = (slash === -1 ? '' : decodeURIComponent(path.slice(slash + 1))) || 'index.html'
    } catch {
      answer(response, 400, 'The path is not valid percent-encoding.')
      return
    }
    if (!distribution.mayRead) {
      // What S3 answers a distribution the bucket policy does not name, passed on by CloudFront.
      answer(
        response,
        403,
        `The bucket policy of ${distribution.bucketName} does not let ${distribution.logicalId} read.`,
      )
      return
    }
    void options.s3.readForDistribution(distribution.bucketName, key, request, response)
  }
  const server = createServer(handle)
  const port = await listen(server, options.port, options.host)
  const base = `http://${options.host}:${port}`
  return {
    origin: base,
    urlOf: (logicalId) => {
      if (!byId.has(logicalId)) throw new Error(`the local CDN has no distribution ${logicalId}`)
      return `${base}/${logicalId}`
    },
    close: () => closeServer(server),
  }
}

function answer(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
  response.end(`${message}\n`)
}
