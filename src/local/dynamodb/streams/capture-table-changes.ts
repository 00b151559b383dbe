import {
  type Action,
  type CreateTableRequest,
  type DynaliteDbModule,
  type DynaliteError,
  type DynaliteStore,
  internalServerError,
  type StreamSpecification,
  type TableDescription,
  type TableRequest,
  type UpdateTableRequest,
  type ValidationModule,
} from './dynalite-internals.ts'
import { isViewType, VIEW_TYPES } from './stream-records.ts'
import type { StreamRegistry } from './stream-registry.ts'

type TableAction<Data> = Action<Data, Record<string, unknown>>

export interface TableActions {
  createTable: TableAction<CreateTableRequest>
  updateTable: TableAction<UpdateTableRequest>
  describeTable: TableAction<TableRequest>
  deleteTable: TableAction<TableRequest>
}

/** DynamoDB's StreamSpecification, in dynalite's validation language. */
const STREAM_SPECIFICATION_TYPE = {
  type: 'FieldStruct<StreamSpecification>',
  children: {
    StreamEnabled: { type: 'Boolean', notNull: true },
    StreamViewType: { type: 'String', enum: [...VIEW_TYPES] },
  },
}

/**
 * dynalite's validations drop every field they do not list, StreamSpecification included, and its
 * UpdateTable refuses a request with nothing else to change. This teaches both CreateTable's and
 * UpdateTable's validations the field, so a bad one is refused like DynamoDB does, before the action.
 */
export function acceptStreamSpecifications(
  createTable: ValidationModule,
  updateTable: ValidationModule,
): void {
  for (const validation of [createTable, updateTable]) {
    validation.types.StreamSpecification = STREAM_SPECIFICATION_TYPE
    const check = validation.custom
    validation.custom = (data, store) => {
      const specification = data.StreamSpecification as StreamSpecification | undefined
      // dynalite counts UpdateStreamEnabled (a field it does not keep) as a change; a stream is one.
      const asChecked = specification === undefined ? data : { ...data, UpdateStreamEnabled: true }
      return check?.(asChecked, store) ?? streamSpecificationProblem(specification)
    }
  }
}

function streamSpecificationProblem(specification: StreamSpecification | undefined): string | undefined {
  if (specification === undefined) return undefined
  if (specification.StreamEnabled && specification.StreamViewType === undefined) {
    return 'One or more parameter values were invalid: StreamViewType is required when StreamEnabled is true'
  }
  if (!specification.StreamEnabled && specification.StreamViewType !== undefined) {
    return 'One or more parameter values were invalid: StreamViewType cannot be given when StreamEnabled is false'
  }
  return undefined
}

/**
 * Wraps dynalite's table actions so that the registry follows the tables' stream specifications and
 * the table descriptions show them (StreamSpecification, LatestStreamArn, LatestStreamLabel). The
 * registry, not dynalite's table record, holds the specification: dynalite rewrites its table record
 * from its own copy after UpdateTable, which would undo a field added beside it.
 */
export function captureTableChanges(
  original: TableActions,
  registry: StreamRegistry,
  db: DynaliteDbModule,
): TableActions {
  const withStream = (description: TableDescription): TableDescription => {
    const stream = registry.get(description.TableName)
    if (stream === undefined) return description
    return {
      ...description,
      StreamSpecification: { StreamEnabled: true, StreamViewType: stream.definition.viewType },
      LatestStreamLabel: stream.definition.label,
      LatestStreamArn: stream.streamArn,
    }
  }
  const enable = (table: TableDescription, viewType: string | undefined): void => {
    if (!isViewType(viewType)) throw new Error(`unknown StreamViewType ${viewType}`)
    registry.enable({
      tableName: table.TableName,
      viewType,
      keyNames: table.KeySchema.map((key) => key.AttributeName),
      tableId: table.TableId,
    })
  }

  const createTable: TableActions['createTable'] = (store, data, cb) => {
    const requested = data.StreamSpecification
    // Kept out of dynalite's table record: the registry answers for it.
    delete data.StreamSpecification
    original.createTable(store, data, (error, result) => {
      if (error || result === undefined) return cb(error, result)
      const description = result.TableDescription as TableDescription
      try {
        if (requested?.StreamEnabled) enable(description, requested.StreamViewType)
        else registry.disable(description.TableName)
      } catch (cause) {
        return cb(internalServerError('the table was created but its stream could not be', cause))
      }
      cb(null, { ...result, TableDescription: withStream(description) })
    })
  }

  const updateTable: TableActions['updateTable'] = (store, data, cb) => {
    const requested = data.StreamSpecification
    delete data.StreamSpecification
    if (requested === undefined)
      return original.updateTable(store, data, describedWith(cb, 'TableDescription'))
    store.getTable(data.TableName, false, (error, table) => {
      if (error || table === undefined) return cb(error)
      const current = registry.get(data.TableName)
      if (requested.StreamEnabled && current !== undefined) {
        return cb(db.validationError(`Table already has an enabled stream: TableName: ${data.TableName}`))
      }
      if (!requested.StreamEnabled && current === undefined) {
        return cb(db.validationError(`Table has no stream to disable: TableName: ${data.TableName}`))
      }
      const apply = (description: TableDescription, result: Record<string, unknown>): void => {
        try {
          if (requested.StreamEnabled) enable(description, requested.StreamViewType)
          else registry.disable(description.TableName)
        } catch (cause) {
          cb(internalServerError('the stream could not be changed', cause))
          return
        }
        cb(null, { ...result, TableDescription: withStream(description) })
      }
      if (!changesMoreThanStream(data)) return apply(table, {})
      original.updateTable(store, data, (updateError, result) => {
        if (updateError || result === undefined) return cb(updateError, result)
        apply(result.TableDescription as TableDescription, result)
      })
    })
  }

  const describedWith =
    (cb: Parameters<TableAction<TableRequest>>[2], field: 'Table' | 'TableDescription') =>
    (error: DynaliteError | null | undefined, result?: Record<string, unknown>): void => {
      if (error || result === undefined) cb(error, result)
      else cb(null, { ...result, [field]: withStream(result[field] as TableDescription) })
    }

  const describeTable: TableActions['describeTable'] = (store, data, cb) => {
    if (registry.get(data.TableName) === undefined) return original.describeTable(store, data, cb)
    original.describeTable(store, data, describedWith(cb, 'Table'))
  }

  const deleteTable: TableActions['deleteTable'] = (store, data, cb) => {
    if (registry.get(data.TableName) === undefined) return original.deleteTable(store, data, cb)
    original.deleteTable(store, data, (error, result) => {
      if (error || result === undefined) return cb(error, result)
      const description = withStream(result.TableDescription as TableDescription)
      registry.disable(data.TableName)
      cb(null, { ...result, TableDescription: description })
    })
  }

  return { createTable, updateTable, describeTable, deleteTable }
}

function changesMoreThanStream(data: UpdateTableRequest): boolean {
  return (
    data.ProvisionedThroughput !== undefined ||
    data.BillingMode !== undefined ||
    (data.GlobalSecondaryIndexUpdates?.length ?? 0) > 0
  )
}

/**
 * Forgets the streams of tables that are gone from dynalite's folder, or were made anew there without
 * this capture (another TableId): the streams folder and the LevelDB folder may be deleted apart.
 */
export async function forgetStreamsOfMissingTables(
  store: DynaliteStore,
  registry: StreamRegistry,
): Promise<void> {
  await Promise.all(
    registry.list().map(
      ({ tableName }) =>
        new Promise<void>((resolve, reject) => {
          store.getTable(tableName, false, (error, table) => {
            const missing = error?.body?.__type.endsWith('#ResourceNotFoundException') === true
            if (error && !missing) return reject(error)
            const tableId = registry.get(tableName)?.definition.tableId
            if (missing || (tableId !== undefined && table?.TableId !== tableId)) registry.disable(tableName)
            resolve()
          })
        }),
    ),
  )
}
