import type { Image } from '../images/image.ts'

/**
 * A change to an image record, as the Images table's stream reports it, already read into the
 * domain's terms by the stream adapter. `revision` is the item's revision (see SearchDocument); for a
 * removal it is one more than the revision of the item that was deleted.
 */
export type ImageChange =
  | { kind: 'upsert'; image: Image; revision: number }
  | { kind: 'remove'; imageId: string; revision: number }
