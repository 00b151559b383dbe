import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import type { MiddlewareObj } from '@middy/core'
import secretsManager from '@middy/secrets-manager'
import type { Context } from 'aws-lambda'
import { JoseTokenVerifier } from '#adapters/auth/jose-token-verifier.ts'
import { loadAuthConfig } from '#config/auth-config.ts'
import type { TokenVerifier } from '#core/ports/token-verifier.ts'

/** Where the secret lands in the Lambda context, in HS256 mode. */
const SECRET_CONTEXT_KEY = 'authSigningSecret'
/** A rotated secret is picked up within this long; until then no request pays for a Secrets Manager call. */
const SECRET_CACHE_MS = 5 * 60 * 1000

const config = loadAuthConfig(process.env)

/**
 * What both authorizers need to check a token. RS256: one verifier for the cold start, with its JWKS
 * cache. HS256: middy's Secrets Manager middleware fetches the shared secret at cold start and caches
 * it; the verifier follows the secret's value, so a rotation needs no redeploy. The secret is kept in
 * the context only, never logged.
 */
export const tokenVerification: {
  middlewares: MiddlewareObj[]
  verifierFor(context: Context): TokenVerifier
} =
  config.algorithm === 'RS256'
    ? (() => {
        const verifier = new JoseTokenVerifier(config)
        return { middlewares: [], verifierFor: () => verifier }
      })()
    : (() => {
        let current: { secret: string; verifier: TokenVerifier } | undefined
        return {
          middlewares: [
            // Typed for a context that already holds the secret; the handler reads it defensively below.
            secretsManager({
              AwsClient: SecretsManagerClient,
              awsClientOptions: { region: config.region, endpoint: config.secretsManagerEndpoint },
              fetchData: { [SECRET_CONTEXT_KEY]: config.secretId },
              cacheExpiry: SECRET_CACHE_MS,
              setToContext: true,
            }) as MiddlewareObj,
          ],
          verifierFor: (context) => {
            const secret = (context as Context & Record<string, unknown>)[SECRET_CONTEXT_KEY]
            if (typeof secret !== 'string' || secret.length === 0) {
              throw new Error(`the secret ${config.secretId} holds no string`)
            }
            if (current?.secret !== secret) {
              const sharedSecret = new TextEncoder().encode(secret)
              current = { secret, verifier: new JoseTokenVerifier({ ...config, sharedSecret }) }
            }
            return current.verifier
          },
        }
      })()
