import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { OidcModelStore } from '#local/identity/oidc-model-store.ts'

/** A clock the test moves by hand. */
function aClock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let now = start
  return { now: () => now, advance: (seconds: number) => (now += seconds * 1000) }
}

describe('OidcModelStore (oidc-provider adapter)', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'udagram-oidc-store-'))
  })
  after(() => rm(dir, { recursive: true, force: true }))

  it('finds what was upserted, until it expires', async () => {
    const clock = aClock()
    const sessions = (await OidcModelStore.open(undefined, clock.now)).adapterFor('Session')
    await sessions.upsert('s1', { uid: 'u1', accountId: 'alice' }, 60)

    assert.deepEqual(await sessions.find('s1'), { uid: 'u1', accountId: 'alice' })
    assert.deepEqual(await sessions.findByUid('u1'), { uid: 'u1', accountId: 'alice' })
    clock.advance(61)
    assert.equal(await sessions.find('s1'), undefined)
  })

  it('answers copies: changing a found payload changes nothing stored', async () => {
    const grants = (await OidcModelStore.open()).adapterFor('Grant')
    await grants.upsert('g1', { accountId: 'alice' })
    const found = await grants.find('g1')
    if (found) found.accountId = 'mallory'
    assert.deepEqual(await grants.find('g1'), { accountId: 'alice' })
  })

  it('marks a code consumed, and revokes every token of a grant across models', async () => {
    const store = await OidcModelStore.open()
    const codes = store.adapterFor('AuthorizationCode')
    const refreshTokens = store.adapterFor('RefreshToken')
    await codes.upsert('c1', { grantId: 'g1' }, 60)
    await refreshTokens.upsert('r1', { grantId: 'g1' }, 600)
    await refreshTokens.upsert('r2', { grantId: 'g2' }, 600)

    await codes.consume('c1')
    assert.equal(typeof (await codes.find('c1'))?.consumed, 'number')
    await codes.revokeByGrantId('g1')

    assert.equal(await codes.find('c1'), undefined)
    assert.equal(await refreshTokens.find('r1'), undefined)
    assert.deepEqual(await refreshTokens.find('r2'), { grantId: 'g2' })
  })

  it('keeps models in JSON files that a new store reads back', async () => {
    const first = await OidcModelStore.open(dir)
    await first.adapterFor('RefreshToken').upsert('r1', { grantId: 'g1', accountId: 'alice' }, 600)
    await first.adapterFor('Session').upsert('s1', { uid: 'u1' }, 600)
    await first.adapterFor('Session').destroy('s1')
    await first.flush()

    const saved = JSON.parse(await readFile(join(dir, 'RefreshToken.json'), 'utf8')) as Record<
      string,
      unknown
    >
    assert.deepEqual(Object.keys(saved), ['r1'])
    const second = await OidcModelStore.open(dir)
    assert.deepEqual(await second.adapterFor('RefreshToken').find('r1'), {
      grantId: 'g1',
      accountId: 'alice',
    })
    assert.equal(await second.adapterFor('Session').findByUid('u1'), undefined)
  })
})
