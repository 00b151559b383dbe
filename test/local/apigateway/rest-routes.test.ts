import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type RestRoute, RestRouter } from '#local/apigateway/rest-routes.ts'

function route(method: string, resourcePath: string): RestRoute {
  return {
    method,
    resourcePath,
    segments: resourcePath.split('/').filter(Boolean),
    functionName: `${method} ${resourcePath}`,
    authorizer: undefined,
    bodySchema: undefined,
    cors: undefined,
  }
}

const router = new RestRouter([
  route('GET', '/groups'),
  route('POST', '/groups'),
  route('GET', '/groups/{groupId}'),
  route('DELETE', '/groups/{groupId}'),
  route('GET', '/groups/{groupId}/images'),
  route('GET', '/images/{imageId}'),
  route('DELETE', '/images/{imageId}'),
  route('GET', '/images/search'),
  route('GET', '/files/{proxy+}'),
])

describe('REST routing', () => {
  it('matches literal and parameter segments, with path parameters', () => {
    const found = router.lookup('GET', ['groups', 'g-1', 'images'])
    assert.equal(found.kind, 'found')
    assert.equal(found.kind === 'found' && found.match.route.resourcePath, '/groups/{groupId}/images')
    assert.deepEqual(found.kind === 'found' && found.match.pathParameters, { groupId: 'g-1' })
    const list = router.lookup('GET', ['groups'])
    assert.deepEqual(list.kind === 'found' && list.match.pathParameters, null)
  })

  it('prefers a literal segment over a parameter', () => {
    const found = router.lookup('GET', ['images', 'search'])
    assert.equal(found.kind === 'found' && found.match.route.resourcePath, '/images/search')
    const byId = router.lookup('GET', ['images', 'i-1'])
    assert.equal(byId.kind === 'found' && byId.match.route.resourcePath, '/images/{imageId}')
  })

  it('lets a greedy parameter take the rest of the path', () => {
    const found = router.lookup('GET', ['files', 'a', 'b.png'])
    assert.deepEqual(found.kind === 'found' && found.match.pathParameters, { proxy: 'a/b.png' })
  })

  it('tells an unknown path from a known path with another method', () => {
    assert.deepEqual(router.lookup('GET', ['nope']), { kind: 'not-found' })
    assert.deepEqual(router.lookup('GET', ['groups', 'g', 'images', 'x']), { kind: 'not-found' })
    const wrongMethod = router.lookup('DELETE', ['groups'])
    assert.equal(wrongMethod.kind, 'method-not-allowed')
    assert.deepEqual(wrongMethod.kind === 'method-not-allowed' && wrongMethod.allowed.sort(), ['GET', 'POST'])
  })

  it('routes DELETE and GET on one path apart, and names both to a preflight', () => {
    const deleted = router.lookup('DELETE', ['groups', 'g-1'])
    assert.equal(deleted.kind === 'found' && deleted.match.route.functionName, 'DELETE /groups/{groupId}')
    assert.deepEqual(deleted.kind === 'found' && deleted.match.pathParameters, { groupId: 'g-1' })

    const preflight = router.lookup('OPTIONS', ['images', 'i-1'])
    assert.equal(preflight.kind, 'method-not-allowed')
    assert.deepEqual(preflight.kind === 'method-not-allowed' && preflight.allowed.sort(), ['DELETE', 'GET'])
    const search = router.lookup('DELETE', ['images', 'search'])
    assert.equal(search.kind, 'method-not-allowed', 'images/search is its own resource, with GET only')
  })
})
