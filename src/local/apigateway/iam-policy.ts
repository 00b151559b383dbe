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
      asArray(statement.Action).some((action) => wildcardMatch(action, 'execute-api:Invoke')) &&
      asArray(statement.Resource).some((resource) => wildcardMatch(resource, methodArn)),
  )
  if (matching.some((statement) => statement.Effect === 'Deny')) return false
  return matching.some((statement) => statement.Effect === 'Allow')
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

const patternCache = new Map<string, RegExp>()

function wildcardMatch(pattern: string, value: string): boolean {
  let regex = patternCache.get(pattern)
  if (regex === undefined) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')
    regex = new RegExp(`^${source}$`, 'i')
    patternCache.set(pattern, regex)
  }
  return regex.test(value)
}
