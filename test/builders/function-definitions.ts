import { fileURLToPath } from 'node:url'
import type { LocalFunctionDefinition } from '#local/serverless/service-definition.ts'

/** The path of a module under test/fixtures/handlers/. */
export function fixtureHandlers(file: string): string {
  return fileURLToPath(new URL(`../fixtures/handlers/${file}`, import.meta.url))
}

/** A function as the local Lambda runs it, exported as `exportName` from `modulePath`: a Map entry. */
export function aFunction(
  modulePath: string,
  name: string,
  exportName: string,
  overrides: Partial<LocalFunctionDefinition> = {},
): [string, LocalFunctionDefinition] {
  return [
    name,
    {
      name,
      modulePath,
      exportName,
      environment: {},
      timeoutSeconds: 5,
      memorySize: 128,
      events: [],
      ...overrides,
    },
  ]
}
