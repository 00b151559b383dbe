export type Environment = Readonly<Record<string, string | undefined>>

/**
 * Reads typed values out of the environment and collects every problem, so that a misconfigured
 * function fails at cold start with all the offending variables named at once. Hand-written rather
 * than zod: these few shapes are all the configuration needs, and zod's import alone added ~60 ms to
 * every cold start.
 */
export class EnvironmentReader {
  readonly #env: Environment
  readonly #what: string
  readonly #problems: string[] = []

  constructor(env: Environment, what: string) {
    this.#env = env
    this.#what = what
  }

  text(name: string): string {
    const value = this.#env[name]?.trim()
    if (!value) this.#problems.push(`${name} is required`)
    return value ?? ''
  }

  url(name: string): string {
    const value = this.text(name)
    if (value && !URL.canParse(value)) this.#problems.push(`${name} must be a URL, got "${value}"`)
    return value
  }

  /** Absent or empty means unset. */
  optionalUrl(name: string): string | undefined {
    const value = this.#env[name]?.trim()
    if (!value) return undefined
    if (!URL.canParse(value)) this.#problems.push(`${name} must be a URL, got "${value}"`)
    return value
  }

  flag(name: string): boolean {
    const value = this.#env[name]?.trim() ?? ''
    if (!['', 'true', 'false'].includes(value))
      this.#problems.push(`${name} must be true or false, got "${value}"`)
    return value === 'true'
  }

  integer(name: string, range: { min: number; max: number }): number {
    const raw = this.text(name)
    const value = Number(raw)
    if (raw && (!/^\d+$/.test(raw) || value < range.min || value > range.max)) {
      this.#problems.push(`${name} must be an integer from ${range.min} to ${range.max}, got "${raw}"`)
    }
    return value
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.text(name)
    const known = allowed.find((candidate) => candidate === value)
    if (value && known === undefined) {
      this.#problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`)
    }
    return known ?? (value as T)
  }

  /** Throws one error naming every problem found so far. */
  assertValid(): void {
    if (this.#problems.length > 0) {
      throw new Error(`Invalid ${this.#what} configuration: ${this.#problems.join('; ')}`)
    }
  }
}
