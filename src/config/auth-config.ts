import { z } from 'zod'
import { type Environment, nonEmpty, optionalUrl, parseEnvironment } from './env-schema.ts'

const authEnvironment = z.object({
  AUTH_ISSUER: z.url(),
  AUTH_AUDIENCE: nonEmpty,
  AUTH_JWKS_URL: optionalUrl.optional(),
})

export interface AuthConfig {
  issuer: string
  audience: string
  jwksUrl: string
}

/** The authorizer's configuration. Without AUTH_JWKS_URL the keys are where Auth0 publishes them. */
export function loadAuthConfig(env: Environment): AuthConfig {
  const parsed = parseEnvironment(authEnvironment, env, 'authorizer')
  return {
    issuer: parsed.AUTH_ISSUER,
    audience: parsed.AUTH_AUDIENCE,
    jwksUrl:
      parsed.AUTH_JWKS_URL ?? new URL('.well-known/jwks.json', withTrailingSlash(parsed.AUTH_ISSUER)).href,
  }
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`
}
