/** `/config.json`, served beside the app: one build runs against any deployment. */
export interface AppConfig {
  api: string
  websocket: string
  oidc: {
    authority: string
    clientId: string
    redirectUri: string
    scope: string
    audience?: string
  }
}

export async function loadAppConfig(): Promise<AppConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' })
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`)
  return parseAppConfig(await response.json())
}

/** Checks the shape, naming the first missing field, so a bad deployment says what is wrong. */
export function parseAppConfig(value: unknown): AppConfig {
  const config = value as Partial<AppConfig> | null
  const fields: Array<[string, unknown]> = [
    ['api', config?.api],
    ['websocket', config?.websocket],
    ['oidc.authority', config?.oidc?.authority],
    ['oidc.clientId', config?.oidc?.clientId],
    ['oidc.redirectUri', config?.oidc?.redirectUri],
    ['oidc.scope', config?.oidc?.scope],
  ]
  const missing = fields.find(([, field]) => typeof field !== 'string' || field === '')
  if (missing !== undefined) throw new Error(`/config.json: ${missing[0]} must be a non-empty string`)
  return config as AppConfig
}
