/**
 * The inside of one function instance: a worker thread with its own `process.env` (the function's
 * environment only), which loads the handler once (the cold start) and runs the invocations it is sent.
 */
import { enableCompileCache } from 'node:module'
import { pathToFileURL } from 'node:url'
import { parentPort, workerData } from 'node:worker_threads'
import type { FromWorker, InvocationCapture, ToWorker, WorkerSetup } from './invocation.ts'
import { installInvocationCapture } from './invocation-capture.ts'

type Handler = (
  event: unknown,
  context: unknown,
  callback?: (error?: unknown, result?: unknown) => void,
) => unknown

const setup = workerData as WorkerSetup
const port = parentPort
if (port === null) throw new Error('function-worker must run in a worker thread')

const send = (message: FromWorker) => port.postMessage(message)

function contextFor(message: ToWorker) {
  return {
    functionName: setup.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${setup.region}:${setup.accountId}:function:${setup.functionName}`,
    memoryLimitInMB: String(setup.memorySize),
    awsRequestId: message.requestId,
    logGroupName: `/aws/lambda/${setup.functionName}`,
    logStreamName: `local/${process.pid}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  }
}

function describe(error: unknown): { errorType: string; errorMessage: string } {
  if (error instanceof Error) return { errorType: error.name, errorMessage: error.message }
  return { errorType: 'Error', errorMessage: String(error) }
}

async function run(handler: Handler, message: ToWorker): Promise<unknown> {
  const context = contextFor(message)
  if (handler.length < 3) return handler(message.event, context)
  return new Promise((resolve, reject) => {
    const returned = handler(message.event, context, (error, result) =>
      error ? reject(error) : resolve(result),
    )
    if (returned instanceof Promise) returned.then(resolve, reject)
  })
}

if (setup.compileCacheDir !== undefined) enableCompileCache(setup.compileCacheDir)
const capture = setup.capture ? installInvocationCapture() : undefined

function answer(
  message: ToWorker,
  settled: PromiseSettledResult<unknown>,
  captured?: InvocationCapture,
): void {
  const extra = captured === undefined ? {} : { capture: captured }
  if (settled.status === 'rejected') {
    send({ type: 'error', id: message.id, ...describe(settled.reason), ...extra })
    return
  }
  try {
    send({ type: 'result', id: message.id, value: settled.value, ...extra })
  } catch (error) {
    send({ type: 'error', id: message.id, ...describe(error), ...extra })
  }
}

try {
  const module = (await import(pathToFileURL(setup.modulePath).href)) as Record<string, unknown>
  const handler = module[setup.exportName]
  if (typeof handler !== 'function') {
    throw new Error(`${setup.modulePath} does not export a function named ${setup.exportName}`)
  }
  port.on('message', (message: ToWorker) => {
    if (capture === undefined) {
      run(handler as Handler, message).then(
        (value) => answer(message, { status: 'fulfilled', value }),
        (reason: unknown) => answer(message, { status: 'rejected', reason }),
      )
      return
    }
    void capture
      .around(() => run(handler as Handler, message))
      .then(({ settled, capture: captured }) => answer(message, settled, captured))
  })
  send({ type: 'ready' })
} catch (error) {
  send({ type: 'init-error', errorMessage: describe(error).errorMessage })
}
