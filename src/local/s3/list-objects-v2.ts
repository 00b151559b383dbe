import { uriEncode } from './canonical-request.ts'
import { compareKeys, type ObjectMetadata } from './object-store.ts'
import type { OperationContext } from './operation-context.ts'
import { S3Error } from './s3-errors.ts'
import { queryValue } from './s3-request.ts'
import { S3_XML_NAMESPACE, XML_DECLARATION, xmlElement } from './xml.ts'

const MAX_KEYS_LIMIT = 1000

type ListItem = { kind: 'object'; object: ObjectMetadata } | { kind: 'prefix'; prefix: string }

/**
 * ListObjectsV2 (`GET /<bucket>?list-type=2`): prefix, delimiter (common prefixes), max-keys,
 * start-after, continuation-token and encoding-type=url, answered with S3's XML.
 */
export async function listObjectsV2(context: OperationContext): Promise<void> {
  const { request, response, store, bucket } = context
  const prefix = queryValue(request, 'prefix') ?? ''
  const delimiter = queryValue(request, 'delimiter') ?? ''
  const maxKeys = parseMaxKeys(queryValue(request, 'max-keys'))
  const continuationToken = queryValue(request, 'continuation-token')
  const startAfter = queryValue(request, 'start-after')
  const encodingType = queryValue(request, 'encoding-type')
  if (encodingType !== undefined && encodingType !== 'url') {
    throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', {
      details: { ArgumentName: 'encoding-type', ArgumentValue: encodingType },
    })
  }
  const resumeAfter = continuationToken === undefined ? startAfter : decodeToken(continuationToken)
  const encode = encodingType === 'url' ? encodeKey : (text: string) => text

  const items: ListItem[] = []
  let isTruncated = false
  for (const object of await store.list(bucket.name, prefix)) {
    const item = rollUp(object, prefix, delimiter)
    const position = item.kind === 'object' ? item.object.key : item.prefix
    if (resumeAfter !== undefined && compareKeys(position, resumeAfter) <= 0) continue
    const last = items.at(-1)
    if (item.kind === 'prefix' && last?.kind === 'prefix' && last.prefix === item.prefix) continue
    if (items.length === maxKeys) {
      isTruncated = maxKeys > 0
      break
    }
    items.push(item)
  }
  const lastItem = items.at(-1)
  const nextToken =
    isTruncated && lastItem !== undefined
      ? encodeToken(lastItem.kind === 'object' ? lastItem.object.key : lastItem.prefix)
      : undefined

  const body =
    `${XML_DECLARATION}\n<ListBucketResult xmlns="${S3_XML_NAMESPACE}">` +
    xmlElement('Name', bucket.name) +
    xmlElement('Prefix', encode(prefix)) +
    (delimiter === '' ? '' : xmlElement('Delimiter', encode(delimiter))) +
    xmlElement('StartAfter', startAfter === undefined ? undefined : encode(startAfter)) +
    xmlElement('ContinuationToken', continuationToken) +
    xmlElement('KeyCount', items.length) +
    xmlElement('MaxKeys', maxKeys) +
    xmlElement('EncodingType', encodingType) +
    xmlElement('IsTruncated', isTruncated) +
    xmlElement('NextContinuationToken', nextToken) +
    items.map((item) => renderItem(item, encode)).join('') +
    '</ListBucketResult>'
  response.writeHead(200, {
    'Content-Type': 'application/xml',
    'Content-Length': String(Buffer.byteLength(body)),
  })
  response.end(body)
}

/** With a delimiter, keys that contain it after the prefix are rolled up into one common prefix. */
function rollUp(object: ObjectMetadata, prefix: string, delimiter: string): ListItem {
  if (delimiter !== '') {
    const index = object.key.indexOf(delimiter, prefix.length)
    if (index !== -1) return { kind: 'prefix', prefix: object.key.slice(0, index + delimiter.length) }
  }
  return { kind: 'object', object }
}

function renderItem(item: ListItem, encode: (text: string) => string): string {
  if (item.kind === 'prefix')
    return `<CommonPrefixes>${xmlElement('Prefix', encode(item.prefix))}</CommonPrefixes>`
  const { object } = item
  return (
    '<Contents>' +
    xmlElement('Key', encode(object.key)) +
    xmlElement('LastModified', object.lastModified.toISOString()) +
    xmlElement('ETag', object.eTag) +
    (object.checksum === undefined
      ? ''
      : xmlElement('ChecksumAlgorithm', object.checksum.algorithm) +
        xmlElement('ChecksumType', 'FULL_OBJECT')) +
    xmlElement('Size', object.size) +
    xmlElement('StorageClass', 'STANDARD') +
    '</Contents>'
  )
}

function parseMaxKeys(text: string | undefined): number {
  if (text === undefined) return MAX_KEYS_LIMIT
  if (!/^\d{1,9}$/.test(text)) {
    throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', {
      details: { ArgumentName: 'max-keys', ArgumentValue: text },
    })
  }
  return Math.min(Number(text), MAX_KEYS_LIMIT)
}

/** The token is opaque to clients; here it is the last key or common prefix returned. */
function encodeToken(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url')
}

function decodeToken(token: string): string {
  const position = Buffer.from(token, 'base64url').toString('utf8')
  if (token === '' || encodeToken(position) !== token) {
    throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', {
      details: { ArgumentName: 'continuation-token' },
    })
  }
  return position
}

function encodeKey(key: string): string {
  return key.split('/').map(uriEncode).join('/')
}
