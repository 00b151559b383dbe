import { type Environment, EnvironmentReader } from './environment-reader.ts'

export const TOKEN_ALGORITHMS = ['RS256', 'HS256'] as const

/** How the authorizers check signatures: the issuer's public keys, or a secret shared with the issuer. */
export type TokenKeySource =
  | { algorithm: 'RS256'; jwksUrl: string }
  /** The secret's value is read at run time from Secrets Manager, by name or ARN. */
  | { algorithm: 'HS256'; secretId: string; region: string; secretsManagerEndpoint: string | undefined }

export type AuthConfig = { issuer: string; audience: string } & TokenKeySource

/**
 * The authorizers' configuration. RS256 unless AUTH_ALGORITHM says HS256; without AUTH_JWKS_URL the
 * keys are where Auth0 publishes them.
 */
export function loadAuthConfig(env: Environment): AuthConfig {
  const read = new EnvironmentReader(env, 'authorizer')
  const issuer = read.url('AUTH_ISSUER')
  const audience = read.text('AUTH_AUDIENCE')
  const algorithm =
    env.AUTH_ALGORITHM === undefined ? 'RS256' : read.oneOf('AUTH_ALGORITHM', TOKEN_ALGORITHMS)
  if (algorithm === 'HS256') {
    const secretId = read.text('AUTH_SECRET_ID')
    const region = read.text('AWS_REGION')
    const secretsManagerEndpoint = read.optionalUrl('AWS_ENDPOINT_URL_SECRETS_MANAGER')
    read.assertValid()
    return { issuer, audience, algorithm, secretId, region, secretsManagerEndpoint }
  }
  const jwksUrl = read.optionalUrl('AUTH_JWKS_URL')
  read.assertValid()
  return {
    issuer,
    audience,
    algorithm: 'RS256',
    jwksUrl: jwksUrl ?? new URL('.well-known/jwks.json', withTrailingSlash(issuer)).href,
  }
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`
}
