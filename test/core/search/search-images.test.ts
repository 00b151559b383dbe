import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvalidInputError } from '#core/shared/errors.ts'
import { FIXTURE_GROUPS } from '#test/fixtures/search-images.ts'
import { allPages, idsOf, imageById, indexedFixture } from './search-test-kit.ts'

const { search, fixture } = await indexedFixture()

describe('searchImages', () => {
  describe('matching', () => {
    it('finds an image by a word of its title and answers the API shape', async () => {
      const response = await search.searchImages({ q: 'pangolin' })

      assert.equal(response.total, 1)
      assert.equal(response.nextCursor, undefined)
      const [hit] = response.items
      assert.deepEqual(hit?.item, imageById(fixture, 'img-pangolin'))
      assert.ok(typeof hit?.score === 'number' && hit.score > 0)
      assert.deepEqual(hit?.highlights, { title: 'A <mark>pangolin</mark> crossing the track' })
    })

    it('finds an image by a word of its description', async () => {
      const response = await search.searchImages({ q: 'herring' })

      assert.deepEqual(idsOf(response), ['img-smorrebrod'])
      assert.deepEqual(response.items[0]?.highlights, {
        description: 'Rye bread, pickled <mark>herring</mark> and far too much dill.',
      })
    })

    it("finds images by their group's name, which their own text does not contain", async () => {
      const inSafariGroup = fixture.images.filter((image) => image.groupId === FIXTURE_GROUPS.safari)

      const response = await search.searchImages({ q: 'safari', limit: '50' })

      assert.equal(response.total, inSafariGroup.length)
      assert.deepEqual(new Set(idsOf(response)), new Set(inSafariGroup.map((image) => image.imageId)))
      assert.deepEqual(response.items[0]?.highlights, {}, 'group names are not highlighted')
    })

    it('ignores case, accents and letters written differently', async () => {
      const found = async (q: string) => idsOf(await search.searchImages({ q }))

      assert.deepEqual(await found('CREME BRULEE'), ['img-creme-brulee'])
      assert.deepEqual(await found('zurich limmat'), ['img-zurich'])
      assert.deepEqual(await found('smorrebrod kobenhavn'), ['img-smorrebrod'])
      assert.deepEqual(await found('strasse'), ['img-strasse'])
      assert.deepEqual(await found('Cre\u0300me'), ['img-creme-brulee'], 'a combining accent')
    })

    it('needs every word of the query, each in any field', async () => {
      assert.deepEqual(idsOf(await search.searchImages({ q: 'quokka' })).sort(), [
        'img-quokka-beach',
        'img-quokka-stars',
      ])
      // "tripod" is in one quokka's description, "quokka" in both titles.
      assert.deepEqual(idsOf(await search.searchImages({ q: 'quokka tripod' })), ['img-quokka-stars'])
      // "astronomy" is only the second one's group name.
      assert.deepEqual(idsOf(await search.searchImages({ q: 'astronomy quokka' })), ['img-quokka-stars'])
      assert.deepEqual(idsOf(await search.searchImages({ q: 'quokka pangolin' })), [])
    })

    it('leaves out stop words, so that they need not be in the image', async () => {
      const response = await search.searchImages({ q: 'a pangolin on the track' })

      assert.deepEqual(idsOf(response), ['img-pangolin'])
      assert.equal(
        response.items[0]?.highlights.title,
        'A <mark>pangolin</mark> crossing the <mark>track</mark>',
      )
    })

    it('finds nothing for a query made of stop words only', async () => {
      assert.deepEqual(await search.searchImages({ q: 'the and of' }), { items: [], total: 0 })
    })
  })

  describe('typos', () => {
    it('forgives one edit in a word of 3 to 5 letters', async () => {
      const sunst = await search.searchImages({ q: 'sunst', limit: '50' })
      assert.ok(sunst.total > 0)
      for (const { highlights } of sunst.items) {
        assert.match(`${highlights.title} ${highlights.description}`, /<mark>[Ss]unset<\/mark>/)
      }
      assert.deepEqual(idsOf(await search.searchImages({ q: 'quoka' })).sort(), [
        'img-quokka-beach',
        'img-quokka-stars',
      ])
    })

    it('forgives two edits in a longer word', async () => {
      const twoSubstitutions = await search.searchImages({ q: 'matterhron' })
      const twoDeletions = await search.searchImages({ q: 'kngfishr' })

      assert.deepEqual(idsOf(twoSubstitutions), ['img-matterhorn'])
      assert.equal(
        twoSubstitutions.items[0]?.highlights.title,
        '<mark>Matterhorn</mark> reflected in Riffelsee',
      )
      assert.deepEqual(idsOf(twoDeletions), ['img-kingfisher-title', 'img-kingfisher-description'])
    })

    it('forgives no more than that', async () => {
      assert.equal((await search.searchImages({ q: 'qukka' })).total, 2, 'one edit in five letters')
      assert.equal((await search.searchImages({ q: 'quoak' })).total, 0, 'two edits in five letters')
      assert.equal((await search.searchImages({ q: 'mxttxrhxrn' })).total, 0, 'three edits in ten letters')
    })
  })

  describe('search as you type', () => {
    it('completes the last word as a prefix', async () => {
      assert.deepEqual(idsOf(await search.searchImages({ q: 'pango' })), ['img-pangolin'])
      assert.deepEqual(idsOf(await search.searchImages({ q: 'kingf' })), [
        'img-kingfisher-title',
        'img-kingfisher-description',
      ])
    })

    it('completes only the last word', async () => {
      assert.deepEqual(idsOf(await search.searchImages({ q: 'quokka st' })), ['img-quokka-stars'])
      assert.deepEqual(idsOf(await search.searchImages({ q: 'st quokka' })), [])
    })

    it('completes from two letters on', async () => {
      assert.deepEqual(idsOf(await search.searchImages({ q: 'pangolin cr' })), ['img-pangolin'])
      assert.deepEqual(idsOf(await search.searchImages({ q: 'pangolin c' })), [])
    })

    it('highlights the whole completed word', async () => {
      const response = await search.searchImages({ q: 'riffel' })

      assert.equal(response.items[0]?.highlights.title, 'Matterhorn reflected in <mark>Riffelsee</mark>')
    })
  })

  describe('ranking', () => {
    it('ranks a title match above a description match', async () => {
      const response = await search.searchImages({ q: 'kingfisher' })

      assert.deepEqual(idsOf(response), ['img-kingfisher-title', 'img-kingfisher-description'])
      assert.ok((response.items[0]?.score ?? 0) > (response.items[1]?.score ?? 0))
    })

    it('ranks one title mention above three description mentions', async () => {
      const response = await search.searchImages({ q: 'lighthouse' })

      assert.deepEqual(idsOf(response), ['img-lighthouse-title', 'img-lighthouse-description'])
      assert.equal(
        response.items[1]?.highlights.description,
        'We passed the <mark>lighthouse</mark> on the way back, <mark>lighthouse</mark> lamp still turning, ' +
          '<mark>lighthouse</mark> door shut.',
      )
    })

    it('ranks an exact word above a typo-tolerant or completed one', async () => {
      const response = await search.searchImages({ q: 'dune', limit: '50' })

      const first = response.items[0]
      assert.match(`${first?.highlights.title} ${first?.highlights.description}`, /<mark>[Dd]une<\/mark>/)
    })

    it('orders hits by score, then by imageId', async () => {
      const { items } = await search.searchImages({ q: 'sunset', limit: '50' })

      for (let at = 1; at < items.length; at++) {
        const [before, after] = [items[at - 1], items[at]]
        assert.ok(before && after)
        assert.ok(
          before.score > after.score ||
            (before.score === after.score && before.item.imageId < after.item.imageId),
          `${before.item.imageId} (${before.score}) before ${after.item.imageId} (${after.score})`,
        )
      }
    })
  })

  describe('group filter', () => {
    it('keeps the hits of one group only, and counts only those', async () => {
      const response = await search.searchImages({ q: 'quokka', groupId: FIXTURE_GROUPS.stars })

      assert.deepEqual(idsOf(response), ['img-quokka-stars'])
      assert.equal(response.total, 1)
    })

    it('finds nothing in a group that does not exist', async () => {
      assert.deepEqual(await search.searchImages({ q: 'quokka', groupId: 'grp-nope' }), {
        items: [],
        total: 0,
      })
    })

    it('pages within the group', async () => {
      const inBeachGroup = fixture.images.filter((image) => image.groupId === FIXTURE_GROUPS.beach)

      const { ids } = await allPages(search, { q: 'beach', groupId: FIXTURE_GROUPS.beach, limit: '3' })

      assert.deepEqual(new Set(ids), new Set(inBeachGroup.map((image) => image.imageId)))
      assert.equal(ids.length, inBeachGroup.length)
      for (const id of ids) assert.equal(imageById(fixture, id).groupId, FIXTURE_GROUPS.beach)
    })
  })

  describe('paging', () => {
    it('returns every hit exactly once across pages, in the order of one big page', async () => {
      const everything = await search.searchImages({ q: 'anna', limit: '50' })
      assert.ok(everything.total > 7 && everything.total <= 50, `total ${everything.total}`)

      const { ids, pages } = await allPages(search, { q: 'anna', limit: '7' })

      assert.deepEqual(ids, idsOf(everything))
      assert.equal(pages.length, Math.ceil(everything.total / 7))
      for (const page of pages) assert.equal(page.total, everything.total)
      assert.equal(pages.at(-1)?.nextCursor, undefined)
    })

    it('pages through more hits than one page can hold, with any page size alike', async () => {
      const bySeven = await allPages(search, { q: 'near', limit: '7' })
      const byFifty = await allPages(search, { q: 'near', limit: '50' })

      assert.ok(byFifty.ids.length > 50, `${byFifty.ids.length} hits`)
      assert.equal(new Set(bySeven.ids).size, bySeven.ids.length, 'no image twice')
      assert.deepEqual(bySeven.ids, byFifty.ids)
      assert.equal(bySeven.ids.length, bySeven.pages[0]?.total)
    })

    it('gives no nextCursor when the hits fit the page exactly', async () => {
      const response = await search.searchImages({ q: 'kingfisher', limit: '2' })

      assert.equal(response.items.length, 2)
      assert.equal(response.nextCursor, undefined)
    })

    it('rejects a cursor it did not issue', async () => {
      const forged = Buffer.from(JSON.stringify(['x', 1, 'img-1'])).toString('base64url')
      for (const cursor of [forged, 'bm90LWpzb24', Buffer.from('[1,2]').toString('base64url')]) {
        await assert.rejects(search.searchImages({ q: 'anna', cursor }), InvalidInputError)
      }
    })

    it("rejects another search's cursor", async () => {
      const { nextCursor } = await search.searchImages({ q: 'anna', limit: '2' })
      assert.ok(nextCursor)

      await assert.rejects(search.searchImages({ q: 'sunset', cursor: nextCursor }), {
        code: 'INVALID_INPUT',
        message: 'cursor belongs to another search: repeat the same q and groupId to page on',
      })
      await assert.rejects(
        search.searchImages({ q: 'anna', groupId: FIXTURE_GROUPS.beach, cursor: nextCursor }),
        InvalidInputError,
      )
    })
  })

  describe('highlights', () => {
    it('escapes markup in a title, so that a <script> comes back inert', async () => {
      const response = await search.searchImages({ q: 'fireworks' })

      assert.deepEqual(response.items[0]?.highlights, {
        title: '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; <mark>Fireworks</mark> &amp; neon',
        description:
          '<mark>Fireworks</mark> over the harbour: &quot;best&quot; night of the year &amp; the loudest one.',
      })
    })

    it('marks a matched word inside markup without letting the markup through', async () => {
      const response = await search.searchImages({ q: 'script pwned' })

      const title = response.items[0]?.highlights.title ?? ''
      assert.equal(
        title,
        '&lt;<mark>script</mark>&gt;alert(&quot;<mark>pwned</mark>&quot;)&lt;/<mark>script</mark>&gt; Fireworks &amp; neon',
      )
      assert.doesNotMatch(title.replaceAll('<mark>', '').replaceAll('</mark>', ''), /[<>"]/)
    })

    it('keeps the original spelling inside the marks', async () => {
      const response = await search.searchImages({ q: 'creme brulee' })

      assert.equal(
        response.items[0]?.highlights.title,
        '<mark>Crème</mark> <mark>brûlée</mark> at a tiny bistro',
      )
    })

    it('escapes straight apostrophes and leaves typographic ones as they are', async () => {
      const grandpa = await search.searchImages({ q: 'grandpa', limit: '50' })
      const year = await search.searchImages({ q: 'year' })

      const highlighted = grandpa.items.flatMap(({ highlights }) => [
        highlights.title,
        highlights.description,
      ])
      const grandpas = highlighted.filter((text) => text?.includes('<mark>grandpa</mark>'))
      assert.ok(grandpas.length > 0)
      for (const text of grandpas) assert.match(text ?? '', /<mark>grandpa<\/mark>&#39;s plot/)
      for (const text of highlighted) assert.ok(!text?.includes("'"), text)
      const strasse = year.items.find(({ item }) => item.imageId === 'img-strasse')
      assert.equal(
        strasse?.highlights.description,
        'The whole street to ourselves on New <mark>Year</mark>’s morning.',
      )
    })
  })
})
