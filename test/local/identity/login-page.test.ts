import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { authenticate } from '#local/identity/dev-accounts.ts'
import { escapeHtml, renderLoginPage } from '#local/identity/login-page.ts'

describe('the login page', () => {
  it('labels both fields and says it is for development only', () => {
    const html = renderLoginPage({ action: '/idp/interaction/abc/login', clientId: 'udagram-web' })
    assert.match(html, /<label for="username">Username<\/label>\s*<input id="username"/)
    assert.match(html, /<label for="password">Password<\/label>\s*<input id="password"[^>]*type="password"/)
    assert.match(html, /Development only/)
    assert.doesNotMatch(html, /role="alert"/)
  })

  it('escapes what it echoes: the username, the error, the client id, the action', () => {
    const html = renderLoginPage({
      action: '/login?a=1&b="2"',
      clientId: '<script>alert(1)</script>',
      username: '"><img src=x onerror=alert(1)>',
      error: "<b>it's</b>",
    })
    assert.doesNotMatch(html, /<script>|<img|<b>/)
    assert.match(html, /value="&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;"/)
    assert.match(html, /action="\/login\?a=1&amp;b=&quot;2&quot;"/)
    assert.match(html, /role="alert"[^>]*>&lt;b&gt;it&#39;s&lt;\/b&gt;</)
    assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;')
  })
})

describe('the development accounts', () => {
  it('open alice and bob with the development password only', () => {
    assert.deepEqual(authenticate('alice', 'udagram'), { id: 'alice', name: 'Alice' })
    assert.deepEqual(authenticate('bob', 'udagram'), { id: 'bob', name: 'Bob' })
    assert.equal(authenticate('alice', 'wrong'), undefined)
    assert.equal(authenticate('carol', 'udagram'), undefined)
    assert.equal(authenticate('alice', ''), undefined)
  })
})
