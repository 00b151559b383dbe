import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hrefOf, routeOf } from '../../web/src/lib/routes.ts'

describe('routes', () => {
  it('reads the pages from the address and writes them back', () => {
    assert.deepEqual(routeOf('/', ''), { page: 'groups' })
    assert.deepEqual(routeOf('/callback', '?code=x&state=y'), { page: 'callback' })
    assert.deepEqual(routeOf('/groups/a%20b', ''), { page: 'group', groupId: 'a b' })
    assert.deepEqual(routeOf('/search', '?q=sun+set'), { page: 'search', q: 'sun set' })
    assert.deepEqual(routeOf('/groups/%E0%A4%A', ''), { page: 'not-found' })
    assert.deepEqual(routeOf('/elsewhere', ''), { page: 'not-found' })
    assert.equal(hrefOf({ page: 'group', groupId: 'a/b' }), '/groups/a%2Fb')
    assert.equal(hrefOf({ page: 'search', q: 'a&b' }), '/search?q=a%26b')
  })
})
