// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import { authorizerRoleLogicalId, webSocketAuthorizerRoleLogicalId } from '../resources/authorizer-roles.ts'
import { tokenSigningSecretName } from '../resources/token-signing-secret.ts'
import type { Functions } from './types.ts'

/** The function name API Gateway's TOKEN authorizer calls; the http events refer to it by name. */
export const authorizerFunctionName = 'Authorizer'
/** The function name the WebSocket API's REQUEST authorizer calls on `$connect`. */
export const webSocketAuthorizerFunctionName = 'WebSocketAuthorizer'

// Only the authorizers verify tokens, so only they get the issuer settings. AUTH_SECRET_ID is read in
// HS256 mode only.
const issuerSettings = {
  AUTH_ISSUER: '${param:authIssuer}',
  AUTH_AUDIENCE: '${param:authAudience}',
  AUTH_ALGORITHM: '${param:authAlgorithm}',
  AUTH_JWKS_URL: '${param:authJwksUrl}',
  AUTH_SECRET_ID: tokenSigningSecretName,
}

export const authorizerFunctions: Functions = {
  [authorizerFunctionName]: {
    handler: 'src/handlers/authorizer/jwt-authorizer.handler',
    role: authorizerRoleLogicalId,
    environment: { ...issuerSettings },
  },
  [webSocketAuthorizerFunctionName]: {
    handler: 'src/handlers/authorizer/websocket-authorizer.handler',
    role: webSocketAuthorizerRoleLogicalId,
    environment: { ...issuerSettings },
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

/**
 * Browsers cannot set headers on a WebSocket handshake, so the token travels in the query string
 * (`?token=`). A REQUEST authorizer is the only kind WebSocket APIs have; API Gateway answers 401
 * without calling it when the parameter is missing.
 */
export const webSocketAuthorizer = {
  name: webSocketAuthorizerFunctionName,
  identitySource: ['route.request.querystring.token'],
}
