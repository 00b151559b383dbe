import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
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
  const dynamoDb = await startLocalDynamoDb({ host: '127.0.0.1', port: 0, storage: { kind: 'memory' } })
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
