import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { imageFromItem } from '#adapters/dynamodb/dynamodb-image-repository.ts'
import { FixedClock } from '#adapters/in-memory/clocks.ts'
import { InMemoryGroupRepository } from '#adapters/in-memory/in-memory-group-repository.ts'
import { InMemoryThumbnailStore } from '#adapters/in-memory/in-memory-image-files.ts'
import { InMemoryImageRepository } from '#adapters/in-memory/in-memory-image-repository.ts'
import { InMemoryImageStorage } from '#adapters/in-memory/in-memory-image-storage.ts'
import { SequentialIdGenerator } from '#adapters/in-memory/sequential-id-generator.ts'
import { imageUseCases } from '#core/images/image-use-cases.ts'
import { aGroup } from '#test/builders/groups.ts'
import { aNewImageBody } from '#test/builders/images.ts'

async function setUp() {
  const groups = new InMemoryGroupRepository()
  const images = new InMemoryImageRepository()
  await groups.add(aGroup({ id: 'beach' }))
  const useCases = imageUseCases({
    groups,
    images,
    storage: new InMemoryImageStorage(),
    thumbnails: new InMemoryThumbnailStore(),
    clock: new FixedClock('2026-03-01T10:00:00.000Z'),
    ids: new SequentialIdGenerator('image'),
    maxUploadBytes: 10_485_760,
  })
  return { images, useCases }
}

describe('the correlation id of an image', () => {
  it('is the one of the request that created it, stored with the image', async () => {
    const { images, useCases } = await setUp()

    const { image } = await useCases.createImage('beach', aNewImageBody(), 'user-7', {
      correlationId: 'request-42',
    })

    assert.equal(image.correlationId, 'request-42')
    assert.equal((await images.getById(image.imageId))?.correlationId, 'request-42')
  })

  it('is absent when the request named none', async () => {
    const { useCases } = await setUp()

    const { image } = await useCases.createImage('beach', aNewImageBody(), 'user-7')

    assert.equal('correlationId' in image, false)
  })

  it('is read from a stored item, and items written before it existed still read', () => {
    const item = {
      groupId: 'beach',
      imageId: 'image-1',
      title: 't',
      description: '',
      userId: 'user-7',
      timestamp: '2026-03-01T10:00:00.000Z',
      imageUrl: 'https://images.cdn.example/image-1',
      status: 'pending',
    }

    assert.equal(
      imageFromItem({ ...item, correlationId: 'request-42' }, 'Images').correlationId,
      'request-42',
    )
    assert.equal('correlationId' in imageFromItem(item, 'Images'), false)
    assert.throws(() => imageFromItem({ ...item, correlationId: 42 }, 'Images'), /correlationId/)
  })
})
