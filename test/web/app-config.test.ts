import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { webAppConfig } from '../../src/local/web/web-app-config.ts'
import { parseAppConfig } from '../../web/src/app/app-config.ts'

describe('the web app config', () => {
  const local = webAppConfig(
    {
      api: 'http://127.0.0.1:3000/dev',
      websocket: 'ws://127.0.0.1:3002/dev',
      oidc: {
        issuer: 'http://127.0.0.1:3000/idp/',
        clientId: 'udagram-web',
        scopes: 'openid profile offline_access',
        audience: 'https://udagram-api',
      },
    },
    { origin: 'http://127.0.0.1:3003' },
  )

  it('reads what the local cloud serves', () => {
    assert.deepEqual(parseAppConfig(JSON.parse(JSON.stringify(local))), local)
    assert.equal(local.oidc.redirectUri, 'http://127.0.0.1:3003/callback')
  })

  it('names the first missing or empty field', () => {
    assert.throws(() => parseAppConfig(null), /api must be a non-empty string/)
    assert.throws(() => parseAppConfig({ ...local, websocket: '' }), /websocket must be/)
    assert.throws(
      () => parseAppConfig({ ...local, oidc: { ...local.oidc, clientId: 7 } }),
      /oidc\.clientId must be/,
    )
  })
})
