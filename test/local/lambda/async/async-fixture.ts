import { readFile } from 'node:fs/promises'
import type { EventLogger } from '#local/events/event-logger.ts'
import type { DeadLetter } from '#local/lambda/async/dead-letter-store.ts'
import type { FunctionInvoker, InvocationOutcome } from '#local/lambda/invocation.ts'
import type { LocalFunctionDefinition } from '#local/serverless/service-definition.ts'
import { aFunction, fixtureHandlers } from '#test/builders/function-definitions.ts'

const modulePath = fixtureHandlers('async-functions.ts')

/** A function of `test/fixtures/handlers/async-functions.ts`, as the local Lambda runs it. */
export function anAsyncFunction(
  name: string,
  exportName: string,
  overrides: Partial<LocalFunctionDefinition> = {},
) {
  return aFunction(modulePath, name, exportName, overrides)
}

/** The events a fixture function appended to its RECORD_FILE, one per attempt; none if it never ran. */
export async function recordedEvents(file: string): Promise<unknown[]> {
  try {
    const text = await readFile(file, 'utf8')
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as unknown)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

/** Keeps what would go to stderr, so tests stay quiet and can look at it. */
export function aRecordingLogger(): EventLogger & { warnings: string[]; errors: string[] } {
  const warnings: string[] = []
  const errors: string[] = []
  return {
    warnings,
    errors,
    warn: (message) => warnings.push(message),
    error: (message) => errors.push(message),
  }
}

/**
 * A fake `FunctionInvoker` that answers from a script (per function, per attempt number from 1) and
 * keeps every call, for the cases a real handler cannot produce on demand or quickly.
 */
export class ScriptedInvoker implements FunctionInvoker {
  readonly calls: Array<{ functionName: string; event: unknown; requestId: string | undefined }> = []
  readonly #script: (functionName: string, attempt: number) => InvocationOutcome | Promise<InvocationOutcome>

  constructor(
    script: (functionName: string, attempt: number) => InvocationOutcome | Promise<InvocationOutcome>,
  ) {
    this.#script = script
  }

  async invoke(functionName: string, event: unknown, requestId?: string): Promise<InvocationOutcome> {
    this.calls.push({ functionName, event, requestId })
    const attempt = this.calls.filter((call) => call.functionName === functionName).length
    return this.#script(functionName, attempt)
  }
}

/** A bare definition for functions only a fake invoker runs. */
export function aDefinition(name: string): [string, LocalFunctionDefinition] {
  return anAsyncFunction(name, 'recordEvent')
}

export function aDeadLetter(overrides: Partial<DeadLetter> = {}): DeadLetter {
  return {
    id: '6f1c2b9e-8a43-4d6e-9c1f-2b7a5d3e4f10',
    functionName: 'ResizeImage',
    source: 'sns',
    event: { Records: [{ EventSource: 'aws:sns' }] },
    attempts: 3,
    firstAttemptAt: '2026-11-25T10:00:00.000Z',
    failedAt: '2026-11-25T10:00:03.000Z',
    condition: 'RetriesExhausted',
    lastError: { kind: 'error', type: 'UploadProcessingError', message: 'the upload cannot be processed' },
    ...overrides,
  }
}
