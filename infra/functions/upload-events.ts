import { asyncFailuresQueueLogicalId } from '../resources/async-failures-queue.ts'
import { uploadEventRoleLogicalIds } from '../resources/upload-event-roles.ts'
import { uploadsTopicLogicalId, uploadsTopicName } from '../resources/uploads-topic.ts'
import type { FunctionDefinition, Functions } from './types.ts'

/**
 * SNS invokes asynchronously: Lambda retries a failed invocation twice (the most it allows), drops
 * an event older than an hour, and in both cases sends it to the failures queue instead of losing
 * it. Each function's role may send to the queue (osls would grant it to its shared role only).
 */
const onUploadEvent = {
  events: [{ sns: { arn: { Ref: uploadsTopicLogicalId }, topicName: uploadsTopicName } }],
  maximumRetryAttempts: 2,
  maximumEventAge: 3600,
  destinations: {
    onFailure: { type: 'sqs', arn: { 'Fn::GetAtt': [asyncFailuresQueueLogicalId, 'Arn'] } },
  },
} satisfies Partial<FunctionDefinition>

/** What runs once an original lands in the images bucket (S3 -> uploads topic -> these). */
export const uploadEventFunctions: Functions = {
  ResizeImage: {
    handler: 'src/handlers/sns/resize-image.handler',
    role: uploadEventRoleLogicalIds.ResizeImage,
    ...onUploadEvent,
    // Decoding and resizing with sharp is CPU-bound, and Lambda's CPU grows with memory.
    timeout: 30,
    memorySize: 1024,
    // esbuild bundles sharp's JavaScript but cannot bundle its native parts, which it loads from
    // node_modules at start-up: without these the function fails on load ("Could not load the
    // "sharp" module using the linux-x64 runtime", seen by unzipping the package away from the
    // repository). These are the x86_64 glibc builds Lambda's default architecture needs; npm
    // installs them only on a linux-x64 host, and the template test fails if they are missing.
    // Marking sharp `external` instead makes serverless-esbuild run `npm ci`, which needs the
    // network or a warm npm cache.
    package: {
      patterns: ['node_modules/@img/sharp-linux-x64/**', 'node_modules/@img/sharp-libvips-linux-x64/**'],
    },
  },
  SendUploadNotifications: {
    handler: 'src/handlers/sns/send-upload-notifications.handler',
    role: uploadEventRoleLogicalIds.SendUploadNotifications,
    ...onUploadEvent,
    timeout: 30,
  },
}
