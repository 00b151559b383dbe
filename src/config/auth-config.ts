import { type Environment, EnvironmentReader } from './environment-reader.ts'

export interface AuthConfig {
  issuer: string
  audience: string
  jwksUrl: string
}

/** The authorizer's configuration. Without AUTH_JWKS_URL the keys are where Auth0 publishes them. */
export function loadAuthConfig(env: Environment): AuthConfig {
  const read = new EnvironmentReader(env, 'authorizer')
  const issuer = read.url('AUTH_ISSUER')
  const audience = read.text('AUTH_AUDIENCE')
  const jwksUrl = read.optionalUrl('AUTH_JWKS_URL')
  read.assertValid()
  return {
    issuer,
    audience,
    jwksUrl: jwksUrl ?? new URL('.well-known/jwks.json', withTrailingSlash(issuer)).href,
  }
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`
}
