import { Worker } from 'node:worker_threads'
import type { CreatedTables } from './create-tables.ts'
import type { CloudFormationResource } from './table-definition.ts'

export interface CreateTablesJob {
  endpoint: string
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  resources: Readonly<Record<string, CloudFormationResource>>
}

/**
 * Creates the tables from a short-lived worker thread. The AWS SDK takes about 40 MB in whichever
 * thread loads it, and the gateway process needs it only for this, once at start: the worker's exit
 * hands that memory back.
 */
export function createTablesInWorker(job: CreateTablesJob): Promise<CreatedTables> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./create-tables-worker.ts', import.meta.url), { workerData: job })
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
}
