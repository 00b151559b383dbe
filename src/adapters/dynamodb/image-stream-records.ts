import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import type { DynamoDBRecord } from 'aws-lambda'
import type { ImageChange } from '#core/search/image-change.ts'
import { imageFromItem, revisionOfItem } from './dynamodb-image-repository.ts'
import type { Item } from './item-fields.ts'

/**
 * Reads one record of the Images table's stream (view type NEW_AND_OLD_IMAGES) as a domain change.
 * INSERT and MODIFY carry the item as it now is; REMOVE has no NewImage (reading it there is the bug
 * that crashes a public version of this indexer), so the removal is built from the OldImage.
 * Throws, naming the record, when the record cannot be an image change: the stream handler then
 * reports that record as failed.
 */
export function imageChangeFromStreamRecord(record: DynamoDBRecord, tableName: string): ImageChange {
  const name = `stream record ${record.dynamodb?.SequenceNumber ?? record.eventID ?? '(no id)'}`
  const stream = record.dynamodb
  if (stream === undefined) throw new Error(`${name} has no dynamodb section`)
  switch (record.eventName) {
    case 'INSERT':
    case 'MODIFY': {
      if (stream.NewImage === undefined) {
        throw new Error(`${name} has no NewImage: the stream must be NEW_IMAGE or NEW_AND_OLD_IMAGES`)
      }
      const item = itemOf(stream.NewImage)
      return { kind: 'upsert', image: imageFromItem(item, tableName), revision: revisionOfItem(item, name) }
    }
    case 'REMOVE': {
      if (stream.OldImage === undefined) {
        throw new Error(`${name} has no OldImage: the stream must be OLD_IMAGE or NEW_AND_OLD_IMAGES`)
      }
      const item = itemOf(stream.OldImage)
      const imageId = item.imageId
      if (typeof imageId !== 'string') throw new Error(`${name} removes an item without an imageId`)
      // The deletion is newer than every write of the item it deleted.
      return { kind: 'remove', imageId, revision: revisionOfItem(item, name) + 1 }
    }
    default:
      throw new Error(`${name} has an unknown eventName ${JSON.stringify(record.eventName)}`)
  }
}

function itemOf(image: Record<string, unknown>): Item {
  // aws-lambda's AttributeValue and the SDK's are the same DynamoDB JSON, typed separately.
  return unmarshall(image as Record<string, AttributeValue>, { wrapNumbers: false })
}
