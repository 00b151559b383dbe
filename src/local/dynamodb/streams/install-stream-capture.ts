/**
 * DynamoDB Streams for dynalite, captured where the writes happen: inside the dynalite process.
 *
 * Why hand-written: dynalite 4.0.0 has no streams at all (its validations drop StreamSpecification,
 * its index.js serves no stream operation), and no maintained library adds them to it offline. An
 * HTTP proxy in front of it would cost every request an extra hop and a second JSON parse, and would
 * still have to ask dynalite for the item before each write.
 *
 * How: dynalite's index.js loads each operation once, `actions[action] = require('./actions/' +
 * action)`, and calls it as `action(store, data, cb)` after its own validations have checked and
 * parsed the request. Before index.js is loaded, this module replaces the exports of the modules it
 * will require, in Node's require cache, with wrappers (capture-item-writes.ts,
 * capture-table-changes.ts) that call the original actions. batchWriteItem.js requires ./putItem and
 * ./deleteItem the same way, so a batch records every item it writes. Reads are left alone.
 */
import type { Server } from 'node:http'
import type { AttributeMap } from '../../streams/stream-source.ts'
import { captureItemWrites, type ItemWriteActions } from './capture-item-writes.ts'
import {
  acceptStreamSpecifications,
  captureTableChanges,
  type TableActions,
} from './capture-table-changes.ts'
import type { DynaliteDbModule, DynaliteStore, ValidationModule } from './dynalite-internals.ts'
import { StreamRegistry, type StreamRegistryOptions } from './stream-registry.ts'

export interface DynaliteWithStreams {
  /** dynalite's own factory; the store it creates is captured for `forgetStreamsOfMissingTables`. */
  dynalite: (options: Record<string, unknown>) => Server
  /** The tables' streams, read back from `dir` when given. */
  registry: StreamRegistry
  /** The store of the last server made, once `dynalite()` was called. */
  store(): DynaliteStore
}

/**
 * Opens the stream registry and loads dynalite with the stream capture installed.
 * `requireFromDynalite` is a require function created at dynalite's index.js
 * (createRequire(require.resolve('dynalite'))). Throws if dynalite was already loaded (its actions
 * would bypass the capture), if its internals are not as expected, or if the streams folder is corrupt.
 */
export function loadDynaliteWithStreams(
  requireFromDynalite: NodeJS.Require,
  options: Omit<StreamRegistryOptions, 'itemSize'>,
): DynaliteWithStreams {
  const cache = requireFromDynalite.cache
  for (const path of ['./index.js', './actions/batchWriteItem.js']) {
    if (cache[requireFromDynalite.resolve(path)] !== undefined) {
      throw new Error(`dynalite's ${path} is already loaded: the stream capture must be installed first`)
    }
  }
  const load = <Exports>(path: string, check: (exports: Exports) => boolean): Exports => {
    const exports = requireFromDynalite(path) as Exports
    if (!check(exports)) throw new Error(`dynalite's ${path} is not as stream capture expects: revisit it`)
    return exports
  }
  const replace = (path: string, exports: unknown): void => {
    const module = cache[requireFromDynalite.resolve(path)]
    if (module === undefined) throw new Error(`dynalite's ${path} is not in the require cache`)
    module.exports = exports
  }
  const isAction = (exports: unknown): boolean => typeof exports === 'function' && exports.length === 3
  const isValidation = (exports: ValidationModule): boolean =>
    typeof exports.types === 'object' && exports.types !== null

  const db = load<DynaliteDbModule>(
    './db',
    (exports) =>
      typeof exports.create === 'function' &&
      typeof exports.itemSize === 'function' &&
      typeof exports.validationError === 'function',
  )
  const registry = StreamRegistry.open({ ...options, itemSize: (item: AttributeMap) => db.itemSize(item) })
  const itemActions = {
    putItem: load<ItemWriteActions['putItem']>('./actions/putItem', isAction),
    updateItem: load<ItemWriteActions['updateItem']>('./actions/updateItem', isAction),
    deleteItem: load<ItemWriteActions['deleteItem']>('./actions/deleteItem', isAction),
    getItem: load<Parameters<typeof captureItemWrites>[0]['getItem']>('./actions/getItem', isAction),
  }
  const tableActions: TableActions = {
    createTable: load<TableActions['createTable']>('./actions/createTable', isAction),
    updateTable: load<TableActions['updateTable']>('./actions/updateTable', isAction),
    describeTable: load<TableActions['describeTable']>('./actions/describeTable', isAction),
    deleteTable: load<TableActions['deleteTable']>('./actions/deleteTable', isAction),
  }
  acceptStreamSpecifications(
    load<ValidationModule>('./validations/createTable', isValidation),
    load<ValidationModule>('./validations/updateTable', isValidation),
  )
  for (const [name, action] of Object.entries(captureItemWrites(itemActions, registry))) {
    replace(`./actions/${name}`, action)
  }
  for (const [name, action] of Object.entries(captureTableChanges(tableActions, registry, db))) {
    replace(`./actions/${name}`, action)
  }

  let store: DynaliteStore | undefined
  const create = db.create
  db.create = (dynaliteOptions) => {
    store = create(dynaliteOptions)
    // dynalite takes its ARNs' region and account from the environment: make them the streams' ones.
    store.tableDb.awsRegion = options.region
    store.tableDb.awsAccountId = options.accountId
    return store
  }

  return {
    dynalite: requireFromDynalite('./index.js') as DynaliteWithStreams['dynalite'],
    registry,
    store() {
      if (store === undefined) throw new Error('dynalite() has not made its store yet')
      return store
    },
  }
}
