import { createHash, timingSafeEqual } from 'node:crypto'

export interface DevAccount {
  /** The `sub` of its tokens, and the `userId` the API stores. */
  id: string
  name: string
}

/** The one password of every development account: the login page says so. */
export const DEV_PASSWORD = 'udagram'

const ACCOUNTS: readonly DevAccount[] = [
  { id: 'alice', name: 'Alice' },
  { id: 'bob', name: 'Bob' },
]

export function findDevAccount(id: string): DevAccount | undefined {
  return ACCOUNTS.find((account) => account.id === id)
}

/** The account these credentials open, or undefined; compares in constant time all the same. */
export function authenticate(username: string, password: string): DevAccount | undefined {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  const passwordMatches = timingSafeEqual(digest(password), digest(DEV_PASSWORD))
  const account = findDevAccount(username)
  return passwordMatches ? account : undefined
}
