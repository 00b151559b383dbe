import { functionRole } from './lambda-roles.ts'
import { tokenSigningSecretReaders } from './token-signing-secret.ts'
import type { CfnResources } from './types.ts'

export const authorizerRoleLogicalId = 'AuthorizerRole'
export const webSocketAuthorizerRoleLogicalId = 'WebSocketAuthorizerRole'

/**
 * The authorizers touch no table nor bucket: they write logs and traces, and in HS256 mode read the
 * signing secret (granted by a policy that exists only then).
 */
export const authorizerRoles: CfnResources = {
  [authorizerRoleLogicalId]: functionRole('Authorizer', []),
  [webSocketAuthorizerRoleLogicalId]: functionRole('WebSocketAuthorizer', []),
  ...tokenSigningSecretReaders([authorizerRoleLogicalId, webSocketAuthorizerRoleLogicalId]),
}
