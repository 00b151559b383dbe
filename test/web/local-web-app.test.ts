import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { buildIfStale } from '../../src/local/web/build-if-stale.ts'
import { type LocalWebApp, startLocalWebApp } from '../../src/local/web/local-web-app.ts'

let root: string
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'udagram-web-'))
})
after(() => rm(root, { recursive: true, force: true }))

/** A built app as Vite lays it out. */
async function aBuild(dir: string): Promise<void> {
  await mkdir(join(dir, 'assets'), { recursive: true })
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>app</title>')
  await writeFile(join(dir, 'assets/index-abc123.js'), 'console.log(1)')
  await writeFile(join(dir, 'favicon.svg'), '<svg/>')
}

describe('the local web app server', () => {
  let app: LocalWebApp
  before(async () => {
    const distDir = join(root, 'served')
    await aBuild(distDir)
    await writeFile(join(root, 'secret.txt'), 'outside the build')
    app = await startLocalWebApp({ distDir, host: '127.0.0.1', port: 0 })
  })
  after(() => app.close())

  it('serves hashed assets for good and index.html revalidated, for every route of the app', async () => {
    const asset = await fetch(`${app.url}/assets/index-abc123.js`)
    assert.equal(asset.status, 200)
    assert.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8')
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable')
    for (const path of ['/', '/groups/g-1', '/search?q=x', '/callback?code=c&state=s']) {
      const page = await fetch(`${app.url}${path}`)
      assert.equal(page.status, 200, path)
      assert.equal(page.headers.get('cache-control'), 'no-cache', path)
      assert.equal(await page.text(), '<!doctype html><title>app</title>', path)
    }
    assert.equal((await fetch(`${app.url}/favicon.svg`)).headers.get('cache-control'), 'no-cache')
  })

  it('answers 404 for a missing file and refuses paths out of the build', async () => {
    assert.equal((await fetch(`${app.url}/assets/missing.js`)).status, 404)
    for (const path of [
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/%00.js',
    ]) {
      const response = await fetch(`${app.url}${path}`)
      assert.notEqual(await response.text(), 'outside the build', path)
    }
    assert.equal((await fetch(`${app.url}/`, { method: 'POST' })).status, 405)
  })

  it('gives the app its endpoints in /config.json once the local cloud knows them', async () => {
    assert.equal((await fetch(`${app.url}/config.json`)).status, 503)
    app.configure(
      {
        api: 'http://127.0.0.1:3000/dev',
        websocket: 'ws://127.0.0.1:3002/dev',
        oidc: {
          issuer: 'http://127.0.0.1:3000/idp/',
          clientId: 'udagram-web',
          scopes: 'openid profile offline_access',
          audience: 'https://udagram-api',
        },
      },
      {
        images: 'http://127.0.0.1:3004',
        thumbnails: 'http://127.0.0.1:3004',
        api: 'http://127.0.0.1:3000',
        websocket: 'ws://127.0.0.1:3002',
        uploads: 'http://127.0.0.1:3001',
        issuer: 'http://127.0.0.1:3000/idp/',
      },
    )
    const config = await fetch(`${app.url}/config.json`)
    assert.equal(config.headers.get('cache-control'), 'no-store')
    assert.deepEqual(await config.json(), {
      api: 'http://127.0.0.1:3000/dev',
      websocket: 'ws://127.0.0.1:3002/dev',
      oidc: {
        authority: 'http://127.0.0.1:3000/idp/',
        clientId: 'udagram-web',
        redirectUri: `${app.url}/callback`,
        scope: 'openid profile offline_access',
        audience: 'https://udagram-api',
      },
    })
    assert.equal(app.callbackUrl, `${app.url}/callback`)
  })

  it('sends the Content-Security-Policy CloudFront sends, with the local origins', async () => {
    const page = await fetch(`${app.url}/groups/some-group`)
    assert.equal(
      page.headers.get('content-security-policy'),
      "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'; " +
        "frame-ancestors 'none'; img-src 'self' data: blob: http://127.0.0.1:3004 http://127.0.0.1:3004; " +
        "connect-src 'self' http://127.0.0.1:3000 ws://127.0.0.1:3002 http://127.0.0.1:3001 http://127.0.0.1:3000/idp/",
    )
  })
})

describe('building the web app when its sources changed', () => {
  it('builds when there is no build, skips a fresh one, rebuilds after a change', async () => {
    const sourceDir = join(root, 'app')
    const distDir = join(sourceDir, 'dist')
    await mkdir(join(sourceDir, 'src'), { recursive: true })
    await writeFile(join(sourceDir, 'vite.config.ts'), 'export default { logLevel: "silent" }\n')
    await writeFile(
      join(sourceDir, 'index.html'),
      '<!doctype html><script type="module" src="/src/main.ts"></script>',
    )
    await writeFile(join(sourceDir, 'src/main.ts'), 'document.title = "one"\n')

    // What a local cloud stopped in the middle of a build leaves (no process has that id).
    await mkdir(join(sourceDir, '.dist-staging/dist-4194305/assets'), { recursive: true })

    await buildIfStale({ sourceDir, distDir })
    const first = await stat(join(distDir, 'index.html'))

    await buildIfStale({ sourceDir, distDir })
    assert.equal((await stat(join(distDir, 'index.html'))).mtimeMs, first.mtimeMs, 'a fresh build is kept')

    const later = new Date(first.mtimeMs + 5_000)
    await writeFile(join(sourceDir, 'src/main.ts'), 'document.title = "two"\n')
    await utimes(join(sourceDir, 'src/main.ts'), later, later)
    await buildIfStale({ sourceDir, distDir })
    assert.ok((await stat(join(distDir, 'index.html'))).mtimeMs > first.mtimeMs, 'rebuilt')
    await assert.rejects(
      stat(join(sourceDir, '.dist-staging')),
      { code: 'ENOENT' },
      'no staging left, abandoned ones included',
    )
  })
})
