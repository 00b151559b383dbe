import { Worker } from 'node:worker_threads'
import type { CreatedTables } from './create-tables.ts'
import type { CloudFormationResource } from './table-definition.ts'

export interface CreateTablesJob {
  endpoint: string
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  resources: Readonly<Record<string, CloudFormationResource>>
}

export interface TableCreator {
  create(job: CreateTablesJob): Promise<CreatedTables>
  /** Ends the worker when no job will come (the start failed elsewhere). */
  cancel(): Promise<void>
}

/**
 * Creates the tables from a short-lived worker thread, started before DynamoDB is up so that loading
 * the AWS SDK (about 250 ms) overlaps the rest of the start. The SDK takes about 40 MB in whichever
 * thread loads it and the gateway needs it only for this: the worker's exit hands that memory back.
 */
export function startTableCreator(): TableCreator {
  const worker = new Worker(new URL('./create-tables-worker.ts', import.meta.url))
  const outcome = new Promise<CreatedTables>((resolve, reject) => {
    worker.once(
      'message',
      (message: { ok: true; result: CreatedTables } | { ok: false; message: string }) => {
        if (message.ok) resolve(message.result)
        else reject(new Error(message.message))
      },
    )
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`table creation stopped with code ${code}`)))
  })
  outcome.catch(() => {})
  return {
    create: (job) => {
      worker.postMessage(job)
      return outcome
    },
    cancel: async () => {
      await worker.terminate()
    },
  }
}
