/**
 * The parts of dynalite 4.0.0's internals the stream capture relies on, typed from its source
 * (index.js, db/index.js, actions/*.js, validations/index.js). install-stream-capture.ts checks their
 * shape at start, so a dynalite upgrade that changes them fails loudly instead of losing records.
 */
import type { AttributeMap } from '../../streams/stream-source.ts'

/** An error dynalite answers with `statusCode` and `body`; without them its server throws. */
export interface DynaliteError extends Error {
  statusCode?: number
  body?: { __type: string; message: string }
}

export type ActionCallback<Result = Record<string, unknown>> = (
  error: DynaliteError | null | undefined,
  result?: Result,
) => void

/** `function (store, data, cb)`: `data` is the request, already checked by dynalite's validations. */
export type Action<Data, Result = Record<string, unknown>> = (
  store: DynaliteStore,
  data: Data,
  cb: ActionCallback<Result>,
) => void

export interface KeySchemaElement {
  AttributeName: string
  KeyType: string
}

/** A table as dynalite stores and describes it (only the fields read here). */
export interface TableDescription {
  TableName: string
  TableId?: string
  KeySchema: KeySchemaElement[]
  [field: string]: unknown
}

export interface DynaliteStore {
  tableDb: { awsRegion: string; awsAccountId: string }
  getTable(
    name: string,
    checkStatus: boolean,
    cb: (error: DynaliteError | null, table?: TableDescription) => void,
  ): void
}

export interface DynaliteDbModule {
  create(options: unknown): DynaliteStore
  itemSize(item: AttributeMap): number
  validationError(message: string): DynaliteError
}

export interface ValidationModule {
  types: Record<string, unknown>
  custom?: (data: Record<string, unknown>, store: DynaliteStore) => string | undefined
}

export type ReturnValues = 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW'

export interface PutItemRequest {
  TableName: string
  Item: AttributeMap
  ReturnValues?: ReturnValues | undefined
}

export interface KeyRequest {
  TableName: string
  Key: AttributeMap
  ReturnValues?: ReturnValues | undefined
}

export interface WriteResult {
  Attributes?: AttributeMap
  [field: string]: unknown
}

export interface StreamSpecification {
  StreamEnabled: boolean
  StreamViewType?: string
}

export interface CreateTableRequest {
  TableName: string
  StreamSpecification?: StreamSpecification | undefined
  [field: string]: unknown
}

export interface UpdateTableRequest {
  TableName: string
  StreamSpecification?: StreamSpecification | undefined
  ProvisionedThroughput?: unknown
  BillingMode?: unknown
  GlobalSecondaryIndexUpdates?: unknown[]
}

export interface TableRequest {
  TableName: string
}

/**
 * An error dynalite's server answers as a 500: one without `statusCode` would be thrown and end the
 * process. `what` says what was done and what was not, for the client's error message.
 */
export function internalServerError(what: string, cause: unknown): DynaliteError {
  const message = `${what}: ${cause instanceof Error ? cause.message : String(cause)}`
  const error: DynaliteError = new Error(message, { cause })
  error.statusCode = 500
  error.body = { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message }
  return error
}
