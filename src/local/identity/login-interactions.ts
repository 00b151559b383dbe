import type { IncomingMessage, ServerResponse } from 'node:http'
import type { InteractionDetails, Provider } from 'oidc-provider'
import { authenticate } from './dev-accounts.ts'
import { escapeHtml, renderLoginPage } from './login-page.ts'

export interface LoginInteractionsSettings {
  /** Absolute path of the interactions, e.g. `/idp/interaction/`. */
  basePath: string
  /** Clients whose consent is implied (the web app): their consent prompt is granted without a page. */
  firstPartyClients: ReadonlySet<string>
}

const MAX_FORM_BYTES = 16 * 1024

/**
 * The pages oidc-provider sends the browser to when it needs the user (its "interactions"): the login
 * form, and a consent step that first-party clients pass without a page. Anything else is refused.
 */
export class LoginInteractions {
  readonly #provider: Provider
  readonly #settings: LoginInteractionsSettings

  constructor(provider: Provider, settings: LoginInteractionsSettings) {
    this.#provider = provider
    this.#settings = settings
  }

  /** `GET <basePath><uid>` and `POST <basePath><uid>/login`; false for other paths. */
  handles(pathname: string): boolean {
    return pathname.startsWith(this.#settings.basePath)
  }

  async handle(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
    const [uid = '', action, ...rest] = pathname.slice(this.#settings.basePath.length).split('/')
    const isPage = action === undefined && request.method === 'GET'
    const isLogin = action === 'login' && rest.length === 0 && request.method === 'POST'
    if (!isPage && !isLogin) return sendPage(response, 404, 'Not found', 'There is nothing here.')

    let details: InteractionDetails
    try {
      details = await this.#provider.interactionDetails(request, response)
    } catch {
      return sendPage(response, 400, 'Sign-in expired', 'This sign-in has expired. Start again from the app.')
    }
    // The interaction comes from the cookie; the uid in the address must name the same one.
    if (details.uid !== uid) {
      return sendPage(response, 400, 'Sign-in mismatch', 'This page belongs to another sign-in. Start again.')
    }
    const clientId = String(details.params.client_id ?? '')
    const formAction = `${this.#settings.basePath}${encodeURIComponent(uid)}/login`

    if (details.prompt.name === 'login') {
      if (isPage) return sendHtml(response, 200, renderLoginPage({ action: formAction, clientId }))
      const form = await readForm(request)
      const username = form.get('username') ?? ''
      const account = authenticate(username, form.get('password') ?? '')
      if (account === undefined) {
        return sendHtml(
          response,
          200,
          renderLoginPage({
            action: formAction,
            clientId,
            username,
            error: 'Unknown user or wrong password.',
          }),
        )
      }
      return this.#provider.interactionFinished(
        request,
        response,
        { login: { accountId: account.id } },
        { mergeWithLastSubmission: false },
      )
    }

    if (details.prompt.name === 'consent' && this.#settings.firstPartyClients.has(clientId)) {
      return this.#provider.interactionFinished(
        request,
        response,
        { consent: { grantId: await this.#grantAll(details, clientId) } },
        { mergeWithLastSubmission: true },
      )
    }
    return this.#provider.interactionFinished(request, response, {
      error: 'access_denied',
      error_description: 'the local identity provider only serves its first-party clients',
    })
  }

  /** Grants what the consent prompt found missing (the flow of oidc-provider's own example app). */
  async #grantAll(details: InteractionDetails, clientId: string): Promise<string> {
    const accountId = details.session?.accountId
    if (accountId === undefined) throw new Error('consent prompt without a signed-in account')
    const existing =
      details.grantId === undefined ? undefined : await this.#provider.Grant.find(details.grantId)
    const grant = existing ?? new this.#provider.Grant({ accountId, clientId })
    const missing = details.prompt.details as {
      missingOIDCScope?: string[]
      missingOIDCClaims?: string[]
      missingResourceScopes?: Record<string, string[]>
    }
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(resource, scopes.join(' '))
    }
    return grant.save()
  }
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > MAX_FORM_BYTES) break
    chunks.push(chunk as Buffer)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The page loads nothing and runs no script. No form-action: Chrome applies it to the redirects
    // after the post too, and those end at the client's redirect URI, on another origin.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'x-frame-options': 'DENY',
  })
  response.end(html)
}

function sendPage(response: ServerResponse, status: number, title: string, message: string): void {
  sendHtml(
    response,
    status,
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
      `<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body></html>\n`,
  )
}
