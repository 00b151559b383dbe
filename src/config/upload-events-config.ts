import { type Environment, EnvironmentReader } from './environment-reader.ts'

export interface UploadEventsConfig {
  region: string
  imagesTable: string
  imageIdIndex: string
  imagesBucket: string
  thumbnailsBucket: string
  /** Where browsers get thumbnails (the thumbnails distribution, or the local CDN). */
  thumbnailsCdnUrl: string
  maxUploadBytes: number
  thumbnailWidth: number
  connectionsTable: string
  groupSubscribersIndex: string
  /** The WebSocket API's Management API (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`). */
  managementEndpoint: string
  dynamoDbEndpoint: string | undefined
  s3Endpoint: string | undefined
  s3ForcePathStyle: boolean
}

/** The configuration of the functions S3 upload events reach through SNS. */
export function loadUploadEventsConfig(env: Environment): UploadEventsConfig {
  const read = new EnvironmentReader(env, 'upload events')
  const config: UploadEventsConfig = {
    region: read.text('AWS_REGION'),
    imagesTable: read.text('IMAGES_TABLE'),
    imageIdIndex: read.text('IMAGE_ID_INDEX'),
    imagesBucket: read.text('IMAGES_BUCKET'),
    thumbnailsBucket: read.text('THUMBNAILS_BUCKET'),
    thumbnailsCdnUrl: read.url('THUMBNAILS_CDN_URL'),
    maxUploadBytes: read.integer('MAX_UPLOAD_BYTES', { min: 1, max: 5 * 1024 ** 3 }),
    thumbnailWidth: read.integer('THUMBNAIL_WIDTH', { min: 16, max: 2048 }),
    connectionsTable: read.text('CONNECTIONS_TABLE'),
    groupSubscribersIndex: read.text('GROUP_SUBSCRIBERS_INDEX'),
    managementEndpoint: read.url('WEBSOCKET_MANAGEMENT_ENDPOINT'),
    dynamoDbEndpoint: read.optionalUrl('AWS_ENDPOINT_URL_DYNAMODB'),
    s3Endpoint: read.optionalUrl('AWS_ENDPOINT_URL_S3'),
    s3ForcePathStyle: read.flag('S3_FORCE_PATH_STYLE'),
  }
  read.assertValid()
  return config
}
