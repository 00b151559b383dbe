/**
 * Resolves the Serverless Framework variables that serverless.ts uses (`${sls:stage}`, `${self:...}`,
 * `${param:...}`, `${opt:...}`, `${env:...}`, `${aws:region}`, with `, fallback` values), so the local
 * cloud reads the same file osls deploys without spawning osls (which costs over a second per start).
 * Any other source fails loudly: a value the local cloud cannot know must not be guessed.
 */

export interface VariableSources {
  stage: string
  region: string
  /** `--param` style overrides; they win over the stage's and the default params. */
  params: Readonly<Record<string, string>>
  options: Readonly<Record<string, string>>
  env: Readonly<Record<string, string | undefined>>
}

type Json = unknown

const MAX_DEPTH = 20

export function resolveVariables<T>(config: T, sources: VariableSources): T {
  const root = config as Record<string, Json>
  const resolveAny = (value: Json, depth: number): Json => {
    if (depth > MAX_DEPTH) throw new Error('serverless.ts: variables nest too deeply (a cycle?)')
    if (typeof value === 'string') return resolveString(value, depth)
    if (Array.isArray(value)) return value.map((item) => resolveAny(item, depth))
    if (isRecord(value)) {
      const out: Record<string, Json> = {}
      for (const [key, item] of Object.entries(value)) out[key] = resolveAny(item, depth)
      return out
    }
    return value
  }

  const resolveString = (text: string, depth: number): Json => {
    const span = innermostVariable(text)
    if (span === undefined) return text
    const value = resolveExpression(text.slice(span.start + 2, span.end), depth)
    if (span.start === 0 && span.end === text.length - 1) return resolveAny(value, depth + 1)
    const rest = `${text.slice(0, span.start)}${String(value)}${text.slice(span.end + 1)}`
    return resolveString(rest, depth + 1)
  }

  const resolveExpression = (expression: string, depth: number): Json => {
    const [reference, ...fallbacks] = splitTopLevel(expression, ',')
    const value = lookup((reference ?? '').trim(), depth)
    if (value !== undefined) return value
    for (const fallback of fallbacks) {
      const literal = parseLiteral(fallback.trim(), depth)
      if (literal !== undefined) return literal
    }
    throw new Error(`serverless.ts: variable \${${expression}} has no value`)
  }

  const lookup = (reference: string, depth: number): Json => {
    const colon = reference.indexOf(':')
    if (colon < 0) throw new Error(`serverless.ts: unsupported variable \${${reference}}`)
    const source = reference.slice(0, colon)
    const address = reference.slice(colon + 1)
    switch (source) {
      case 'sls':
        if (address === 'stage') return sources.stage
        break
      case 'aws':
        if (address === 'region') return sources.region
        break
      case 'opt':
        return address === 'stage'
          ? sources.stage
          : address === 'region'
            ? sources.region
            : sources.options[address]
      case 'env':
        return sources.env[address]
      case 'param':
        return resolveAny(paramValue(root, sources, address), depth + 1)
      case 'self':
        return resolveAny(pathValue(root, address), depth + 1)
    }
    throw new Error(`serverless.ts: the local cloud cannot resolve \${${reference}}`)
  }

  const parseLiteral = (text: string, depth: number): Json => {
    const quoted = /^(['"])(.*)\1$/s.exec(text)
    if (quoted) return quoted[2]
    if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text)
    if (text === 'true' || text === 'false') return text === 'true'
    if (text === 'null') return undefined
    if (text.startsWith('${')) return resolveStringOrUndefined(text, depth)
    // An inner variable was resolved first, leaving its plain value here.
    if (!/^[a-z]+:/.test(text)) return text
    return lookup(text, depth)
  }

  const resolveStringOrUndefined = (text: string, depth: number): Json => {
    try {
      return resolveString(text, depth + 1)
    } catch {
      return undefined
    }
  }

  return resolveAny(config, 0) as T
}

function paramValue(root: Record<string, Json>, sources: VariableSources, name: string): Json {
  if (name in sources.params) return sources.params[name]
  const params = isRecord(root.params) ? root.params : {}
  const forStage = params[sources.stage]
  if (isRecord(forStage) && name in forStage) return forStage[name]
  const defaults = params.default
  if (isRecord(defaults) && name in defaults) return defaults[name]
  return undefined
}

function pathValue(root: Record<string, Json>, path: string): Json {
  let value: Json = root
  for (const part of path.split('.')) {
    if (!isRecord(value)) return undefined
    value = value[part]
  }
  return value
}

/** The last `${` and its matching `}`: the innermost variable, resolved first. */
function innermostVariable(text: string): { start: number; end: number } | undefined {
  const start = text.lastIndexOf('${')
  if (start < 0) return undefined
  let depth = 0
  for (let index = start + 2; index < text.length; index++) {
    const char = text[index]
    if (char === '{') depth++
    else if (char === '}') {
      if (depth === 0) return { start, end: index }
      depth--
    }
  }
  throw new Error(`serverless.ts: unterminated variable in "${text}"`)
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = []
  let quote: string | undefined
  let current = ''
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined
    } else if (char === '"' || char === "'") {
      quote = char
    } else if (char === separator) {
      parts.push(current)
      current = ''
      continue
    }
    current += char
  }
  parts.push(current)
  return parts
}

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
