// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import type { Functions } from './types.ts'

/** The function name API Gateway's TOKEN authorizer calls; the http events refer to it by name. */
export const authorizerFunctionName = 'Authorizer'

export const authorizerFunctions: Functions = {
  [authorizerFunctionName]: {
    handler: 'src/handlers/authorizer/jwt-authorizer.handler',
    // Only the authorizer verifies tokens, so only it gets the issuer settings.
    environment: {
      AUTH_ISSUER: '${param:authIssuer}',
      AUTH_AUDIENCE: '${param:authAudience}',
      AUTH_JWKS_URL: '${param:authJwksUrl}',
    },
  },
}

/**
 * API Gateway caches a policy per token for `resultTtlInSeconds`, so a valid token costs one
 * authorizer call per 5 minutes instead of one per request.
 */
export const tokenAuthorizer = {
  name: authorizerFunctionName,
  type: 'TOKEN',
  identitySource: 'method.request.header.Authorization',
  resultTtlInSeconds: 300,
}
