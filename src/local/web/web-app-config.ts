/** `/config.json`: what the web app needs to know about the deployment it runs against. */
export interface WebAppConfig {
  /** The REST API's base URL, with the stage. */
  api: string
  /** The WebSocket API's URL; the app adds `?token=`. */
  websocket: string
  oidc: {
    authority: string
    clientId: string
    redirectUri: string
    scope: string
    /** The API's identifier: Auth0 wants it as `audience` to issue a JWT access token for it. */
    audience: string
  }
}

/** The config for an app served at `origin`, from the local cloud's endpoints. */
export function webAppConfig(
  endpoints: {
    api: string
    websocket: string
    oidc: { issuer: string; clientId: string; scopes: string; audience: string }
  },
  app: { origin: string },
): WebAppConfig {
  return {
    api: endpoints.api,
    websocket: endpoints.websocket,
    oidc: {
      authority: endpoints.oidc.issuer,
      clientId: endpoints.oidc.clientId,
      redirectUri: `${app.origin}/callback`,
      scope: endpoints.oidc.scopes,
      audience: endpoints.oidc.audience,
    },
  }
}
