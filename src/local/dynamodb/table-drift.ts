import type {
  AttributeDefinition,
  CreateTableInput,
  KeySchemaElement,
  Projection,
  TableDescription,
} from '@aws-sdk/client-dynamodb'

interface IndexShape {
  IndexName?: string | undefined
  KeySchema?: KeySchemaElement[] | undefined
  Projection?: Projection | undefined
}

/**
 * The differences in keys and indexes between a table as defined and as it exists locally: the parts
 * that decide which queries work. An empty list means the local table matches its definition.
 */
export function tableDrift(expected: CreateTableInput, actual: TableDescription): string[] {
  const wanted = (keys: KeySchemaElement[] | undefined) => describeKeys(keys, expected.AttributeDefinitions)
  const found = (keys: KeySchemaElement[] | undefined) => describeKeys(keys, actual.AttributeDefinitions)
  const differences: string[] = []

  if (wanted(expected.KeySchema) !== found(actual.KeySchema)) {
    differences.push(
      `key schema is ${found(actual.KeySchema)}, definition says ${wanted(expected.KeySchema)}`,
    )
  }
  for (const [kind, expectedIndexes, actualIndexes] of [
    ['global index', expected.GlobalSecondaryIndexes, actual.GlobalSecondaryIndexes],
    ['local index', expected.LocalSecondaryIndexes, actual.LocalSecondaryIndexes],
  ] as const) {
    const existing = new Map<string | undefined, IndexShape>(
      (actualIndexes ?? []).map((index) => [index.IndexName, index]),
    )
    for (const index of expectedIndexes ?? []) {
      const local = existing.get(index.IndexName)
      existing.delete(index.IndexName)
      if (local === undefined) {
        differences.push(`${kind} ${index.IndexName} is missing`)
        continue
      }
      if (wanted(index.KeySchema) !== found(local.KeySchema)) {
        differences.push(
          `${kind} ${index.IndexName} key schema is ${found(local.KeySchema)}, definition says ${wanted(index.KeySchema)}`,
        )
      }
      if (describeProjection(index.Projection) !== describeProjection(local.Projection)) {
        differences.push(
          `${kind} ${index.IndexName} projection is ${describeProjection(local.Projection)}, definition says ${describeProjection(index.Projection)}`,
        )
      }
    }
    for (const name of existing.keys()) differences.push(`${kind} ${name} is not in the definition`)
  }
  return differences
}

/** `groupId(S) HASH, timestamp(S) RANGE` */
function describeKeys(
  keys: KeySchemaElement[] | undefined,
  attributes: AttributeDefinition[] | undefined,
): string {
  return (keys ?? [])
    .map((key) => {
      const type = attributes?.find(
        (attribute) => attribute.AttributeName === key.AttributeName,
      )?.AttributeType
      return `${key.AttributeName}(${type ?? '?'}) ${key.KeyType}`
    })
    .join(', ')
}

function describeProjection(projection: Projection | undefined): string {
  const type = projection?.ProjectionType ?? 'KEYS_ONLY'
  const extra = [...(projection?.NonKeyAttributes ?? [])].sort()
  return extra.length > 0 ? `${type} [${extra.join(', ')}]` : type
}
