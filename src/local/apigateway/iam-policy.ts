/** The part of IAM policy evaluation an API Gateway authorizer result needs: execute-api:Invoke on a method ARN. */

interface Statement {
  Effect?: string
  Action?: string | string[]
  Resource?: string | string[]
}

export interface PolicyDocument {
  Statement?: Statement | Statement[]
}

/** Explicit Deny wins, then any Allow; no matching statement means deny, as in IAM. */
export function policyAllows(policy: PolicyDocument | undefined, methodArn: string): boolean {
  const statements = asArray(policy?.Statement)
  const matching = statements.filter(
    (statement) =>
      asArray(statement.Action).some((action) => wildcardMatch(action, 'execute-api:Invoke', 'is')) &&
      asArray(statement.Resource).some((resource) => wildcardMatch(resource, methodArn, 's')),
  )
  if (matching.some((statement) => statement.Effect === 'Deny')) return false
  return matching.some((statement) => statement.Effect === 'Allow')
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

const patternCache = new Map<string, RegExp>()

/**
 * IAM wildcards: `*` any run of characters (line breaks included: a path may hold an encoded one),
 * `?` one. Actions match case-insensitively, resources (ARNs) case-sensitively.
 */
function wildcardMatch(pattern: string, value: string, flags: 's' | 'is'): boolean {
  const key = `${flags}\u0000${pattern}`
  let regex = patternCache.get(key)
  if (regex === undefined) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')
    regex = new RegExp(`^${source}$`, flags)
    patternCache.set(key, regex)
  }
  return regex.test(value)
}
