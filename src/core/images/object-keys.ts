/**
 * Where an image's bytes are kept, derived from its id alone: the upload URL, the upload processing and
 * the deletion all name the objects through these two functions, so a deletion cannot miss one.
 */

/** The uploaded original, in the images bucket. */
export function originalKeyOf(imageId: string): string {
  return imageId
}

/** The thumbnail, in the thumbnails bucket; WebP whatever the source: about a third of a JPEG's size. */
export function thumbnailKeyOf(imageId: string): string {
  return `${imageId}.webp`
}
