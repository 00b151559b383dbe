import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb'
import type { Image } from '#core/images/image.ts'
import { imageFromItem } from './dynamodb-image-repository.ts'

export interface ImageWithRevision {
  image: Image
  revision: number
}

/**
 * Every image of the Images table with its revision, a page at a time: the source of a search index
 * rebuild. A Scan reads the whole table, so this is for rebuilds, never for serving requests.
 */
export async function* scanImagesWithRevisions(
  client: DynamoDBDocumentClient,
  tableName: string,
  pageSize = 500,
): AsyncGenerator<ImageWithRevision[]> {
  for await (const page of paginateScan({ client, pageSize }, { TableName: tableName, Limit: pageSize })) {
    yield (page.Items ?? []).map((item) => ({
      image: imageFromItem(item, tableName),
      revision: typeof item.revision === 'number' ? item.revision : 0,
    }))
  }
}
