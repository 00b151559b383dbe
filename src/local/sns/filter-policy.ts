/**
 * SNS subscription filter policies, on message attributes (the default scope) or on a JSON message
 * body (`filterPolicyScope: MessageBody`, nested keys). Supported, as SNS documents them: exact strings
 * and numbers, `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (a value, a list, or
 * `{prefix}`), `numeric` ranges and `exists`; String.Array attributes match when any element does.
 * Not supported, refused at startup rather than silently matching: `$or`, `cidr`, `wildcard`,
 * `anything-but` with `suffix` / `wildcard` / `equals-ignore-case`, and SNS's size limits on policies.
 */

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody'

/** A message attribute as filter policies see it: its DataType and its string value. */
export interface FilterableAttribute {
  type: string
  value: string
}

export interface FilterableMessage {
  attributes: Record<string, FilterableAttribute>
  body: string
}

type Scalar = string | number | boolean | null
type NumericOperator = '=' | '<' | '<=' | '>' | '>='

type Rule =
  | { kind: 'equals'; value: Scalar }
  | { kind: 'prefix' | 'suffix' | 'equals-ignore-case' | 'anything-but-prefix'; value: string }
  | { kind: 'anything-but'; values: Scalar[] }
  | { kind: 'numeric'; conditions: Array<[NumericOperator, number]> }
  | { kind: 'exists'; value: boolean }

/** Per key: the rules its value must meet (any of them), or, in a body policy, a nested policy. */
type PolicyNode = Map<string, Rule[] | PolicyNode>

export interface CompiledFilterPolicy {
  matches(message: FilterableMessage): boolean
}

/** Checks a policy once, at startup, and returns its matcher; throws naming `where` on what it cannot honour. */
export function compileFilterPolicy(policy: unknown, scope: unknown, where: string): CompiledFilterPolicy {
  const resolvedScope = scope ?? 'MessageAttributes'
  if (resolvedScope !== 'MessageAttributes' && resolvedScope !== 'MessageBody') {
    throw new Error(
      `${where}: filterPolicyScope must be MessageAttributes or MessageBody, got ${JSON.stringify(scope)}`,
    )
  }
  const node = compileNode(policy, resolvedScope, where)
  if (resolvedScope === 'MessageAttributes') {
    return { matches: (message) => matchesAttributes(node, message.attributes) }
  }
  return {
    matches: (message) => {
      let body: unknown
      try {
        body = JSON.parse(message.body)
      } catch {
        return false
      }
      return isObject(body) && matchesBody(node, body)
    },
  }
}

function compileNode(policy: unknown, scope: FilterPolicyScope, where: string): PolicyNode {
  if (!isObject(policy) || Object.keys(policy).length === 0) {
    throw new Error(`${where}: a filter policy is a non-empty object`)
  }
  const node: PolicyNode = new Map()
  for (const [key, value] of Object.entries(policy)) {
    if (key === '$or') throw new Error(`${where}: "$or" filter policies are not supported locally`)
    if (Array.isArray(value)) node.set(key, compileRules(value, `${where}.${key}`))
    else if (scope === 'MessageBody' && isObject(value))
      node.set(key, compileNode(value, scope, `${where}.${key}`))
    else
      throw new Error(
        `${where}.${key}: expected a list of values${scope === 'MessageBody' ? ' or a nested policy' : ''}`,
      )
  }
  return node
}

function compileRules(values: unknown[], where: string): Rule[] {
  if (values.length === 0) throw new Error(`${where}: an empty list matches nothing`)
  return values.map((value) => compileRule(value, where))
}

function compileRule(value: unknown, where: string): Rule {
  if (isScalar(value)) return { kind: 'equals', value }
  const entries = isObject(value) ? Object.entries(value) : []
  const [operator, operand] = entries[0] ?? []
  const unsupported = () =>
    new Error(`${where}: the rule ${JSON.stringify(value)} is not supported by the local cloud`)
  if (entries.length !== 1 || operator === undefined) throw unsupported()
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof operand !== 'string') throw unsupported()
      return { kind: operator, value: operand }
    case 'exists':
      if (typeof operand !== 'boolean') throw unsupported()
      return { kind: 'exists', value: operand }
    case 'anything-but':
      if (isScalar(operand)) return { kind: 'anything-but', values: [operand] }
      if (Array.isArray(operand) && operand.length > 0 && operand.every(isScalar)) {
        return { kind: 'anything-but', values: operand }
      }
      if (isObject(operand) && typeof operand.prefix === 'string' && Object.keys(operand).length === 1) {
        return { kind: 'anything-but-prefix', value: operand.prefix }
      }
      throw unsupported()
    case 'numeric':
      return { kind: 'numeric', conditions: numericConditions(operand, unsupported) }
    default:
      throw unsupported()
  }
}

const OPERATORS = new Set<string>(['=', '<', '<=', '>', '>='])

function numericConditions(operand: unknown, unsupported: () => Error): Array<[NumericOperator, number]> {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) throw unsupported()
  const conditions: Array<[NumericOperator, number]> = []
  for (let i = 0; i < operand.length; i += 2) {
    const [operator, bound] = [operand[i], operand[i + 1]]
    if (typeof operator !== 'string' || !OPERATORS.has(operator) || typeof bound !== 'number')
      throw unsupported()
    conditions.push([operator as NumericOperator, bound])
  }
  return conditions
}

function matchesAttributes(node: PolicyNode, attributes: Record<string, FilterableAttribute>): boolean {
  for (const [key, rules] of node) {
    const attribute = Object.hasOwn(attributes, key) ? attributes[key] : undefined
    if (!Array.isArray(rules) || !matchesRules(rules, attribute !== undefined, candidatesOf(attribute))) {
      return false
    }
  }
  return true
}

function candidatesOf(attribute: FilterableAttribute | undefined): unknown[] {
  if (attribute === undefined || attribute.type.startsWith('Binary')) return []
  if (attribute.type.startsWith('Number')) return [Number(attribute.value)]
  if (attribute.type === 'String.Array') {
    try {
      const elements: unknown = JSON.parse(attribute.value)
      return Array.isArray(elements) ? elements : []
    } catch {
      return []
    }
  }
  return [attribute.value]
}

function matchesBody(node: PolicyNode, body: Record<string, unknown>): boolean {
  for (const [key, expected] of node) {
    const value = Object.hasOwn(body, key) ? body[key] : undefined
    const values = Array.isArray(value) ? value : value === undefined ? [] : [value]
    const matched = Array.isArray(expected)
      ? matchesRules(expected, value !== undefined, values.filter(isScalar))
      : values.some((element) => isObject(element) && matchesBody(expected, element))
    if (!matched) return false
  }
  return true
}

function matchesRules(rules: Rule[], present: boolean, candidates: unknown[]): boolean {
  return rules.some((rule) =>
    rule.kind === 'exists'
      ? rule.value === present
      : candidates.some((candidate) => matchesRule(rule, candidate)),
  )
}

function matchesRule(rule: Exclude<Rule, { kind: 'exists' }>, candidate: unknown): boolean {
  switch (rule.kind) {
    case 'equals':
      return candidate === rule.value
    case 'prefix':
      return typeof candidate === 'string' && candidate.startsWith(rule.value)
    case 'suffix':
      return typeof candidate === 'string' && candidate.endsWith(rule.value)
    case 'equals-ignore-case':
      return typeof candidate === 'string' && candidate.toLowerCase() === rule.value.toLowerCase()
    case 'anything-but':
      return isScalar(candidate) && !rule.values.includes(candidate)
    case 'anything-but-prefix':
      return typeof candidate === 'string' && !candidate.startsWith(rule.value)
    case 'numeric':
      return (
        typeof candidate === 'number' &&
        rule.conditions.every(([operator, bound]) => compare(candidate, operator, bound))
      )
  }
}

function compare(value: number, operator: NumericOperator, bound: number): boolean {
  switch (operator) {
    case '=':
      return value === bound
    case '<':
      return value < bound
    case '<=':
      return value <= bound
    case '>':
      return value > bound
    case '>=':
      return value >= bound
  }
}

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
