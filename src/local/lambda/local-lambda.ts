import { randomUUID } from 'node:crypto'
import { getCompileCacheDir } from 'node:module'
import type { LocalFunctionDefinition } from '../serverless/service-definition.ts'
import { FunctionInstance } from './function-instance.ts'
import type { InvocationObserver, InvocationOutcome } from './invocation.ts'

export interface LocalLambdaOptions {
  functions: Map<string, LocalFunctionDefinition>
  region: string
  accountId: string
  /** Added to every function's environment: local endpoints and credentials, as Lambda adds its own. */
  runtimeEnvironment: Record<string, string>
  /**
   * Told of every invocation, with its output and outgoing calls (the workers then capture them):
   * the operator console's recorder. Without one, the workers capture nothing.
   */
  observer?: InvocationObserver
}

/**
 * The local Lambda service: one warm instance per function, started on first use (or by `warm`),
 * replaced after a timeout or a crash, each seeing exactly its own environment.
 */
export class LocalLambda {
  readonly #options: LocalLambdaOptions
  readonly #instances = new Map<string, FunctionInstance>()
  #stopping = false

  constructor(options: LocalLambdaOptions) {
    this.#options = options
  }

  async invoke(
    functionName: string,
    event: unknown,
    requestId: string = randomUUID(),
  ): Promise<InvocationOutcome> {
    if (this.#stopping) return { kind: 'crash', errorMessage: 'the local cloud is shutting down' }
    const observer = this.#options.observer
    if (observer === undefined) return this.#instanceOf(functionName).invoke({ event, requestId })
    const startedAt = Date.now()
    const started = performance.now()
    const { outcome, capture, cold } = await this.#instanceOf(functionName).invokeObserved({
      event,
      requestId,
    })
    observer.invoked({
      functionName,
      requestId,
      event,
      outcome,
      startedAt,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      cold,
      capture,
    })
    return outcome
  }

  /** Lets in-flight invocations finish, then ends every instance. */
  async stop(): Promise<void> {
    this.#stopping = true
    await Promise.all([...this.#instances.values()].map((instance) => instance.drain()))
    this.#instances.clear()
  }

  #instanceOf(functionName: string): FunctionInstance {
    const existing = this.#instances.get(functionName)
    if (existing !== undefined && !existing.retired) return existing
    const definition = this.#options.functions.get(functionName)
    if (definition === undefined) throw new Error(`no function named ${functionName} in serverless.ts`)
    const instance: FunctionInstance = new FunctionInstance({
      setup: {
        functionName: definition.name,
        modulePath: definition.modulePath,
        exportName: definition.exportName,
        memorySize: definition.memorySize,
        region: this.#options.region,
        accountId: this.#options.accountId,
        compileCacheDir: getCompileCacheDir(),
        capture: this.#options.observer !== undefined,
      },
      environment: this.#environmentOf(definition),
      timeoutSeconds: definition.timeoutSeconds,
      onRetired: () => {
        if (this.#instances.get(functionName) === instance) this.#instances.delete(functionName)
      },
    })
    this.#instances.set(functionName, instance)
    return instance
  }

  #environmentOf(definition: LocalFunctionDefinition): Record<string, string> {
    const missing = (definition.deployTimeEnvironment ?? []).filter(
      (name) => !(name in this.#options.runtimeEnvironment),
    )
    if (missing.length > 0) {
      throw new Error(
        `${definition.name}: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} known only on AWS (a CloudFormation function in serverless.ts) and the local cloud does not provide ${missing.length > 1 ? 'them' : 'it'}`,
      )
    }
    return {
      ...definition.environment,
      ...this.#options.runtimeEnvironment,
      AWS_REGION: this.#options.region,
      AWS_DEFAULT_REGION: this.#options.region,
      AWS_LAMBDA_FUNCTION_NAME: definition.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${definition.name}`,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      TZ: 'UTC',
    }
  }
}
