import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { DynamoDbImageRepository } from '#adapters/dynamodb/dynamodb-image-repository.ts'
import { encodeCursor } from '#adapters/shared/cursor.ts'
import { InvalidInputError } from '#core/shared/errors.ts'
import { createTablesFromResources } from '#local/dynamodb/create-tables.ts'
import { anImage } from '#test/builders/images.ts'
import {
  type LocalDynamoDbClients,
  startInMemoryDynamoDb,
  uniqueTableName,
} from '#test/builders/local-dynamodb.ts'
import { IMAGE_ID_INDEX, imagesTableResource } from '#test/builders/table-definitions.ts'
import { imageRepositoryContract } from '#test/contracts/image-repository.contract.ts'

describe('DynamoDbImageRepository on dynalite', () => {
  let local: LocalDynamoDbClients
  before(async () => {
    local = await startInMemoryDynamoDb()
  })
  after(() => local.close())

  async function freshRepository(): Promise<{ images: DynamoDbImageRepository; tableName: string }> {
    const tableName = uniqueTableName('images')
    await createTablesFromResources(local.client, [imagesTableResource(tableName)])
    const images = new DynamoDbImageRepository({
      client: local.documentClient,
      tableName,
      imageIdIndexName: IMAGE_ID_INDEX,
    })
    return { images, tableName }
  }

  imageRepositoryContract(async () => (await freshRepository()).images)

  it('stores exactly the image fields and revision 1, with no contentType attribute when there is none', async () => {
    const { images, tableName } = await freshRepository()
    const { contentType: _, ...image } = anImage()

    await images.add(image)

    const { Item } = await local.documentClient.send(
      new GetCommand({ TableName: tableName, Key: { groupId: image.groupId, timestamp: image.timestamp } }),
    )
    assert.deepEqual(Item, { ...image, revision: 1 })
  })

  it('bumps the revision when an image settles, and not when a late outcome changes nothing', async () => {
    const { images, tableName } = await freshRepository()
    const image = anImage()
    await images.add(image)
    const key = { groupId: image.groupId, timestamp: image.timestamp }

    await images.settle(key, { status: 'ready', thumbnailUrl: 'https://thumbs/x.webp' })
    await images.settle(key, { status: 'failed', reason: 'late' })

    const { Item } = await local.documentClient.send(new GetCommand({ TableName: tableName, Key: key }))
    assert.equal(Item?.revision, 2)
  })

  it('counts revisions from 0 for items written before revisions existed', async () => {
    const { images, tableName } = await freshRepository()
    const image = anImage()
    await local.documentClient.send(new PutCommand({ TableName: tableName, Item: { ...image } }))

    await images.settle(image, { status: 'failed', reason: 'not an image' })

    const { Item } = await local.documentClient.send(
      new GetCommand({ TableName: tableName, Key: { groupId: image.groupId, timestamp: image.timestamp } }),
    )
    assert.equal(Item?.revision, 1)
  })

  it('rejects a well-formed key of another group or shape', async () => {
    const { images } = await freshRepository()
    await images.add(anImage({ groupId: 'mine' }))
    const otherGroup = encodeCursor({ groupId: 'theirs', timestamp: '2026-01-01T00:00:00.000Z' })
    const groupKey = encodeCursor({ id: 'mine', kind: 'group', timestamp: '2026-01-01T00:00:00.000Z' })

    for (const nextKey of [otherGroup, groupKey]) {
      await assert.rejects(images.listByGroupNewestFirst('mine', { limit: 5, nextKey }), InvalidInputError)
    }
  })

  it('fails loudly, naming the item, when a stored image is malformed', async () => {
    const { images, tableName } = await freshRepository()
    const valid = anImage({ imageId: 'odd', groupId: 'g' })
    await local.documentClient.send(
      new PutCommand({ TableName: tableName, Item: { ...valid, contentType: 'text/html' } }),
    )
    await local.documentClient.send(
      new PutCommand({ TableName: tableName, Item: { groupId: 'g', timestamp: '1999', imageId: 'bare' } }),
    )

    await assert.rejects(
      images.getById('odd'),
      /image item "odd" in images-.* has an unknown contentType "text\/html"/,
    )
    await assert.rejects(images.getById('bare'), /image item "bare" in images-.* has no string "title"/)
  })
})
