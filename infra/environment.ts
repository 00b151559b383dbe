// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import type { AWS } from 'osls'

export const groupsByTimeIndexName = 'GroupsByTimeIndex'
export const imageIdIndexName = 'ImageIdIndex'

/**
 * What every function's config parser reads. Plain strings with osls variables only (no
 * CloudFormation functions), because the local cloud resolves these same strings itself.
 */
export const environment = {
  STAGE: '${sls:stage}',
  GROUPS_TABLE: '${self:service}-${sls:stage}-groups',
  IMAGES_TABLE: '${self:service}-${sls:stage}-images',
  GROUPS_BY_TIME_INDEX: groupsByTimeIndexName,
  IMAGE_ID_INDEX: imageIdIndexName,
  IMAGES_BUCKET: '${param:imagesBucket}',
  SIGNED_URL_EXPIRATION_SECONDS: '300',
  POWERTOOLS_SERVICE_NAME: 'udagram',
  POWERTOOLS_LOG_LEVEL: '${param:logLevel}',
  CORS_ALLOWED_ORIGIN: '${param:corsAllowedOrigin}',
  // The bundles are minified; without this flag Node ignores the shipped .map files and stack traces
  // in the logs point into one-line minified code.
  NODE_OPTIONS: '--enable-source-maps',
} satisfies Record<string, string> & AWS['provider']['environment']
