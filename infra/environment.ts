// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import type { AWS } from 'osls'
import { imagesDistributionLogicalId } from './resources/images-bucket.ts'
import { thumbnailsDistributionLogicalId } from './resources/thumbnails-bucket.ts'

export const groupsByTimeIndexName = 'GroupsByTimeIndex'
export const imageIdIndexName = 'ImageIdIndex'
export const groupSubscribersIndexName = 'GroupSubscribersIndex'

/**
 * What every function's config parser reads. Plain strings with osls variables only (no
 * CloudFormation functions), because the local cloud resolves these same strings itself.
 */
export const environment = {
  STAGE: '${sls:stage}',
  GROUPS_TABLE: '${self:service}-${sls:stage}-groups',
  IMAGES_TABLE: '${self:service}-${sls:stage}-images',
  CONNECTIONS_TABLE: '${self:service}-${sls:stage}-connections',
  GROUPS_BY_TIME_INDEX: groupsByTimeIndexName,
  IMAGE_ID_INDEX: imageIdIndexName,
  GROUP_SUBSCRIBERS_INDEX: groupSubscribersIndexName,
  IMAGES_BUCKET: '${param:imagesBucket}',
  THUMBNAILS_BUCKET: '${param:thumbnailsBucket}',
  SIGNED_URL_EXPIRATION_SECONDS: '300',
  MAX_UPLOAD_BYTES: '10485760',
  THUMBNAIL_WIDTH: '150',
  // API Gateway closes every WebSocket connection after 2 hours (its connection duration quota), so
  // no record of one needs to outlive that.
  CONNECTION_TTL_SECONDS: '7200',
  POWERTOOLS_SERVICE_NAME: 'udagram',
  POWERTOOLS_LOG_LEVEL: '${param:logLevel}',
  // The namespace of the business metrics (embedded metric format); the alarms watch it.
  POWERTOOLS_METRICS_NAMESPACE: 'Udagram',
  // The share of invocations that log at DEBUG whatever the level (1%): enough to see what a
  // function does in prod, where the level is WARN, without paying for DEBUG on every call.
  POWERTOOLS_LOGGER_SAMPLE_RATE: '0.01',
  CORS_ALLOWED_ORIGIN: '${param:corsAllowedOrigin}',
  // The bundles are minified; without this flag Node ignores the shipped .map files and stack traces
  // in the logs point into one-line minified code.
  NODE_OPTIONS: '--enable-source-maps',
} satisfies Record<string, string> & AWS['provider']['environment']

/**
 * The one environment value that is not a plain string: the WebSocket API's id exists only once
 * CloudFormation has created it. The local cloud does not resolve this; it replaces the variable
 * with the endpoint of its own WebSocket gateway.
 */
export const websocketManagementEndpoint = {
  WEBSOCKET_MANAGEMENT_ENDPOINT: {
    'Fn::Join': [
      '',
      [
        'https://',
        { Ref: 'WebsocketsApi' },
        '.execute-api.',
        { Ref: 'AWS::Region' },
        '.amazonaws.com/${sls:stage}',
      ],
    ],
  },
} satisfies AWS['provider']['environment']

const httpsDomainOf = (distributionLogicalId: string) => ({
  'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionLogicalId, 'DomainName'] }]],
})

/**
 * Where browsers get originals and thumbnails: the buckets are private, each served by its CloudFront
 * distribution, whose domain exists once CloudFormation has created it. The local cloud replaces
 * each with the URL of its local CDN for that distribution.
 */
export const cdnUrls = {
  IMAGES_CDN_URL: httpsDomainOf(imagesDistributionLogicalId),
  THUMBNAILS_CDN_URL: httpsDomainOf(thumbnailsDistributionLogicalId),
} satisfies AWS['provider']['environment']
