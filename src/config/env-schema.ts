import { z } from 'zod'

/** Environment values are strings; these parse the few shapes our variables take. */
export const nonEmpty = z.string().trim().min(1)
export const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(z.url().optional())
export const flag = z
  .enum(['true', 'false', ''])
  .optional()
  .transform((value) => value === 'true')
export const positiveSeconds = z.coerce.number().int().min(1).max(604_800)

export type Environment = Readonly<Record<string, string | undefined>>

/** Parses `env` with `schema`, failing fast with every offending variable named. */
export function parseEnvironment<T extends z.ZodType>(
  schema: T,
  env: Environment,
  what: string,
): z.output<T> {
  const result = schema.safeParse(env)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
  throw new Error(`Invalid ${what} configuration: ${problems.join('; ')}`)
}
