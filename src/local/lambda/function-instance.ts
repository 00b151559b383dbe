import { Worker } from 'node:worker_threads'
import type {
  FromWorker,
  InvocationCapture,
  InvocationOutcome,
  InvokeRequest,
  ToWorker,
  WorkerSetup,
} from './invocation.ts'

const workerUrl = new URL('./function-worker.ts', import.meta.url)

/**
 * V8 sizes a young generation of up to 3 x 16 MB per isolate by default; under load each warm function
 * then holds ~50 MB it does not need. 8 MB measured the same requests/s and CPU with a smaller peak RSS
 * (`npm run bench`).
 */
const YOUNG_GENERATION_MB = 8

/** An invocation's outcome, with what the worker captured of it (when it captures) and its start. */
export interface InstanceInvocation {
  outcome: InvocationOutcome
  capture: InvocationCapture | undefined
  /** It waited for the environment to load the handler. */
  cold: boolean
}

interface Pending {
  resolve: (result: { outcome: InvocationOutcome; capture?: InvocationCapture | undefined }) => void
  timer: NodeJS.Timeout
}

/**
 * One warm execution environment of a function: a worker thread that serves invocations
 * concurrently (like Lambda Managed Instances' multi-concurrency) until it is retired. A timeout or a
 * crash retires it, as Lambda resets an environment after a timeout; the next invocation gets a new one.
 */
export class FunctionInstance {
  readonly #worker: Worker
  readonly #pending = new Map<number, Pending>()
  readonly #ready: Promise<void>
  readonly #timeoutSeconds: number
  #nextId = 1
  #retired = false
  #dead = false
  #warm = false
  readonly #onRetired: () => void

  constructor(options: {
    setup: WorkerSetup
    environment: Record<string, string>
    timeoutSeconds: number
    onRetired: () => void
  }) {
    this.#timeoutSeconds = options.timeoutSeconds
    this.#onRetired = options.onRetired
    this.#worker = new Worker(workerUrl, {
      workerData: options.setup,
      env: options.environment,
      name: options.setup.functionName,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      stdout: false,
      stderr: false,
    })
    this.#ready = new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type === 'ready') resolve()
        else if (message.type === 'init-error') reject(new Error(message.errorMessage))
      }
      this.#worker.once('message', onMessage)
      this.#worker.once('exit', (code) => reject(new Error(`runtime exited during init with code ${code}`)))
    })
    this.#ready.then(
      () => this.#worker.on('message', (message: FromWorker) => this.#settle(message)),
      (error: Error) => this.#die(error.message),
    )
    this.#ready.then(
      () => {
        this.#warm = true
      },
      () => {},
    )
    this.#worker.on('error', (error) => this.#die(`runtime crashed: ${error.message}`))
    this.#worker.on('exit', (code) => this.#die(`runtime exited with code ${code}`))
  }

  get retired(): boolean {
    return this.#retired
  }

  async invoke(request: InvokeRequest): Promise<InvocationOutcome> {
    return (await this.invokeObserved(request)).outcome
  }

  /** `invoke`, with whether it was a cold start and what the worker captured (when it captures). */
  async invokeObserved(request: InvokeRequest): Promise<InstanceInvocation> {
    const cold = !this.#warm
    try {
      await this.#ready
    } catch (error) {
      const errorMessage = error instanceof Error ? error.message : String(error)
      return { outcome: { kind: 'crash', errorMessage }, capture: undefined, cold }
    }
    if (this.#dead)
      return { outcome: { kind: 'crash', errorMessage: 'runtime is gone' }, capture: undefined, cold }
    const id = this.#nextId++
    const deadline = Date.now() + this.#timeoutSeconds * 1000
    return new Promise<InstanceInvocation>((settle) => {
      const resolve: Pending['resolve'] = ({ outcome, capture }) => settle({ outcome, capture, cold })
      const timer = setTimeout(() => {
        this.#pending.delete(id)
        resolve({ outcome: { kind: 'timeout', timeoutSeconds: this.#timeoutSeconds } })
        this.#retire()
      }, this.#timeoutSeconds * 1000)
      this.#pending.set(id, { resolve, timer })
      const message: ToWorker = {
        type: 'invoke',
        id,
        event: request.event,
        requestId: request.requestId,
        deadline,
      }
      this.#worker.postMessage(message)
    })
  }

  /** Waits for in-flight invocations, then ends the environment. */
  async drain(): Promise<void> {
    this.#retired = true
    while (this.#pending.size > 0 && !this.#dead) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await this.#worker.terminate()
  }

  #settle(message: FromWorker): void {
    if (message.type !== 'result' && message.type !== 'error') return
    const pending = this.#pending.get(message.id)
    if (pending === undefined) return
    this.#pending.delete(message.id)
    clearTimeout(pending.timer)
    pending.resolve({
      outcome:
        message.type === 'result'
          ? { kind: 'ok', value: message.value }
          : { kind: 'error', errorType: message.errorType, errorMessage: message.errorMessage },
      capture: message.capture,
    })
    if (this.#retired && this.#pending.size === 0) void this.#worker.terminate()
  }

  #retire(): void {
    if (!this.#retired) {
      this.#retired = true
      this.#onRetired()
    }
    if (this.#pending.size === 0) void this.#worker.terminate()
  }

  #die(reason: string): void {
    if (this.#dead) return
    this.#dead = true
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer)
      pending.resolve({ outcome: { kind: 'crash', errorMessage: reason } })
      this.#pending.delete(id)
    }
    this.#retire()
  }
}
