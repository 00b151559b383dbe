/**
 * The part of oidc-provider 9 (which ships no type declarations) the local identity uses, typed from
 * its source (lib/provider.js, lib/helpers/defaults.js, lib/adapters/memory_adapter.js).
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  export type AdapterPayload = Record<string, unknown> & {
    grantId?: string
    uid?: string
    userCode?: string
    consumed?: number
  }

  /** One per model name (Session, Grant, RefreshToken…); `expiresIn` is in seconds. */
  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>
    find(id: string): Promise<AdapterPayload | undefined>
    findByUid(uid: string): Promise<AdapterPayload | undefined>
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>
    consume(id: string): Promise<void>
    destroy(id: string): Promise<void>
    revokeByGrantId(grantId: string): Promise<void>
  }

  export interface ClientMetadata {
    client_id: string
    token_endpoint_auth_method?: string
    redirect_uris?: string[]
    grant_types?: string[]
    response_types?: string[]
    scope?: string
    application_type?: 'web' | 'native'
    [key: string]: unknown
  }

  export interface Client {
    clientId: string
    redirectUris: string[]
    grantTypeAllowed(type: string): boolean
  }

  export interface Account {
    accountId: string
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>
  }

  export interface ResourceServerInfo {
    scope: string
    audience?: string
    accessTokenTTL?: number
    accessTokenFormat?: 'opaque' | 'jwt'
    jwt?: { sign?: { alg?: string; kid?: string } }
  }

  /** The source of a token: an authorization code, a refresh token… */
  export interface GrantSource {
    scopes: Set<string>
    accountId?: string
  }

  export interface KoaContext {
    oidc: { client?: Client; route: string }
    type: string
    body: unknown
  }

  export interface Configuration {
    adapter?: (model: string) => Adapter
    clients?: ClientMetadata[]
    jwks?: { keys: object[] }
    cookies?: { keys?: string[]; long?: object; short?: object }
    claims?: Record<string, string[] | null>
    scopes?: string[]
    responseTypes?: string[]
    clientAuthMethods?: string[]
    pkce?: { required: (ctx: KoaContext, client: Client) => boolean }
    routes?: Record<string, string>
    features?: Record<string, object>
    ttl?: Record<string, number>
    interactions?: { url: (ctx: KoaContext, interaction: { uid: string }) => string | Promise<string> }
    findAccount?: (ctx: KoaContext, sub: string) => Promise<Account | undefined>
    extraTokenClaims?: (
      ctx: KoaContext,
      token: { accountId?: string; kind: string },
    ) => Promise<Record<string, unknown> | undefined>
    issueRefreshToken?: (ctx: KoaContext, client: Client, source: GrantSource) => Promise<boolean>
    expiresWithSession?: (ctx: KoaContext, source: GrantSource) => Promise<boolean>
    rotateRefreshToken?: boolean | ((ctx: KoaContext) => boolean)
    clientBasedCORS?: (ctx: KoaContext, origin: string, client: Client) => boolean
    renderError?: (ctx: KoaContext, out: Record<string, string>, error: Error) => Promise<void>
  }

  export interface InteractionDetails {
    uid: string
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> }
    params: Record<string, unknown> & { client_id?: string; scope?: string }
    session?: { accountId?: string }
    grantId?: string
  }

  export interface InteractionResults {
    login?: { accountId: string }
    consent?: { grantId: string }
    error?: string
    error_description?: string
  }

  export interface Grant {
    addOIDCScope(scope: string): void
    addOIDCClaims(claims: string[]): void
    addResourceScope(resource: string, scope: string): void
    save(): Promise<string>
  }

  export class Provider {
    constructor(issuer: string, configuration: Configuration)
    readonly issuer: string
    readonly Grant: {
      new (properties: { accountId: string; clientId: string }): Grant
      find(id: string): Promise<Grant | undefined>
    }
    callback(): (request: IncomingMessage, response: ServerResponse) => Promise<void>
    interactionDetails(request: IncomingMessage, response: ServerResponse): Promise<InteractionDetails>
    interactionFinished(
      request: IncomingMessage,
      response: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>
    on(event: string, listener: (...args: unknown[]) => void): this
  }

  export const errors: {
    InvalidTarget: new (description?: string) => Error
  }

  export default Provider
}
