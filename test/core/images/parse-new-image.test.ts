import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { IMAGE_CONTENT_TYPES, parseNewImage } from '#core/images/image.ts'
import { aNewImageBody } from '#test/builders/images.ts'

const invalid = (message: string) => ({ code: 'INVALID_INPUT', message })
const badContentType = invalid('contentType must be one of image/jpeg, image/png, image/webp, image/gif')

describe('parseNewImage', () => {
  it('returns exactly the title, description and contentType', () => {
    assert.deepEqual(
      parseNewImage(aNewImageBody({ title: 'Sunset', description: 'Red', contentType: 'image/png' })),
      {
        title: 'Sunset',
        description: 'Red',
        contentType: 'image/png',
      },
    )
  })

  it('treats description and contentType as optional, leaving contentType out entirely', () => {
    const image = parseNewImage({ title: 'Sunset' })

    assert.deepEqual(image, { title: 'Sunset', description: '' })
    assert.equal('contentType' in image, false)
  })

  for (const body of [null, ['title'], 'Sunset', 1]) {
    it(`rejects a body that is not an object: ${JSON.stringify(body)}`, () => {
      assert.throws(() => parseNewImage(body), invalid('request body must be a JSON object'))
    })
  }

  it('rejects unknown fields, naming them', () => {
    assert.throws(
      () => parseNewImage(aNewImageBody({ imageUrl: 'http://x' })),
      invalid('unknown field: imageUrl'),
    )
  })

  describe('title', () => {
    it('is required, a string, and not only whitespace', () => {
      assert.throws(
        () => parseNewImage(aNewImageBody({ title: undefined })),
        invalid('title must be a string'),
      )
      assert.throws(
        () => parseNewImage(aNewImageBody({ title: ['Sunset'] })),
        invalid('title must be a string'),
      )
      assert.throws(() => parseNewImage(aNewImageBody({ title: '' })), invalid('title must not be empty'))
      assert.throws(
        () => parseNewImage(aNewImageBody({ title: '\t \n' })),
        invalid('title must not be empty'),
      )
    })

    it('may be up to 200 characters, counted as characters', () => {
      assert.equal(parseNewImage(aNewImageBody({ title: '🌅'.repeat(200) })).title, '🌅'.repeat(200))
      assert.throws(
        () => parseNewImage(aNewImageBody({ title: 't'.repeat(201) })),
        invalid('title must be at most 200 characters'),
      )
    })
  })

  describe('description', () => {
    it('must be a string of at most 1000 characters when given', () => {
      assert.equal(parseNewImage(aNewImageBody({ description: 'd'.repeat(1000) })).description.length, 1000)
      assert.throws(
        () => parseNewImage(aNewImageBody({ description: 'd'.repeat(1001) })),
        invalid('description must be at most 1000 characters'),
      )
      assert.throws(
        () => parseNewImage(aNewImageBody({ description: null })),
        invalid('description must be a string'),
      )
    })
  })

  describe('contentType', () => {
    for (const contentType of IMAGE_CONTENT_TYPES) {
      it(`accepts ${contentType}`, () => {
        assert.equal(parseNewImage(aNewImageBody({ contentType })).contentType, contentType)
      })
    }

    for (const contentType of ['image/bmp', 'IMAGE/JPEG', 'image/jpeg ', 'text/html', '', null, 3]) {
      it(`rejects ${JSON.stringify(contentType)}`, () => {
        assert.throws(() => parseNewImage(aNewImageBody({ contentType })), badContentType)
      })
    }
  })
})
