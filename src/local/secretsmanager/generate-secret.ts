import { randomInt } from 'node:crypto'
import type { GeneratedSecretSpec } from './secret-definitions.ts'

const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz'
const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const NUMBERS = '0123456789'
// The punctuation Secrets Manager's GetRandomPassword draws from.
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'

/** A random password as `GenerateSecretString` describes it (defaults as Secrets Manager's: 32 characters, all types). */
export function generateSecret(spec: GeneratedSecretSpec): string {
  const excluded = new Set(spec.ExcludeCharacters ?? '')
  const keep = (characters: string) =>
    [...characters].filter((character) => !excluded.has(character)).join('')
  const types = [
    spec.ExcludeLowercase ? '' : keep(LOWERCASE),
    spec.ExcludeUppercase ? '' : keep(UPPERCASE),
    spec.ExcludeNumbers ? '' : keep(NUMBERS),
    spec.ExcludePunctuation ? '' : keep(PUNCTUATION),
    spec.IncludeSpace && !excluded.has(' ') ? ' ' : '',
  ].filter((characters) => characters.length > 0)
  const length = spec.PasswordLength ?? 32
  const requireEach = spec.RequireEachIncludedType ?? true
  if (types.length === 0 || !Number.isInteger(length) || length < 1 || length > 4096) {
    throw new Error('GenerateSecretString: no characters to draw from, or a PasswordLength outside 1-4096')
  }
  if (requireEach && length < types.length) {
    throw new Error(
      'GenerateSecretString: PasswordLength is shorter than the character types it must include',
    )
  }
  const all = types.join('')
  for (;;) {
    const password = Array.from({ length }, () => all[randomInt(all.length)]).join('')
    if (!requireEach || types.every((characters) => [...password].some((c) => characters.includes(c)))) {
      return password
    }
  }
}
