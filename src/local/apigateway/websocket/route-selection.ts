/** Evaluates a message against the route selection expression; undefined sends it to `$default`. */
export type RouteSelector = (message: string) => string | undefined

export const DEFAULT_ROUTE_SELECTION_EXPRESSION = '$request.body.action'

/**
 * Compiles `provider.websocketsApiRouteSelectionExpression`. WebSocket APIs accept only
 * `$request.body.<path>` (also written `${request.body.<path>}`), a dotted path into the JSON message.
 */
export function routeSelector(expression: string = DEFAULT_ROUTE_SELECTION_EXPRESSION): RouteSelector {
  const path = /^\$\{?request\.body\.([^{}]+?)\}?$/.exec(expression.trim())?.[1]
  const keys = path?.split('.')
  if (keys === undefined || keys.some((key) => key.length === 0) || !bracesBalanced(expression.trim())) {
    throw new Error(
      `serverless.ts: websocketsApiRouteSelectionExpression ${expression} is not supported (use $request.body.<path>)`,
    )
  }
  return (message) => {
    let value: unknown
    try {
      value = JSON.parse(message)
    } catch {
      return undefined
    }
    for (const key of keys) {
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined
      value = (value as Record<string, unknown>)[key]
    }
    return typeof value === 'string' ? value : undefined
  }
}

function bracesBalanced(expression: string): boolean {
  return expression.startsWith('${') === expression.endsWith('}')
}
