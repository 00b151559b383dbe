import type { Thumbnail, ThumbnailRenderer } from '#core/ports/image-files.ts'

/** Recognises formats by their magic numbers, as a codec would, and "renders" a marker thumbnail. */
export class MagicNumberRenderer implements ThumbnailRenderer {
  renders = 0

  async formatOf(bytes: Uint8Array): Promise<string | undefined> {
    const start = [...bytes.subarray(0, 4)]
    if (start[0] === 0xff && start[1] === 0xd8 && start[2] === 0xff) return 'jpeg'
    if (start.join() === [0x89, 0x50, 0x4e, 0x47].join()) return 'png'
    if (String.fromCharCode(...start.slice(0, 3)) === 'GIF') return 'gif'
    if (String.fromCharCode(...start.slice(0, 2)) === 'BM') return 'bmp'
    return undefined
  }

  async render(_bytes: Uint8Array, width: number): Promise<Thumbnail> {
    this.renders++
    return {
      bytes: new TextEncoder().encode(`thumbnail ${width}`),
      contentType: 'image/webp',
      width,
      height: width,
    }
  }
}

export const JPEG_BYTES = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])
export const PNG_BYTES = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])
export const BMP_BYTES = new TextEncoder().encode('BM fake bitmap')
export const TEXT_BYTES = new TextEncoder().encode('hello, not an image')
