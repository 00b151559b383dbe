/** Creates the tables for create-tables-in-worker.ts: loads the SDK at once, then waits for the job. */
import { parentPort } from 'node:worker_threads'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createTablesFromResources } from './create-tables.ts'
import type { CreateTablesJob } from './create-tables-in-worker.ts'

parentPort?.once('message', async (job: CreateTablesJob) => {
  const client = new DynamoDBClient({
    endpoint: job.endpoint,
    region: job.region,
    credentials: job.credentials,
  })
  try {
    parentPort?.postMessage({ ok: true, result: await createTablesFromResources(client, job.resources) })
  } catch (error) {
    parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) })
  } finally {
    client.destroy()
    parentPort?.close()
  }
})
