import { type Environment, EnvironmentReader } from './environment-reader.ts'

export interface ApiConfig {
  region: string
  groupsTable: string
  groupsByTimeIndex: string
  imagesTable: string
  imageIdIndex: string
  imagesBucket: string
  /** Only deleted from by the API (deleting an image deletes its thumbnail). */
  thumbnailsBucket: string
  /** Where browsers get originals and thumbnails: the buckets' distributions, or the local CDN. */
  imagesCdnUrl: string
  thumbnailsCdnUrl: string
  signedUrlExpirationSeconds: number
  /** The largest upload an image may announce; its presigned URL signs the exact size. */
  maxUploadBytes: number
  corsAllowedOrigin: string
  /** Set only where the AWS services are emulated (the local cloud); on AWS the SDK's defaults apply. */
  dynamoDbEndpoint: string | undefined
  s3Endpoint: string | undefined
  s3ForcePathStyle: boolean
}

/** The configuration of the REST API functions, read once per cold start. */
export function loadApiConfig(env: Environment): ApiConfig {
  const read = new EnvironmentReader(env, 'API')
  const config: ApiConfig = {
    region: read.text('AWS_REGION'),
    groupsTable: read.text('GROUPS_TABLE'),
    groupsByTimeIndex: read.text('GROUPS_BY_TIME_INDEX'),
    imagesTable: read.text('IMAGES_TABLE'),
    imageIdIndex: read.text('IMAGE_ID_INDEX'),
    imagesBucket: read.text('IMAGES_BUCKET'),
    thumbnailsBucket: read.text('THUMBNAILS_BUCKET'),
    imagesCdnUrl: read.url('IMAGES_CDN_URL'),
    thumbnailsCdnUrl: read.url('THUMBNAILS_CDN_URL'),
    signedUrlExpirationSeconds: read.integer('SIGNED_URL_EXPIRATION_SECONDS', { min: 1, max: 604_800 }),
    // S3 takes at most 5 GiB in one PUT, the upload events config's limit too.
    maxUploadBytes: read.integer('MAX_UPLOAD_BYTES', { min: 1, max: 5 * 1024 ** 3 }),
    corsAllowedOrigin: read.text('CORS_ALLOWED_ORIGIN'),
    dynamoDbEndpoint: read.optionalUrl('AWS_ENDPOINT_URL_DYNAMODB'),
    s3Endpoint: read.optionalUrl('AWS_ENDPOINT_URL_S3'),
    s3ForcePathStyle: read.flag('S3_FORCE_PATH_STYLE'),
  }
  read.assertValid()
  return config
}
