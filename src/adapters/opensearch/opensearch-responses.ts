import { IMAGE_CONTENT_TYPES, IMAGE_STATUSES, type Image } from '#core/images/image.ts'
import type { IndexOperationResult, SearchHighlights, SearchHit } from '#core/ports/search-index.ts'
import type { SearchPosition } from '#core/search/search-cursor.ts'

/**
 * Readers of OpenSearch's answers. They trust nothing about the shape: a field that is missing or of
 * the wrong type is an error naming the field, never a hit or a result made up of `undefined`s.
 */

export class MalformedResponseError extends Error {
  constructor(what: string, problem: string) {
    super(`OpenSearch ${what} response: ${problem}`)
    this.name = 'MalformedResponseError'
  }
}

/** What the adapter sent for one bulk item, to check the answer against. */
export interface SentBulkItem {
  action: 'index' | 'delete'
  id: string
}

/**
 * One result per sent item, in order. A version conflict means the index already holds this
 * revision of the image or a newer one: the change is older than what it would replace, so it is
 * skipped, as the port wants. A deletion of an image the index never had is done already.
 */
export function readBulkResults(body: unknown, sent: readonly SentBulkItem[]): IndexOperationResult[] {
  const bad = (problem: string) => new MalformedResponseError('_bulk', problem)
  const items = record(body, () => bad('the body is not an object')).items
  if (!Array.isArray(items)) throw bad('items is not an array')
  if (items.length !== sent.length) throw bad(`${items.length} items for ${sent.length} operations`)
  return sent.map((expected, position): IndexOperationResult => {
    const where = `items[${position}]`
    const item = record(items[position], () => bad(`${where} is not an object`))
    const outcome = record(item[expected.action], () => bad(`${where} has no "${expected.action}" result`))
    const { status, _id: id } = outcome
    if (id !== expected.id) throw bad(`${where} is about ${JSON.stringify(id)}, not ${expected.id}`)
    if (typeof status !== 'number') throw bad(`${where}.${expected.action}.status is not a number`)
    if (status >= 200 && status < 300) return { ok: true }
    const error =
      outcome.error === undefined
        ? undefined
        : record(outcome.error, () => bad(`${where}.${expected.action}.error is not an object`))
    if (status === 409 && error?.type === 'version_conflict_engine_exception') return { ok: true }
    if (expected.action === 'delete' && status === 404 && outcome.result === 'not_found') return { ok: true }
    const reason = error === undefined ? 'no reason given' : `${String(error.type)}: ${String(error.reason)}`
    return {
      ok: false,
      error: `OpenSearch refused to ${expected.action} ${expected.id} (${status}): ${reason}`,
    }
  })
}

export interface SearchPage {
  hits: Array<SearchHit & { position: SearchPosition }>
  total: number
}

/** The hits (with their sort values, for `search_after`) and the total of a `_search` answer. */
export function readSearchPage(body: unknown): SearchPage {
  const bad = (problem: string) => new MalformedResponseError('_search', problem)
  const hits = record(record(body, () => bad('the body is not an object')).hits, () =>
    bad('hits is not an object'),
  )
  const total = record(hits.total, () => bad('hits.total is not an object (is track_total_hits on?)')).value
  if (!isCount(total)) throw bad('hits.total.value is not a count')
  if (!Array.isArray(hits.hits)) throw bad('hits.hits is not an array')
  return {
    total,
    hits: hits.hits.map((value: unknown, position) => {
      const where = `hits.hits[${position}]`
      const hit = record(value, () => bad(`${where} is not an object`))
      const [score, imageId, ...rest] = Array.isArray(hit.sort) ? (hit.sort as unknown[]) : []
      if (typeof score !== 'number' || typeof imageId !== 'string' || rest.length > 0) {
        throw bad(`${where}.sort is not [score, imageId]`)
      }
      const source = record(hit._source, () => bad(`${where}._source is not an object`))
      const image = readImage(source.image, (problem) => bad(`${where}._source.image ${problem}`))
      if (image.imageId !== imageId || hit._id !== imageId) throw bad(`${where} mixes up image ids`)
      return {
        image,
        score,
        highlights: readHighlights(hit.highlight, (problem) => bad(`${where}.highlight ${problem}`)),
        position: { score, imageId },
      }
    }),
  }
}

/** The OpenSearch error type of a failed request's body (`{ error: { type } }`), if it has one. */
export function errorTypeOf(body: unknown): string | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined
  return typeof body.error.type === 'string' ? body.error.type : undefined
}

function readHighlights(value: unknown, bad: (problem: string) => Error): SearchHighlights {
  const highlights: SearchHighlights = {}
  if (value === undefined) return highlights
  const fields = record(value, () => bad('is not an object'))
  for (const field of ['title', 'description'] as const) {
    const fragments = fields[field]
    if (fragments === undefined) continue
    // number_of_fragments: 0 asks for the whole field as one fragment.
    if (!Array.isArray(fragments) || typeof fragments[0] !== 'string' || fragments.length !== 1) {
      throw bad(`.${field} is not one fragment`)
    }
    highlights[field] = fragments[0]
  }
  return highlights
}

/** The stored image, field by field. */
function readImage(value: unknown, bad: (problem: string) => Error): Image {
  const source = record(value, () => bad('is not an object'))
  const text = (field: string): string => {
    const fieldValue = source[field]
    if (typeof fieldValue !== 'string') throw bad(`has no text ${field}`)
    return fieldValue
  }
  const status = IMAGE_STATUSES.find((known) => known === source.status)
  if (status === undefined) throw bad('has no known status')
  const image: Image = {
    groupId: text('groupId'),
    imageId: text('imageId'),
    title: text('title'),
    description: text('description'),
    userId: text('userId'),
    timestamp: text('timestamp'),
    imageUrl: text('imageUrl'),
    status,
  }
  if (source.contentType !== undefined) {
    const contentType = IMAGE_CONTENT_TYPES.find((known) => known === source.contentType)
    if (contentType === undefined) throw bad('has an unknown contentType')
    image.contentType = contentType
  }
  if (source.thumbnailUrl !== undefined) image.thumbnailUrl = text('thumbnailUrl')
  if (source.failureReason !== undefined) image.failureReason = text('failureReason')
  return image
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function record(value: unknown, failure: () => Error): Record<string, unknown> {
  if (!isRecord(value)) throw failure()
  return value
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}
