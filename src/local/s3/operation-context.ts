import type { ServerResponse } from 'node:http'
import type { S3CorsRule } from './cors.ts'
import type { ObjectStore } from './object-store.ts'
import type { S3Request } from './s3-request.ts'
import type { Authentication } from './sigv4-verifier.ts'

export interface LocalS3BucketDefinition {
  name: string
  /** Anonymous GET and HEAD of objects allowed, like a bucket policy granting s3:GetObject to "*". */
  publicRead: boolean
  cors: S3CorsRule[]
}

/** What an operation needs once the request is routed, authenticated and authorized. */
export interface OperationContext {
  request: S3Request
  response: ServerResponse
  bucket: LocalS3BucketDefinition
  auth: Authentication
  store: ObjectStore
  clock: () => Date
}
