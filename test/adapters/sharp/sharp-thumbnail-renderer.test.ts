import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import sharp from 'sharp'
import { SharpThumbnailRenderer } from '#adapters/sharp/sharp-thumbnail-renderer.ts'

const renderer = new SharpThumbnailRenderer()

function picture(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 20 } } })
}

describe('SharpThumbnailRenderer', () => {
  it('tells the real format of the bytes, whatever they claim to be', async () => {
    assert.equal(await renderer.formatOf(await picture(20, 10).jpeg().toBuffer()), 'jpeg')
    assert.equal(await renderer.formatOf(await picture(20, 10).png().toBuffer()), 'png')
    assert.equal(await renderer.formatOf(await picture(20, 10).gif().toBuffer()), 'gif')
    assert.equal(await renderer.formatOf(new TextEncoder().encode('<html>not an image</html>')), undefined)
    const truncated = (await picture(400, 300).jpeg().toBuffer()).subarray(0, 200)
    assert.equal(await renderer.formatOf(new Uint8Array(0)), undefined)
    await assert.rejects(renderer.render(truncated, 150))
  })

  it('renders a WebP thumbnail 150 px wide, keeping the aspect ratio', async () => {
    const thumbnail = await renderer.render(await picture(1200, 800).jpeg().toBuffer(), 150)

    assert.equal(thumbnail.contentType, 'image/webp')
    assert.deepEqual([thumbnail.width, thumbnail.height], [150, 100])
    const metadata = await sharp(thumbnail.bytes).metadata()
    assert.deepEqual([metadata.format, metadata.width, metadata.height], ['webp', 150, 100])
  })

  it('does not enlarge an image narrower than the thumbnail', async () => {
    const thumbnail = await renderer.render(await picture(80, 40).png().toBuffer(), 150)
    assert.deepEqual([thumbnail.width, thumbnail.height], [80, 40])
  })
})
