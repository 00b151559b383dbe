import type {
  AttributeMap,
  StreamEventName,
  StreamRecord,
  StreamViewType,
} from '../../streams/stream-source.ts'

/** One item changed by a successful write: what the capture knows, before a view type picks images. */
export interface ItemChange {
  eventName: StreamEventName
  /** The item before the write; absent for INSERT. */
  oldImage?: AttributeMap | undefined
  /** The item after the write; absent for REMOVE. */
  newImage?: AttributeMap | undefined
}

export interface RecordContext {
  viewType: StreamViewType
  keyNames: readonly string[]
  streamArn: string
  region: string
  sequenceNumber: string
  eventID: string
  /** Epoch milliseconds. */
  now: number
  /** DynamoDB's item size of a map of attributes (dynalite's `itemSize`). */
  itemSize: (item: AttributeMap) => number
}

export const VIEW_TYPES: readonly StreamViewType[] = [
  'KEYS_ONLY',
  'NEW_IMAGE',
  'OLD_IMAGE',
  'NEW_AND_OLD_IMAGES',
]

/** Sequence numbers are this many decimal digits, so that string order is numeric order. */
export const SEQUENCE_DIGITS = 21

export function formatSequenceNumber(sequence: number): string {
  return String(sequence).padStart(SEQUENCE_DIGITS, '0')
}

export function isViewType(value: unknown): value is StreamViewType {
  return typeof value === 'string' && (VIEW_TYPES as readonly string[]).includes(value)
}

/**
 * The record DynamoDB Streams writes for `change`, carrying the images its view type asks for.
 * SizeBytes is DynamoDB's item-size rule (attribute name lengths plus value sizes) summed over Keys
 * and the images the record carries: the part of a real record's size that depends on the data.
 */
export function toStreamRecord(change: ItemChange, context: RecordContext): StreamRecord {
  const { viewType } = context
  const keys = pickKeys(change.newImage ?? change.oldImage ?? {}, context.keyNames)
  const newImage = viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES' ? change.newImage : undefined
  const oldImage = viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES' ? change.oldImage : undefined
  let sizeBytes = context.itemSize(keys)
  if (newImage) sizeBytes += context.itemSize(newImage)
  if (oldImage) sizeBytes += context.itemSize(oldImage)
  // In the order Lambda shows them.
  const dynamodb: StreamRecord['dynamodb'] = {
    ApproximateCreationDateTime: Math.floor(context.now / 1000),
    Keys: keys,
    ...(newImage ? { NewImage: newImage } : {}),
    ...(oldImage ? { OldImage: oldImage } : {}),
    SequenceNumber: context.sequenceNumber,
    SizeBytes: sizeBytes,
    StreamViewType: viewType,
  }
  return {
    eventID: context.eventID,
    eventName: change.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: context.region,
    dynamodb,
    eventSourceARN: context.streamArn,
  }
}

function pickKeys(item: AttributeMap, keyNames: readonly string[]): AttributeMap {
  const keys: AttributeMap = {}
  for (const name of keyNames) {
    if (item[name] !== undefined) keys[name] = item[name]
  }
  return keys
}

/**
 * Whether two items hold the same attributes and values, so that an UpdateItem changed nothing
 * (DynamoDB writes no stream record then). Sets compare as sets: ADD and DELETE may reorder them.
 */
export function sameItem(a: AttributeMap, b: AttributeMap): boolean {
  const names = Object.keys(a)
  if (names.length !== Object.keys(b).length) return false
  return names.every((name) => Object.hasOwn(b, name) && sameValue(a[name], b[name]))
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((value, i) => sameValue(value, b[i]))
    )
  }
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  const [type] = Object.keys(left)
  if (type === undefined || Object.keys(left).length !== 1 || Object.keys(right).length !== 1) {
    return sameItem(left, right)
  }
  if (!Object.hasOwn(right, type)) return false
  if (type === 'SS' || type === 'NS' || type === 'BS') {
    return sameMembers(left[type], right[type])
  }
  if (type === 'M') return sameItem(left[type] as AttributeMap, right[type] as AttributeMap)
  return sameValue(left[type], right[type])
}

function sameMembers(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
  const members = new Set<unknown>(a)
  return b.every((member) => members.has(member))
}
