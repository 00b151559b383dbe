/**
 * The inside of one function instance: a worker thread with its own `process.env` (the function's
 * environment only), which loads the handler once (the cold start) and runs the invocations it is sent.
 */
import { enableCompileCache } from 'node:module'
import { pathToFileURL } from 'node:url'
import { parentPort, workerData } from 'node:worker_threads'
import type { FromWorker, ToWorker, WorkerSetup } from './invocation.ts'

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

try {
  const module = (await import(pathToFileURL(setup.modulePath).href)) as Record<string, unknown>
  const handler = module[setup.exportName]
  if (typeof handler !== 'function') {
    throw new Error(`${setup.modulePath} does not export a function named ${setup.exportName}`)
  }
  port.on('message', (message: ToWorker) => {
    run(handler as Handler, message).then(
      (value) => {
        try {
          send({ type: 'result', id: message.id, value })
        } catch (error) {
          send({ type: 'error', id: message.id, ...describe(error) })
        }
      },
      (error: unknown) => send({ type: 'error', id: message.id, ...describe(error) }),
    )
  })
  send({ type: 'ready' })
} catch (error) {
  send({ type: 'init-error', errorMessage: describe(error).errorMessage })
}
