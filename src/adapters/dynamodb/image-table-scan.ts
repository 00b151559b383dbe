import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb'
import type { Image } from '#core/images/image.ts'
import { imageFromItem, revisionOfItem } from './dynamodb-image-repository.ts'

export interface ImageWithRevision {
  image: Image
  revision: number
}

/**
 * Every image of the Images table with its revision, a page at a time: the source of a search index
 * rebuild. A Scan reads the whole table, so this is for rebuilds, never for serving requests. An item
 * that is not a readable image (written by hand, say) is passed to `onUnreadable` and skipped, so one
 * bad item cannot stop a rebuild.
 */
export async function* scanImagesWithRevisions(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: { pageSize?: number; onUnreadable?: (error: Error) => void } = {},
): AsyncGenerator<ImageWithRevision[]> {
  const pageSize = options.pageSize ?? 500
  for await (const page of paginateScan({ client, pageSize }, { TableName: tableName, Limit: pageSize })) {
    const images: ImageWithRevision[] = []
    for (const item of page.Items ?? []) {
      try {
        images.push({
          image: imageFromItem(item, tableName),
          revision: revisionOfItem(item, `image item ${JSON.stringify(item.imageId)} in ${tableName}`),
        })
      } catch (error) {
        options.onUnreadable?.(error instanceof Error ? error : new Error(String(error)))
      }
    }
    yield images
  }
}
