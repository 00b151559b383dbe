import { z } from 'zod'
import {
  type Environment,
  flag,
  nonEmpty,
  optionalUrl,
  parseEnvironment,
  positiveSeconds,
} from './env-schema.ts'

const apiEnvironment = z.object({
  AWS_REGION: nonEmpty,
  GROUPS_TABLE: nonEmpty,
  GROUPS_BY_TIME_INDEX: nonEmpty,
  IMAGES_TABLE: nonEmpty,
  IMAGE_ID_INDEX: nonEmpty,
  IMAGES_BUCKET: nonEmpty,
  SIGNED_URL_EXPIRATION_SECONDS: positiveSeconds,
  CORS_ALLOWED_ORIGIN: nonEmpty,
  // Set only where the AWS services are emulated (the local cloud); on AWS the SDK's defaults apply.
  AWS_ENDPOINT_URL_DYNAMODB: optionalUrl.optional(),
  AWS_ENDPOINT_URL_S3: optionalUrl.optional(),
  S3_FORCE_PATH_STYLE: flag,
})

export interface ApiConfig {
  region: string
  groupsTable: string
  groupsByTimeIndex: string
  imagesTable: string
  imageIdIndex: string
  imagesBucket: string
  signedUrlExpirationSeconds: number
  corsAllowedOrigin: string
  dynamoDbEndpoint: string | undefined
  s3Endpoint: string | undefined
  s3ForcePathStyle: boolean
}

/** The configuration of the REST API functions, read once per cold start. */
export function loadApiConfig(env: Environment): ApiConfig {
  const parsed = parseEnvironment(apiEnvironment, env, 'API')
  return {
    region: parsed.AWS_REGION,
    groupsTable: parsed.GROUPS_TABLE,
    groupsByTimeIndex: parsed.GROUPS_BY_TIME_INDEX,
    imagesTable: parsed.IMAGES_TABLE,
    imageIdIndex: parsed.IMAGE_ID_INDEX,
    imagesBucket: parsed.IMAGES_BUCKET,
    signedUrlExpirationSeconds: parsed.SIGNED_URL_EXPIRATION_SECONDS,
    corsAllowedOrigin: parsed.CORS_ALLOWED_ORIGIN,
    dynamoDbEndpoint: parsed.AWS_ENDPOINT_URL_DYNAMODB,
    s3Endpoint: parsed.AWS_ENDPOINT_URL_S3,
    s3ForcePathStyle: parsed.S3_FORCE_PATH_STYLE,
  }
}
