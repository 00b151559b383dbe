import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb'
import type { Item } from './item-fields.ts'

export type NewestFirstQuery = Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey' | 'ScanIndexForward'>

/**
 * Reads up to `limit` items newest first, plus one look-ahead item, so the caller knows whether more
 * follow: a LastEvaluatedKey alone does not tell (DynamoDB returns one when the page ends exactly at the
 * last item). Repeats the query if DynamoDB stops early at its 1 MB response cap.
 */
export async function queryNewestFirst(
  client: DynamoDBDocumentClient,
  query: NewestFirstQuery,
  limit: number,
  startKey: Item | undefined,
): Promise<{ items: Item[]; more: boolean }> {
  const items: Item[] = []
  let exclusiveStartKey = startKey
  do {
    const output = await client.send(
      new QueryCommand({
        ...query,
        ScanIndexForward: false,
        Limit: limit + 1 - items.length,
        ExclusiveStartKey: exclusiveStartKey,
      }),
    )
    items.push(...(output.Items ?? []))
    exclusiveStartKey = output.LastEvaluatedKey
  } while (items.length <= limit && exclusiveStartKey !== undefined)
  return { items: items.slice(0, limit), more: items.length > limit }
}
