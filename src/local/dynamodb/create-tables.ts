import {
  CreateTableCommand,
  type CreateTableInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type StreamSpecification,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb'
import type { CloudFormationResource, DynamoDbTableProperties } from './table-definition.ts'
import { tableDrift } from './table-drift.ts'
import { toCreateTableInput } from './to-create-table-input.ts'

export interface CreatedTables {
  created: string[]
  /** Tables already in the data folder, checked against their definitions. */
  existing: string[]
}

/** dynalite is started with createTableMs: 0, so a new table is ACTIVE within a tick; this is a guard. */
const ACTIVE_WAIT_ATTEMPTS = 200
const ACTIVE_WAIT_DELAY_MS = 10

/**
 * Creates the DynamoDB tables among CloudFormation `resources` that do not exist yet, and checks that
 * those that do still match their definition, so local data never drifts from the deployed schema.
 * An existing table gets the stream its definition declares (a table made before the local cloud kept
 * streams has none), so no write to it goes unrecorded. Resources of other types are skipped. Time to live is not applied: dynalite 4.0.0 has no
 * UpdateTimeToLive operation (its index.js lists the operations it serves) and never expires items.
 */
export async function createTablesFromResources(
  client: DynamoDBClient,
  resources: Readonly<Record<string, CloudFormationResource>> | readonly CloudFormationResource[],
): Promise<CreatedTables> {
  const tables = Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::DynamoDB::Table')
    .map(([name, resource]) => tablePropertiesOf(name, resource))
  const outcomes = await Promise.all(tables.map((properties) => ensureTable(client, properties)))
  const result: CreatedTables = { created: [], existing: [] }
  tables.forEach((properties, i) => {
    result[outcomes[i] ?? 'existing'].push(properties.TableName)
  })
  return result
}

function tablePropertiesOf(name: string, resource: CloudFormationResource): DynamoDbTableProperties {
  const properties = resource.Properties as Partial<DynamoDbTableProperties> | undefined
  if (typeof properties?.TableName !== 'string') {
    throw new Error(
      `resource ${name}: the local cloud needs TableName as a plain string, got ${JSON.stringify(properties?.TableName)}`,
    )
  }
  if (!Array.isArray(properties.KeySchema) || !Array.isArray(properties.AttributeDefinitions)) {
    throw new Error(`table ${properties.TableName}: KeySchema and AttributeDefinitions are required`)
  }
  return properties as DynamoDbTableProperties
}

async function ensureTable(
  client: DynamoDBClient,
  properties: DynamoDbTableProperties,
): Promise<keyof CreatedTables> {
  const input = toCreateTableInput(properties)
  const existing = await describe(client, properties.TableName)
  if (existing) {
    checkDrift(input, existing)
    await matchStream(client, input, existing)
    return 'existing'
  }
  try {
    await client.send(new CreateTableCommand(input))
  } catch (error) {
    if (!isNamed(error, 'ResourceInUseException')) throw error
    // Someone created it between our describe and create: check it like any existing table.
    const raced = await describe(client, properties.TableName)
    if (raced) {
      checkDrift(input, raced)
      await matchStream(client, input, raced)
    }
    return 'existing'
  }
  await waitUntilActive(client, properties.TableName)
  return 'created'
}

function checkDrift(input: CreateTableInput, existing: TableDescription): void {
  const differences = tableDrift(input, existing)
  if (differences.length > 0) {
    throw new Error(
      `local DynamoDB table ${input.TableName} differs from its definition: ${differences.join('; ')}. ` +
        'Delete the local data folder (or this table) so that it is created again.',
    )
  }
}

/**
 * Gives an existing table the stream its definition declares, or none. DynamoDB cannot change a
 * stream's view type in place: the stream is disabled, then enabled with the new type, as CloudFormation
 * does. Disabling drops the records the old stream still held.
 */
async function matchStream(
  client: DynamoDBClient,
  input: CreateTableInput,
  existing: TableDescription,
): Promise<void> {
  const wanted = input.StreamSpecification?.StreamEnabled
    ? input.StreamSpecification.StreamViewType
    : undefined
  const found = existing.StreamSpecification?.StreamEnabled
    ? existing.StreamSpecification.StreamViewType
    : undefined
  if (wanted === found) return
  const update = (StreamSpecification: StreamSpecification) =>
    client.send(new UpdateTableCommand({ TableName: input.TableName, StreamSpecification }))
  if (found !== undefined) await update({ StreamEnabled: false })
  if (wanted !== undefined) await update({ StreamEnabled: true, StreamViewType: wanted })
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
    return Table
  } catch (error) {
    if (isNamed(error, 'ResourceNotFoundException')) return undefined
    throw error
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < ACTIVE_WAIT_ATTEMPTS; attempt++) {
    const table = await describe(client, tableName)
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === 'ACTIVE',
    )
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return
    await new Promise((resolve) => setTimeout(resolve, ACTIVE_WAIT_DELAY_MS))
  }
  throw new Error(
    `local DynamoDB table ${tableName} is not ACTIVE after ${ACTIVE_WAIT_ATTEMPTS * ACTIVE_WAIT_DELAY_MS} ms`,
  )
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name
}
