import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { IMAGE_CONTENT_TYPES, parseNewImage } from '#core/images/image.ts'
import { aNewImageBody } from '#test/builders/images.ts'

const invalid = (message: string) => ({ code: 'INVALID_INPUT', message })
const MAX_UPLOAD_BYTES = 10_485_760
const parse = (body: unknown) => parseNewImage(body, { maxUploadBytes: MAX_UPLOAD_BYTES })
const badContentLength = invalid('contentLength must be an integer from 1 to 10485760')
const badContentType = invalid('contentType must be one of image/jpeg, image/png, image/webp, image/gif')

describe('parseNewImage', () => {
  it('returns exactly the title, description, contentType and contentLength', () => {
    assert.deepEqual(
      parse(
        aNewImageBody({ title: 'Sunset', description: 'Red', contentType: 'image/png', contentLength: 512 }),
      ),
      {
        title: 'Sunset',
        description: 'Red',
        contentType: 'image/png',
        contentLength: 512,
      },
    )
  })

  it('treats description and contentType as optional, leaving contentType out entirely', () => {
    const image = parse({ title: 'Sunset', contentLength: 1 })

    assert.deepEqual(image, { title: 'Sunset', description: '', contentLength: 1 })
    assert.equal('contentType' in image, false)
  })

  for (const body of [null, ['title'], 'Sunset', 1]) {
    it(`rejects a body that is not an object: ${JSON.stringify(body)}`, () => {
      assert.throws(() => parse(body), invalid('request body must be a JSON object'))
    })
  }

  it('rejects unknown fields, naming them', () => {
    assert.throws(() => parse(aNewImageBody({ imageUrl: 'http://x' })), invalid('unknown field: imageUrl'))
  })

  describe('title', () => {
    it('is required, a string, and not only whitespace', () => {
      assert.throws(() => parse(aNewImageBody({ title: undefined })), invalid('title must be a string'))
      assert.throws(() => parse(aNewImageBody({ title: ['Sunset'] })), invalid('title must be a string'))
      assert.throws(() => parse(aNewImageBody({ title: '' })), invalid('title must not be empty'))
      assert.throws(() => parse(aNewImageBody({ title: '\t \n' })), invalid('title must not be empty'))
    })

    it('may be up to 200 characters, counted as characters', () => {
      assert.equal(parse(aNewImageBody({ title: '🌅'.repeat(200) })).title, '🌅'.repeat(200))
      assert.throws(
        () => parse(aNewImageBody({ title: 't'.repeat(201) })),
        invalid('title must be at most 200 characters'),
      )
    })
  })

  describe('description', () => {
    it('must be a string of at most 1000 characters when given', () => {
      assert.equal(parse(aNewImageBody({ description: 'd'.repeat(1000) })).description.length, 1000)
      assert.throws(
        () => parse(aNewImageBody({ description: 'd'.repeat(1001) })),
        invalid('description must be at most 1000 characters'),
      )
      assert.throws(
        () => parse(aNewImageBody({ description: null })),
        invalid('description must be a string'),
      )
    })
  })

  describe('contentType', () => {
    for (const contentType of IMAGE_CONTENT_TYPES) {
      it(`accepts ${contentType}`, () => {
        assert.equal(parse(aNewImageBody({ contentType })).contentType, contentType)
      })
    }

    for (const contentType of ['image/bmp', 'IMAGE/JPEG', 'image/jpeg ', 'text/html', '', null, 3]) {
      it(`rejects ${JSON.stringify(contentType)}`, () => {
        assert.throws(() => parse(aNewImageBody({ contentType })), badContentType)
      })
    }
  })

  describe('contentLength', () => {
    it('is required', () => {
      assert.throws(() => parse(aNewImageBody({ contentLength: undefined })), badContentLength)
    })

    it('accepts 1 byte up to the configured limit', () => {
      assert.equal(parse(aNewImageBody({ contentLength: 1 })).contentLength, 1)
      assert.equal(parse(aNewImageBody({ contentLength: MAX_UPLOAD_BYTES })).contentLength, MAX_UPLOAD_BYTES)
    })

    for (const contentLength of [
      0,
      -1,
      MAX_UPLOAD_BYTES + 1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '1024',
      null,
    ]) {
      it(`rejects ${String(contentLength)} (${typeof contentLength})`, () => {
        assert.throws(() => parse(aNewImageBody({ contentLength })), badContentLength)
      })
    }

    it('names the limit it was given', () => {
      assert.throws(
        () => parseNewImage(aNewImageBody({ contentLength: 101 }), { maxUploadBytes: 100 }),
        invalid('contentLength must be an integer from 1 to 100'),
      )
    })
  })
})
