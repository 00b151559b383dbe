import { useAuth } from 'react-oidc-context'
import { ErrorMessage } from '../ui/error-message.tsx'
import { Link } from './navigation.tsx'

/** Where the identity provider sends the browser back; the code is exchanged, then the app moves on. */
export function SignInCallback() {
  const auth = useAuth()
  if (auth.error === undefined) return <p className="loading">Signing in…</p>
  return (
    <div className="page">
      <h1>Sign-in failed</h1>
      <ErrorMessage error={auth.error} />
      <Link href="/">Back to the groups</Link>
    </div>
  )
}
