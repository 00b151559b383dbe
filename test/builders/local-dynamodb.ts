import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  type StreamViewType,
} from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { type LocalDynamoDb, startLocalDynamoDb } from '#local/dynamodb/start-local-dynamodb.ts'

export interface LocalDynamoDbClients {
  dynamoDb: LocalDynamoDb
  client: DynamoDBClient
  documentClient: DynamoDBDocumentClient
  /** Stops the clients and the dynalite process. */
  close(): Promise<void>
}

export function clientsFor(endpoint: string): {
  client: DynamoDBClient
  documentClient: DynamoDBDocumentClient
} {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  })
  return { client, documentClient }
}

/** An in-memory dynalite on a free loopback port, with SDK clients pointed at it. */
export async function startInMemoryDynamoDb(): Promise<LocalDynamoDbClients> {
  return withClients(await startLocalDynamoDb({ host: '127.0.0.1', port: 0, storage: { kind: 'memory' } }))
}

/**
 * A dynalite on disk, laid out like the local cloud's data folder: LevelDB in `<dataDir>/dynamodb`,
 * stream logs in `<dataDir>/dynamodb-streams`. Starting it again on the same `dataDir` is a restart.
 */
export async function startDiskDynamoDb(dataDir: string): Promise<LocalDynamoDbClients> {
  return withClients(
    await startLocalDynamoDb({
      host: '127.0.0.1',
      port: 0,
      storage: {
        kind: 'disk',
        dir: join(dataDir, 'dynamodb'),
        streamsDir: join(dataDir, 'dynamodb-streams'),
      },
    }),
  )
}

function withClients(dynamoDb: LocalDynamoDb): LocalDynamoDbClients {
  const { client, documentClient } = clientsFor(dynamoDb.endpoint)
  return {
    dynamoDb,
    client,
    documentClient,
    async close() {
      client.destroy()
      await dynamoDb.close()
    },
  }
}

let tables = 0

/** A table name no other test in this process uses, so each test starts from an empty table. */
export function uniqueTableName(prefix: string): string {
  tables++
  return `${prefix}-${process.pid}-${tables}`
}

/**
 * CreateTable input for an on-demand table keyed by `pk` (S) and `sk` (S), streaming
 * NEW_AND_OLD_IMAGES unless `stream` says another view type, or false for none.
 */
export function aKeyedTable(
  tableName: string,
  { stream = 'NEW_AND_OLD_IMAGES' }: { stream?: StreamViewType | false } = {},
): CreateTableCommandInput {
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    ...(stream === false ? {} : { StreamSpecification: { StreamEnabled: true, StreamViewType: stream } }),
  }
}

/** dynalite answers CreateTable while the table is CREATING, for a tick even with createTableMs 0. */
export async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
    if (Table?.TableStatus === 'ACTIVE') return
    await sleep(5)
  }
  throw new Error(`table ${tableName} is not ACTIVE`)
}
