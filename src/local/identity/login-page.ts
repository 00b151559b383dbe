import { DEV_PASSWORD } from './dev-accounts.ts'

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text made safe for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character)
}

export interface LoginPageModel {
  /** Where the form posts. */
  action: string
  clientId: string
  /** Kept in the username field after a failed attempt. */
  username?: string
  error?: string
}

/** The local identity's sign-in form: labelled fields, the error announced to screen readers. */
export function renderLoginPage(model: LoginPageModel): string {
  const error = model.error
    ? `<p id="login-error" role="alert" class="error">${escapeHtml(model.error)}</p>`
    : ''
  const describedBy = model.error ? ' aria-describedby="login-error" aria-invalid="true"' : ''
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in to Udagram (local)</title>
<style>
body{font-family:system-ui,sans-serif;max-width:22rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
label{display:block;margin-top:1rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
button{margin-top:1.5rem;padding:.5rem 1rem;font-size:1rem}
.error{color:#a40000;font-weight:600}
.note{background:#fff4ce;padding:.5rem;border-radius:.25rem}
</style>
</head>
<body>
<main>
<h1>Sign in to Udagram</h1>
<p class="note"><strong>Development only.</strong> Local identity provider: users <code>alice</code> and
<code>bob</code>, password <code>${escapeHtml(DEV_PASSWORD)}</code>.</p>
<p>Signing in to <strong>${escapeHtml(model.clientId)}</strong>.</p>
${error}
<form method="post" action="${escapeHtml(model.action)}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required autofocus value="${escapeHtml(model.username ?? '')}"${describedBy}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${describedBy}>
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
`
}
