import { createContext, useContext, useMemo, useRef } from 'react'
import { useAuth } from 'react-oidc-context'
import { type ApiClient, apiClient } from '../api/api-client.ts'
import type { AppConfig } from './app-config.ts'

export const ConfigContext = createContext<AppConfig | undefined>(undefined)

export function useConfig(): AppConfig {
  const config = useContext(ConfigContext)
  if (config === undefined) throw new Error('useConfig outside ConfigContext')
  return config
}

/** The REST API with the signed-in user's access token, when there is one. */
export function useApi(): ApiClient {
  const { api } = useConfig()
  const auth = useAuth()
  const token = useRef<string | undefined>(undefined)
  token.current = auth.user?.expired === false ? auth.user.access_token : undefined
  return useMemo(() => apiClient(api, () => token.current), [api])
}

/** The signed-in user's id (`sub`) and display name; undefined when browsing anonymously. */
export function useCurrentUser(): { id: string; name: string; accessToken: string } | undefined {
  const { user } = useAuth()
  if (user === null || user === undefined || user.expired) return undefined
  const name = typeof user.profile.name === 'string' ? user.profile.name : user.profile.sub
  return { id: user.profile.sub, name, accessToken: user.access_token }
}
