import { groupsByTimeIndexName, imageIdIndexName } from '../environment.ts'
import { allow, arnOf, functionRoles, indexArnOf, objectsArnOf, roleLogicalIdsOf } from './lambda-roles.ts'

const groupsTable = arnOf('GroupsTable')
const imagesTable = arnOf('ImagesTable')
/** Every image found by its id alone (get, delete) goes through this index. */
const imagesById = allow(['dynamodb:Query'], indexArnOf('ImagesTable', imageIdIndexName))

/**
 * What each REST function's use case calls (src/core/groups, src/core/images) through the DynamoDB
 * and S3 adapters, and nothing more: reading functions cannot write, and no function reaches a table
 * or bucket its route does not use.
 */
const httpApiGrants = {
  GetGroups: [allow(['dynamodb:Query'], indexArnOf('GroupsTable', groupsByTimeIndexName))],
  CreateGroup: [allow(['dynamodb:PutItem'], groupsTable)],
  GetGroup: [allow(['dynamodb:GetItem'], groupsTable)],
  DeleteGroup: [
    // Read the group, delete it, and put it back as it was if an image arrived meanwhile.
    allow(['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem'], groupsTable),
    // Whether the group holds an image: a consistent Query on the table, before and after the delete.
    allow(['dynamodb:Query'], imagesTable),
  ],
  GetGroupImages: [allow(['dynamodb:GetItem'], groupsTable), allow(['dynamodb:Query'], imagesTable)],
  CreateImage: [
    allow(['dynamodb:GetItem'], groupsTable),
    // Store the image; delete it again if its group went away meanwhile.
    allow(['dynamodb:PutItem', 'dynamodb:DeleteItem'], imagesTable),
    // The function makes no S3 call, but S3 checks a presigned upload URL against the permissions of
    // the role that signed it, when the browser uses it.
    allow(['s3:PutObject'], objectsArnOf('ImagesBucket')),
  ],
  GetImage: [imagesById],
  DeleteImage: [
    imagesById,
    allow(['dynamodb:DeleteItem'], imagesTable),
    // The original and its thumbnail.
    allow(['s3:DeleteObject'], [objectsArnOf('ImagesBucket'), objectsArnOf('ThumbnailsBucket')]),
  ],
}

export const httpApiRoles = functionRoles(httpApiGrants)
export const httpApiRoleLogicalIds = roleLogicalIdsOf(httpApiGrants)
