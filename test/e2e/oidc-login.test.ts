import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { type RunningCloud, startTestCloud } from './local-cloud-fixture.ts'

const REDIRECT_URI = 'http://127.0.0.1:5173/callback'

/** The cookies a browser would keep for the local cloud's host (paths ignored: one host, one flow). */
class CookieJar {
  readonly #cookies = new Map<string, string>()

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';')
      const separator = pair.indexOf('=')
      const name = pair.slice(0, separator).trim()
      const value = pair.slice(separator + 1).trim()
      const expired = attributes.some((attribute) => {
        const [key = '', date = ''] = attribute.trim().split('=')
        return key.toLowerCase() === 'expires' && Date.parse(date) <= Date.now()
      })
      if (value === '' || expired) this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
  }
}

interface Pkce {
  verifier: string
  challenge: string
}

function aPkcePair(): Pkce {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

interface Discovery {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  jwks_uri: string
  code_challenge_methods_supported: string[]
  response_types_supported: string[]
}

/** A browser without JavaScript: sends the jar's cookies, keeps the answers' cookies, never follows. */
async function send(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
  })
  jar.store(response)
  return response
}

/** Follows redirects until a page, or until the redirect to the client (where nothing listens). */
async function follow(jar: CookieJar, first: Response, from: string): Promise<{ page?: Response; to?: URL }> {
  let response = first
  let url = from
  for (let hops = 0; hops < 10; hops++) {
    const location = response.headers.get('location')
    if (response.status < 300 || response.status >= 400 || location === null) return { page: response }
    const next = new URL(location, url)
    if (next.href.startsWith(REDIRECT_URI)) return { to: next }
    url = next.href
    response = await send(jar, url)
  }
  throw new Error('too many redirects')
}

function authorizationUrl(
  discovery: Discovery,
  pkce: Pkce | undefined,
  overrides: Record<string, string> = {},
) {
  const url = new URL(discovery.authorization_endpoint)
  const params: Record<string, string> = {
    client_id: 'udagram-web',
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile offline_access',
    state: randomBytes(12).toString('base64url'),
    nonce: randomBytes(12).toString('base64url'),
    ...(pkce && { code_challenge: pkce.challenge, code_challenge_method: 'S256' }),
    ...overrides,
  }
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
  return { url: url.href, state: params.state }
}

function formActionOf(html: string, base: string): string {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]
  assert.ok(action, 'the page has a login form')
  return new URL(action.replaceAll('&amp;', '&'), base).href
}

/** Opens the authorization URL and submits the login form: where the provider sends the browser. */
async function signIn(discovery: Discovery, pkce: Pkce, password = 'udagram', username = 'alice') {
  const jar = new CookieJar()
  const request = authorizationUrl(discovery, pkce)
  const { page } = await follow(jar, await send(jar, request.url), request.url)
  assert.equal(page?.status, 200, 'the authorization request leads to the login page')
  const loginUrl = page?.url || request.url
  const html = (await page?.text()) ?? ''
  const posted = await send(jar, formActionOf(html, loginUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  })
  return { jar, state: request.state, loginHtml: html, ...(await follow(jar, posted, loginUrl)) }
}

async function tokenRequest(discovery: Discovery, params: Record<string, string>): Promise<Response> {
  return fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: 'udagram-web', ...params }).toString(),
  })
}

interface Tokens {
  access_token: string
  refresh_token: string
  id_token: string
  token_type: string
}

/** The whole flow for alice: the tokens the web app would hold. */
async function tokensFor(discovery: Discovery): Promise<Tokens> {
  const pkce = aPkcePair()
  const { to } = await signIn(discovery, pkce)
  const code = to?.searchParams.get('code')
  assert.ok(code, `redirected with a code: ${to?.href}`)
  const response = await tokenRequest(discovery, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: pkce.verifier,
  })
  assert.equal(response.status, 200, await response.clone().text())
  return (await response.json()) as Tokens
}

function createGroup(rest: string, accessToken: string): Promise<Response> {
  return fetch(`${rest}/groups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Signed in', description: 'through the local identity provider' }),
  })
}

async function discover(env: RunningCloud): Promise<Discovery> {
  const response = await fetch(new URL('.well-known/openid-configuration', env.cloud.endpoints.oidc.issuer))
  assert.equal(response.status, 200)
  return (await response.json()) as Discovery
}

describe('signing in with the local OpenID provider (authorization code + PKCE)', () => {
  let env: RunningCloud
  let discovery: Discovery

  before(async () => {
    env = await startTestCloud()
    discovery = await discover(env)
  })
  after(() => env.stop())

  it('publishes discovery, the JWKS and the web client in endpoints.json', async () => {
    const { oidc, auth, jwks } = env.cloud.endpoints
    assert.equal(discovery.issuer, oidc.issuer)
    assert.match(oidc.issuer, /^http:\/\/127\.0\.0\.1:\d+\/idp\/$/)
    assert.equal(discovery.jwks_uri, jwks)
    assert.deepEqual(discovery.code_challenge_methods_supported, ['S256'])
    assert.deepEqual(discovery.response_types_supported, ['code'])
    assert.deepEqual(
      { clientId: oidc.clientId, scopes: oidc.scopes, audience: oidc.audience },
      { clientId: 'udagram-web', scopes: 'openid profile offline_access', audience: 'https://udagram-api' },
    )
    assert.ok(oidc.redirectUris.includes(REDIRECT_URI))
    assert.equal(auth.issuer, oidc.issuer)
  })

  it('signs alice in: her access token creates a group, her refresh token gets a new one', async () => {
    const pkce = aPkcePair()
    const { to, state, loginHtml } = await signIn(discovery, pkce)
    assert.match(loginHtml, /<label for="username">/)
    assert.match(loginHtml, /<label for="password">/)
    assert.match(loginHtml, /Development only/)
    const code = to?.searchParams.get('code')
    assert.ok(code, `redirected with a code: ${to?.href}`)
    assert.equal(to?.searchParams.get('state'), state)

    const response = await tokenRequest(discovery, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce.verifier,
    })
    assert.equal(response.status, 200, await response.clone().text())
    const tokens = (await response.json()) as Tokens
    assert.equal(decodeProtectedHeader(tokens.access_token).alg, 'RS256')
    const claims = decodeJwt(tokens.access_token)
    assert.deepEqual(
      { sub: claims.sub, aud: claims.aud, iss: claims.iss, name: claims.name },
      { sub: 'alice', aud: 'https://udagram-api', iss: env.cloud.endpoints.oidc.issuer, name: 'Alice' },
    )
    assert.equal(typeof claims.exp, 'number')
    assert.equal(decodeJwt(tokens.id_token).nonce !== undefined, true)

    const created = await createGroup(env.rest, tokens.access_token)
    assert.equal(created.status, 201, await created.clone().text())
    assert.equal(((await created.json()) as { newItem: { userId: string } }).newItem.userId, 'alice')

    const refreshed = await tokenRequest(discovery, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    })
    assert.equal(refreshed.status, 200, await refreshed.clone().text())
    const renewed = (await refreshed.json()) as Tokens
    assert.notEqual(renewed.refresh_token, tokens.refresh_token, 'the refresh token rotates')
    assert.equal(decodeJwt(renewed.access_token).sub, 'alice')
    assert.equal((await createGroup(env.rest, renewed.access_token)).status, 201)

    const replayed = await tokenRequest(discovery, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    })
    assert.equal(replayed.status, 400, 'a rotated refresh token works once')
  })

  it('shows the form again with an error, and no code, after a wrong password', async () => {
    const { page, to } = await signIn(discovery, aPkcePair(), 'not-the-password')
    assert.equal(to, undefined)
    assert.equal(page?.status, 200)
    const html = (await page?.text()) ?? ''
    assert.match(html, /role="alert"[^>]*>Unknown user or wrong password\./)
    assert.match(html, /value="alice"/)
    assert.match(html, /<form method="post"/)
  })

  it('refuses a code redeemed with the wrong code_verifier', async () => {
    const { to } = await signIn(discovery, aPkcePair())
    const response = await tokenRequest(discovery, {
      grant_type: 'authorization_code',
      code: to?.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      code_verifier: aPkcePair().verifier,
    })
    assert.equal(response.status, 400)
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_grant')
  })

  it('refuses a redirect URI the client did not register, without redirecting to it', async () => {
    const request = authorizationUrl(discovery, aPkcePair(), {
      redirect_uri: 'http://127.0.0.1:6666/callback',
    })
    const response = await fetch(request.url, { redirect: 'manual' })
    assert.equal(response.status, 400)
    assert.equal(response.headers.get('location'), null)
    const html = await response.text()
    assert.match(html, /invalid_redirect_uri/)
    assert.match(html, /did not match any of the client&#39;s registered redirect_uris/, 'escaped')
  })

  it('refuses an authorization request without PKCE', async () => {
    const request = authorizationUrl(discovery, undefined)
    const response = await fetch(request.url, { redirect: 'manual' })
    const location = new URL(response.headers.get('location') ?? '', request.url)
    assert.equal(response.status, 303)
    assert.equal(location.searchParams.get('error'), 'invalid_request')
    assert.match(location.searchParams.get('error_description') ?? '', /requires PKCE/)
    assert.equal(location.searchParams.get('code'), null)
  })

  it("accepts `npm run token`'s shortcut tokens too", async () => {
    assert.equal((await createGroup(env.rest, await env.tokenFor('bob'))).status, 201)
  })
})

describe('the local OpenID provider across a restart on the same data folder', () => {
  let dataDir: string
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'udagram-oidc-'))
  })
  after(() => rm(dataDir, { recursive: true, force: true }))

  it('keeps the refresh token valid', async () => {
    const first = await startTestCloud({ dataDir, inMemory: false })
    let tokens: Tokens
    try {
      tokens = await tokensFor(await discover(first))
    } finally {
      await first.stop()
    }

    const second = await startTestCloud({ dataDir, inMemory: false })
    try {
      const refreshed = await tokenRequest(await discover(second), {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      })
      assert.equal(refreshed.status, 200, await refreshed.clone().text())
      const renewed = (await refreshed.json()) as Tokens
      assert.equal(decodeJwt(renewed.access_token).iss, second.cloud.endpoints.oidc.issuer)
      assert.equal((await createGroup(second.rest, renewed.access_token)).status, 201)
    } finally {
      await second.stop()
    }
  })
})

describe('signing in when the stage checks HS256 tokens (the secret in the local Secrets Manager)', () => {
  let env: RunningCloud
  let discovery: Discovery

  before(async () => {
    env = await startTestCloud({ params: { authAlgorithm: 'HS256' } })
    discovery = await discover(env)
  })
  after(() => env.stop())

  it('issues HS256 access tokens that the authorizer accepts, and keeps ID tokens on RS256', async () => {
    const tokens = await tokensFor(discovery)
    assert.deepEqual(decodeProtectedHeader(tokens.access_token), { alg: 'HS256', typ: 'at+jwt' })
    assert.equal(decodeProtectedHeader(tokens.id_token).alg, 'RS256')
    const created = await createGroup(env.rest, tokens.access_token)
    assert.equal(created.status, 201, await created.clone().text())
  })
})
