import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { type ContentSources, contentSecurityPolicyParts } from '../../../infra/resources/website-csp.ts'
import { closeServer, listen } from '../http/http-server.ts'
import { buildIfStale } from './build-if-stale.ts'
import { serveStatic } from './static-files.ts'
import { type WebAppConfig, webAppConfig } from './web-app-config.ts'

export interface LocalWebAppOptions {
  /** The built app: Vite's output folder. */
  distDir: string
  /** The app's sources: when given, the app is built into distDir first if missing or older than them. */
  sourceDir?: string
}

export interface LocalWebApp {
  /** e.g. http://127.0.0.1:3003 */
  url: string
  /** Where the identity provider sends the browser back after sign-in. */
  callbackUrl: string
  /** Settles once the app is built (or found fresh); requests that come earlier wait for it. */
  ready: Promise<void>
  /**
   * The endpoints `/config.json` gives the app (until then it answers 503), and the origins its
   * Content-Security-Policy allows, the policy CloudFront sends on AWS.
   */
  configure(endpoints: Parameters<typeof webAppConfig>[0], contentSources: ContentSources<string>): void
  close(): Promise<void>
}

/**
 * Serves the web app as CloudFront serves it on AWS: static files from the build, index.html for any
 * other path (the app routes in the browser), and `/config.json` with this cloud's endpoints, so the
 * build that ships is the build that runs here.
 */
export async function startLocalWebApp(
  options: LocalWebAppOptions & { host: string; port: number },
): Promise<LocalWebApp> {
  let config: WebAppConfig | undefined
  let contentSecurityPolicy: string | undefined
  const ready =
    options.sourceDir === undefined
      ? Promise.resolve()
      : buildIfStale({ sourceDir: options.sourceDir, distDir: options.distDir })
  ready.catch((error: unknown) => console.error('udagram: the web app did not build:', error))

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (contentSecurityPolicy !== undefined)
      response.setHeader('content-security-policy', contentSecurityPolicy)
    const pathname = new URL(request.url ?? '/', 'http://local').pathname
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' })
      response.end('Method Not Allowed')
      return
    }
    if (pathname === '/config.json') {
      if (config === undefined) {
        response.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' })
        response.end('The local cloud is starting')
        return
      }
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      response.end(request.method === 'HEAD' ? undefined : JSON.stringify(config))
      return
    }
    try {
      await ready
    } catch {
      response.writeHead(500, { 'content-type': 'text/plain' })
      response.end('The web app did not build; see the local cloud output.')
      return
    }
    await serveStatic(options.distDir, pathname, request, response)
  }
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('udagram: the web app server failed:', error)
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' })
      response.end()
    })
  })
  const port = await listen(server, options.port, options.host)
  const url = `http://${options.host}:${port}`
  return {
    url,
    callbackUrl: `${url}/callback`,
    ready,
    configure: (endpoints, contentSources) => {
      config = webAppConfig(endpoints, { origin: url })
      contentSecurityPolicy = contentSecurityPolicyParts(contentSources).join('')
    },
    close: () => closeServer(server),
  }
}
