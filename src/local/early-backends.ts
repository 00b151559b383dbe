import { join } from 'node:path'
import { startTableCreator, type TableCreator } from './dynamodb/create-tables-in-worker.ts'
import { type LocalDynamoDb, startLocalDynamoDb } from './dynamodb/start-local-dynamodb.ts'

/** What the local cloud can start before it has even loaded its own modules. */
export interface EarlyBackends {
  dynamodb: Promise<LocalDynamoDb>
  tableCreator: TableCreator
}

/**
 * Starts dynalite's process and the table creator's thread. `npm start` calls this first, with only
 * these light modules loaded, so both boot on the second core while the gateway loads (~200 ms saved).
 */
export function startEarlyBackends(options: {
  dataDir: string
  inMemory: boolean
  host: string
}): EarlyBackends {
  const dynamodb = startLocalDynamoDb({
    host: options.host,
    port: 0,
    storage: options.inMemory
      ? { kind: 'memory' }
      : {
          kind: 'disk',
          dir: join(options.dataDir, 'dynamodb'),
          streamsDir: join(options.dataDir, 'dynamodb-streams'),
        },
  })
  dynamodb.catch(() => {})
  return { dynamodb, tableCreator: startTableCreator() }
}
