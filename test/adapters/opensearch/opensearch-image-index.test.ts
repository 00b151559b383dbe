import assert from 'node:assert/strict'
import { after, beforeEach, describe, it } from 'node:test'
import { Client } from '@opensearch-project/opensearch'
import { IMAGE_INDEX_DEFINITION } from '#adapters/opensearch/image-index-definition.ts'
import {
  createSignedOpenSearchClient,
  OpenSearchImageIndex,
} from '#adapters/opensearch/opensearch-image-index.ts'
import type { IndexOperation, SearchQuery } from '#core/ports/search-index.ts'
import { encodeSearchCursor } from '#core/search/search-cursor.ts'
import { InvalidInputError } from '#core/shared/errors.ts'
import { anImage } from '#test/builders/images.ts'
import { recordedOpenSearch } from './recorded-opensearch.ts'

const server = await recordedOpenSearch()
after(() => server.close())

function newIndex(): OpenSearchImageIndex {
  return new OpenSearchImageIndex({
    client: new Client({ node: server.url, maxRetries: 0 }),
    indexName: 'images',
  })
}

beforeEach(() => {
  server.requests.length = 0
  assert.equal(server.pending, 0, 'the previous test left replies unused')
})

const sunset = anImage({
  imageId: 'img-sunset',
  groupId: 'grp-beach',
  title: 'Golden sunset',
  description: 'Bay',
})
const upsert = (imageId: string, revision: number): IndexOperation => ({
  kind: 'upsert',
  document: { image: { ...sunset, imageId }, groupName: 'Beach', revision },
})
const remove = (imageId: string, revision: number): IndexOperation => ({ kind: 'remove', imageId, revision })

/** The NDJSON lines of a bulk body, parsed. */
function ndjson(body: string): unknown[] {
  assert.ok(body.endsWith('\n'), 'a bulk body ends with a newline')
  return body
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line))
}

describe('OpenSearchImageIndex', () => {
  describe('apply', () => {
    it('creates the index with its mapping, then sends every operation in one _bulk request', async () => {
      const index = newIndex()
      server.reply({ status: 200, fixture: 'create-index.json' }, { status: 200, fixture: 'bulk-mixed.json' })

      const results = await index.apply([
        upsert('img-sunset', 3),
        upsert('img-older', 2),
        remove('img-never', 5),
        upsert('img-strict', 1),
        remove('img-deleted', 7),
        upsert('img-renamed', 4),
        remove('img-newer', 6),
      ])

      const [create, bulk] = server.requests
      assert.equal(server.requests.length, 2)
      assert.deepEqual(
        { method: create?.method, path: create?.path, query: create?.query },
        {
          method: 'PUT',
          path: '/images',
          query: {},
        },
      )
      assert.equal(create?.headers['content-type'], 'application/json')
      assert.deepEqual(JSON.parse(create?.body ?? ''), IMAGE_INDEX_DEFINITION)
      assert.deepEqual(
        { method: bulk?.method, path: bulk?.path, query: bulk?.query },
        {
          method: 'PUT',
          path: '/images/_bulk',
          query: {},
        },
      )
      assert.equal(bulk?.headers['content-type'], 'application/x-ndjson')
      const source = (imageId: string) => ({
        imageId,
        groupId: 'grp-beach',
        title: 'Golden sunset',
        groupName: 'Beach',
        description: 'Bay',
        image: { ...sunset, imageId },
      })
      const indexLine = (_id: string, version: number) => ({
        index: { _id, version, version_type: 'external_gte' },
      })
      const deleteLine = (_id: string, version: number) => ({
        delete: { _id, version, version_type: 'external_gte' },
      })
      assert.deepEqual(ndjson(bulk?.body ?? ''), [
        indexLine('img-sunset', 3),
        source('img-sunset'),
        indexLine('img-older', 2),
        source('img-older'),
        deleteLine('img-never', 5),
        indexLine('img-strict', 1),
        source('img-strict'),
        deleteLine('img-deleted', 7),
        indexLine('img-renamed', 4),
        source('img-renamed'),
        deleteLine('img-newer', 6),
      ])
      assert.deepEqual(results, [
        { ok: true },
        { ok: true },
        { ok: true },
        {
          ok: false,
          error:
            'OpenSearch refused to index img-strict (400): strict_dynamic_mapping_exception: mapping set to ' +
            'strict, dynamic introduction of [camera] within [_doc] is not allowed',
        },
        { ok: true },
        { ok: true },
        { ok: true },
      ])
    })

    it('creates the index only once per instance, even for concurrent calls', async () => {
      const index = newIndex()
      server.reply(
        { status: 200, fixture: 'create-index.json' },
        { status: 200, fixture: 'bulk-created.json' },
        { status: 200, fixture: 'bulk-created.json' },
        { status: 200, fixture: 'bulk-created.json' },
      )

      await Promise.all([index.apply([upsert('img-sunset', 3)]), index.apply([upsert('img-sunset', 3)])])
      await index.apply([upsert('img-sunset', 3)])

      assert.deepEqual(
        server.requests.map(({ method, path }) => `${method} ${path}`),
        ['PUT /images', 'PUT /images/_bulk', 'PUT /images/_bulk', 'PUT /images/_bulk'],
      )
    })

    it('goes on when another instance created the index first', async () => {
      const index = newIndex()
      server.reply(
        { status: 400, fixture: 'index-already-exists.json' },
        { status: 200, fixture: 'bulk-created.json' },
      )

      assert.deepEqual(await index.apply([upsert('img-sunset', 3)]), [{ ok: true }])
      assert.equal(server.requests.length, 2)
    })

    it('fails the whole call when the index cannot be created, and tries again next time', async () => {
      const index = newIndex()
      server.reply({ status: 403, fixture: 'access-denied.json' })

      await assert.rejects(index.apply([upsert('img-sunset', 3)]), (error: Error) => {
        assert.match(error.message, /^OpenSearch index creation \(images\) failed \(403\): /)
        return true
      })
      assert.equal(server.requests.length, 1, 'no _bulk without an index')

      server.reply(
        { status: 200, fixture: 'create-index.json' },
        { status: 200, fixture: 'bulk-created.json' },
      )
      assert.deepEqual(await index.apply([upsert('img-sunset', 3)]), [{ ok: true }])
      assert.equal(server.requests[1]?.path, '/images')
    })

    it('fails the whole call when OpenSearch refuses the _bulk request', async () => {
      const index = newIndex()
      server.reply(
        { status: 200, fixture: 'create-index.json' },
        { status: 403, fixture: 'access-denied.json' },
      )

      await assert.rejects(index.apply([upsert('img-sunset', 3)]), /^Error: OpenSearch _bulk failed \(403\)/)
    })

    it('sends nothing for no operations, or only invalid ones', async () => {
      const index = newIndex()

      assert.deepEqual(await index.apply([]), [])
      assert.deepEqual(await index.apply([upsert('img-sunset', -1), remove('', 1)]), [
        { ok: false, error: 'revision of img-sunset must be a non-negative integer, not -1' },
        { ok: false, error: 'imageId must be 1 to 512 bytes' },
      ])
      assert.equal(server.requests.length, 0)
    })

    it('reports an invalid operation in its place and sends the others', async () => {
      const index = newIndex()
      server.reply(
        { status: 200, fixture: 'create-index.json' },
        { status: 200, fixture: 'bulk-created.json' },
      )

      const results = await index.apply([upsert('img-x', 1.5), upsert('img-sunset', 3)])

      assert.deepEqual(results, [
        { ok: false, error: 'revision of img-x must be a non-negative integer, not 1.5' },
        { ok: true },
      ])
      assert.equal(ndjson(server.requests[1]?.body ?? '').length, 2)
    })

    for (const [problem, json, message] of [
      ['too few items', '{"took":1,"errors":false,"items":[]}', '0 items for 1 operations'],
      ['not JSON items', '{"took":1,"errors":false}', 'items is not an array'],
      [
        'another document',
        '{"took":1,"errors":false,"items":[{"index":{"_id":"img-other","status":201}}]}',
        'items[0] is about "img-other", not img-sunset',
      ],
      [
        'another action',
        '{"took":1,"errors":false,"items":[{"delete":{"_id":"img-sunset","status":200}}]}',
        'items[0] has no "index" result',
      ],
    ] as const) {
      it(`fails on a _bulk answer with ${problem}, naming it`, async () => {
        const index = newIndex()
        server.reply({ status: 200, fixture: 'create-index.json' }, { status: 200, json })

        await assert.rejects(index.apply([upsert('img-sunset', 3)]), {
          name: 'MalformedResponseError',
          message: `OpenSearch _bulk response: ${message}`,
        })
      })
    }
  })

  describe('search', () => {
    const query: SearchQuery = { text: 'Golden SUNST', limit: 2 }

    it('sends one fuzzy clause per term, a prefix for the last, sorted and highlighted', async () => {
      const index = newIndex()
      server.reply({ status: 200, fixture: 'search-page.json' })

      await index.search({ ...query, groupId: 'grp-beach' })

      const [request] = server.requests
      assert.deepEqual(
        { method: request?.method, path: request?.path, query: request?.query },
        {
          method: 'POST',
          path: '/images/_search',
          query: {},
        },
      )
      assert.equal(request?.headers['content-type'], 'application/json')
      const fields = ['title^3', 'groupName^2', 'description']
      const fuzzy = (term: string) => ({
        multi_match: {
          query: term,
          fields,
          type: 'most_fields',
          fuzziness: 'AUTO',
          fuzzy_transpositions: false,
        },
      })
      assert.deepEqual(JSON.parse(request?.body ?? ''), {
        size: 3,
        track_total_hits: true,
        _source: ['image'],
        query: {
          bool: {
            must: [
              fuzzy('golden'),
              {
                bool: {
                  should: [fuzzy('sunst'), { multi_match: { query: 'sunst', fields, type: 'bool_prefix' } }],
                },
              },
            ],
            filter: [{ term: { groupId: 'grp-beach' } }],
          },
        },
        sort: [{ _score: { order: 'desc' } }, { imageId: { order: 'asc' } }],
        highlight: {
          pre_tags: ['<mark>'],
          post_tags: ['</mark>'],
          encoder: 'html',
          number_of_fragments: 0,
          fields: { title: {}, description: {} },
        },
      })
    })

    it('asks for no prefix of a one-letter last term', async () => {
      const index = newIndex()
      server.reply({ status: 200, fixture: 'search-last-page.json' })

      await index.search({ text: 'sunset b', limit: 2 })

      const { must } = JSON.parse(server.requests[0]?.body ?? '').query.bool
      assert.deepEqual(
        must.map((clause: { multi_match?: { query: string } }) => clause.multi_match?.query),
        ['sunset', 'b'],
      )
    })

    it('reads the hits, their scores and highlights, the total and a cursor to the next page', async () => {
      const index = newIndex()
      server.reply({ status: 200, fixture: 'search-page.json' })

      const results = await index.search(query)

      assert.equal(results.total, 5)
      assert.deepEqual(
        results.hits.map(({ image, score, highlights }) => ({ imageId: image.imageId, score, highlights })),
        [
          {
            imageId: 'img-sunset',
            score: 7.1520376,
            highlights: { title: 'Golden <mark>sunset</mark> over the bay' },
          },
          {
            imageId: 'img-script',
            score: 5.0387936,
            highlights: {
              title: '&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2F;script&gt; <mark>Sunsets</mark>',
              description: '<mark>Sunsets</mark> &amp; fireworks',
            },
          },
        ],
      )
      assert.deepEqual(results.hits[0]?.image, {
        groupId: 'grp-beach',
        imageId: 'img-sunset',
        title: 'Golden sunset over the bay',
        description: 'Warm light on the water & the last ferry',
        userId: 'user-1',
        timestamp: '2026-01-01T10:00:00.000Z',
        imageUrl: 'https://images.example/img-sunset.jpg',
        contentType: 'image/jpeg',
        status: 'ready',
        thumbnailUrl: 'https://images.example/thumbnails/img-sunset.webp',
      })
      assert.equal(results.nextCursor, encodeSearchCursor(query, { score: 5.0387936, imageId: 'img-script' }))
    })

    it('asks for the page after the cursor, and gives no cursor after the last page', async () => {
      const index = newIndex()
      server.reply({ status: 200, fixture: 'search-last-page.json' })
      const cursor = encodeSearchCursor(query, { score: 5.0387936, imageId: 'img-script' })

      const results = await index.search({ ...query, cursor })

      assert.deepEqual(JSON.parse(server.requests[0]?.body ?? '').search_after, [5.0387936, 'img-script'])
      assert.deepEqual(
        results.hits.map((hit) => hit.image),
        [
          {
            groupId: 'grp-beach',
            imageId: 'img-sunst',
            title: 'Beach at dusk',
            description: '',
            userId: 'user-1',
            timestamp: '2026-01-03T10:00:00.000Z',
            imageUrl: 'https://images.example/img-sunst.jpg',
            contentType: 'image/png',
            status: 'failed',
            failureReason: 'not an image',
          },
        ],
      )
      assert.deepEqual(results.hits[0]?.highlights, {})
      assert.equal(results.total, 5)
      assert.equal(results.nextCursor, undefined)
    })

    it('rejects a cursor it did not issue without asking OpenSearch', async () => {
      const index = newIndex()
      const otherQuery = encodeSearchCursor({ text: 'beach', limit: 2 }, { score: 1, imageId: 'img-sunset' })

      for (const cursor of ['bm9wZQ', otherQuery]) {
        await assert.rejects(index.search({ ...query, cursor }), InvalidInputError)
      }
      assert.equal(server.requests.length, 0)
    })

    it('finds nothing, without asking, for a query of stop words only', async () => {
      assert.deepEqual(await newIndex().search({ text: 'the of', limit: 20 }), { hits: [], total: 0 })
      assert.equal(server.requests.length, 0)
    })

    it('finds nothing before the first write created the index', async () => {
      const index = newIndex()
      server.reply({ status: 404, fixture: 'index-not-found.json' })

      assert.deepEqual(await index.search(query), { hits: [], total: 0 })
    })

    it("fails with OpenSearch's own reason on an error response", async () => {
      const index = newIndex()
      server.reply({ status: 400, fixture: 'search-phase-error.json' })

      await assert.rejects(index.search(query), (error: Error) => {
        assert.match(error.message, /^OpenSearch _search failed \(400\): search_phase_execution_exception: /)
        assert.match(error.message, /query_shard_exception/)
        return true
      })
    })

    const hit = (override: Record<string, unknown>) =>
      JSON.stringify({
        hits: {
          total: { value: 1, relation: 'eq' },
          hits: [
            {
              _id: 'img-1',
              sort: [1.5, 'img-1'],
              _source: { image: { ...sunset, imageId: 'img-1' } },
              ...override,
            },
          ],
        },
      })
    for (const [problem, json, message] of [
      ['no hits object', '{"took":1}', 'hits is not an object'],
      ['no total', '{"hits":{"hits":[]}}', 'hits.total is not an object (is track_total_hits on?)'],
      ['a negative total', '{"hits":{"total":{"value":-1},"hits":[]}}', 'hits.total.value is not a count'],
      ['a hit without sort values', hit({ sort: undefined }), 'hits.hits[0].sort is not [score, imageId]'],
      ['a string score', hit({ sort: ['1.5', 'img-1'] }), 'hits.hits[0].sort is not [score, imageId]'],
      ['a hit without _source', hit({ _source: undefined }), 'hits.hits[0]._source is not an object'],
      [
        'an image without a title',
        hit({ _source: { image: { ...sunset, imageId: 'img-1', title: undefined } } }),
        'hits.hits[0]._source.image has no text title',
      ],
      [
        'an image of unknown status',
        hit({ _source: { image: { ...sunset, imageId: 'img-1', status: 'lost' } } }),
        'hits.hits[0]._source.image has no known status',
      ],
      ['a sort value for another image', hit({ sort: [1.5, 'img-2'] }), 'hits.hits[0] mixes up image ids'],
      [
        'highlights in pieces',
        hit({ highlight: { title: ['a <mark>b</mark>', 'c'] } }),
        'hits.hits[0].highlight .title is not one fragment',
      ],
    ] as const) {
      it(`fails on a _search answer with ${problem}, naming it`, async () => {
        const index = newIndex()
        server.reply({ status: 200, json })

        await assert.rejects(index.search(query), {
          name: 'MalformedResponseError',
          message: `OpenSearch _search response: ${message}`,
        })
      })
    }
  })

  describe('createSignedOpenSearchClient', () => {
    it('signs requests with SigV4 for the es service, with the credentials it is given', async () => {
      const client = createSignedOpenSearchClient({
        node: server.url,
        region: 'eu-west-1',
        getCredentials: async () => ({
          accessKeyId: 'AKIDEXAMPLE',
          secretAccessKey: 'secret',
          sessionToken: 'session-token',
        }),
      })
      const index = new OpenSearchImageIndex({ client, indexName: 'images' })
      server.reply({ status: 200, fixture: 'search-page.json' })

      await index.search({ text: 'sunset', limit: 2 })

      const headers = server.requests[0]?.headers ?? {}
      assert.match(
        String(headers.authorization),
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
      )
      assert.equal(headers['x-amz-security-token'], 'session-token')
      assert.match(String(headers['x-amz-content-sha256']), /^[0-9a-f]{64}$/)
    })
  })
})
