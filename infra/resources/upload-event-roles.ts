import { groupSubscribersIndexName, imageIdIndexName } from '../environment.ts'
import { asyncFailuresQueueLogicalId } from './async-failures-queue.ts'
import { allow, arnOf, functionRoles, indexArnOf, objectsArnOf, roleLogicalIdsOf } from './lambda-roles.ts'
import { forgettingConnections, postingToConnections } from './websocket-roles.ts'

/** The uploaded object's key is the image id: the record is found through this index. */
const imagesById = allow(['dynamodb:Query'], indexArnOf('ImagesTable', imageIdIndexName))

/**
 * Telling a group's subscribers (groupNotifications): list them on the group-subscribers index, post
 * to each, and forget the connections API Gateway says are gone.
 */
const notifyingSubscribers = [
  allow(['dynamodb:Query'], indexArnOf('ConnectionsTable', groupSubscribersIndexName)),
  postingToConnections,
  forgettingConnections,
]

/** SNS invokes these asynchronously; what fails all its retries goes to the failures queue. */
const sendingToFailuresQueue = allow(['sqs:SendMessage'], arnOf(asyncFailuresQueueLogicalId))

const uploadEventGrants = {
  ResizeImage: [
    imagesById,
    // Settling the image (pending -> ready | failed) is a conditional update.
    allow(['dynamodb:UpdateItem'], arnOf('ImagesTable')),
    // HeadObject (size, type) and GetObject of the original.
    allow(['s3:GetObject'], objectsArnOf('ImagesBucket')),
    // Without it S3 answers a missing original with 403 instead of 404, and the function would retry
    // an upload that is simply gone instead of ignoring it.
    allow(['s3:ListBucket'], arnOf('ImagesBucket')),
    allow(['s3:PutObject'], objectsArnOf('ThumbnailsBucket')),
    ...notifyingSubscribers,
    sendingToFailuresQueue,
  ],
  SendUploadNotifications: [imagesById, ...notifyingSubscribers, sendingToFailuresQueue],
}

export const uploadEventRoles = functionRoles(uploadEventGrants)
export const uploadEventRoleLogicalIds = roleLogicalIdsOf(uploadEventGrants)
