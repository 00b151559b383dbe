/**
 * CloudFormation's `Conditions`, evaluated for the local cloud: a resource whose condition is false
 * does not exist on AWS, so it does not exist locally either. Only the condition functions whose
 * arguments are known before deployment are supported (osls has already resolved the `${param:...}`
 * they compare); anything else is refused by name rather than guessed.
 */

type Conditions = Record<string, unknown>

export function evaluateConditions(conditions: Conditions): Map<string, boolean> {
  const results = new Map<string, boolean>()
  const evaluating = new Set<string>()
  const byName = (name: string): boolean => {
    const known = results.get(name)
    if (known !== undefined) return known
    if (!(name in conditions)) throw new Error(`serverless.ts: no condition named ${name}`)
    if (evaluating.has(name)) throw new Error(`serverless.ts: condition ${name} refers to itself`)
    evaluating.add(name)
    const value = evaluate(conditions[name], name, byName)
    evaluating.delete(name)
    results.set(name, value)
    return value
  }
  for (const name of Object.keys(conditions)) byName(name)
  return results
}

function evaluate(expression: unknown, name: string, byName: (name: string) => boolean): boolean {
  const [fn, args, ...extra] = Object.entries(expression as Record<string, unknown>)[0] ?? []
  if (extra.length > 0 || typeof fn !== 'string') throw unsupported(name, expression)
  const list = Array.isArray(args) ? (args as unknown[]) : []
  const operand = (value: unknown) => evaluate(value, name, byName)
  switch (fn) {
    case 'Fn::Equals': {
      if (list.length !== 2 || !list.every(isScalar)) throw unsupported(name, expression)
      return String(list[0]) === String(list[1])
    }
    case 'Fn::Not':
      if (list.length !== 1) throw unsupported(name, expression)
      return !operand(list[0])
    case 'Fn::And':
      return list.every(operand)
    case 'Fn::Or':
      return list.some(operand)
    case 'Condition':
      if (typeof args !== 'string') throw unsupported(name, expression)
      return byName(args)
    default:
      throw unsupported(name, expression)
  }
}

const isScalar = (value: unknown) => ['string', 'number', 'boolean'].includes(typeof value)

function unsupported(name: string, expression: unknown): Error {
  return new Error(
    `serverless.ts: the local cloud cannot evaluate condition ${name} (${JSON.stringify(expression)}); ` +
      'it evaluates Fn::Equals of known values, Fn::Not, Fn::And, Fn::Or and Condition',
  )
}

/** The resources that exist for these conditions' values. */
export function existingResources<R extends { Type: string; Condition?: unknown }>(
  resources: Record<string, R>,
  conditions: Conditions,
): Record<string, R> {
  const values = evaluateConditions(conditions)
  return Object.fromEntries(
    Object.entries(resources).filter(([logicalId, resource]) => {
      if (resource.Condition === undefined) return true
      const value = values.get(String(resource.Condition))
      if (value === undefined) {
        throw new Error(
          `serverless.ts: resource ${logicalId} names an unknown condition ${String(resource.Condition)}`,
        )
      }
      return value
    }),
  )
}
