import type { AttributeMap } from '../../streams/stream-source.ts'
import {
  type Action,
  type ActionCallback,
  type DynaliteError,
  internalServerError,
  type KeyRequest,
  type PutItemRequest,
  type WriteResult,
} from './dynalite-internals.ts'
import { type ItemChange, sameItem } from './stream-records.ts'
import type { ActiveStream, StreamRegistry } from './stream-registry.ts'

export interface ItemWriteActions {
  putItem: Action<PutItemRequest, WriteResult>
  updateItem: Action<KeyRequest, WriteResult>
  deleteItem: Action<KeyRequest, WriteResult>
}

type GetItem = Action<{ TableName: string; Key: AttributeMap }, { Item?: AttributeMap }>

/**
 * Wraps dynalite's PutItem, UpdateItem and DeleteItem (and so BatchWriteItem, which calls the first
 * and the last) so that each successful write to a table with a stream appends its record before the
 * client is answered. A table without a stream costs one Map lookup, then dynalite's own action.
 *
 * The item before the write comes from dynalite itself: PutItem and DeleteItem run with ReturnValues
 * ALL_OLD, UpdateItem reads the item first with dynalite's GetItem and runs with ALL_NEW; the
 * client's own ReturnValues are then answered exactly as dynalite would have. Writes to one streamed
 * table run one at a time (ActiveStream.queue), so nothing changes the item between that read and the
 * write. Failed writes (a false condition included) record nothing.
 */
export function captureItemWrites(
  original: ItemWriteActions & { getItem: GetItem },
  registry: StreamRegistry,
): ItemWriteActions {
  const putItem: ItemWriteActions['putItem'] = (store, data, cb) => {
    const stream = registry.get(data.TableName)
    if (stream === undefined) return original.putItem(store, data, cb)
    stream.queue.run((done) => {
      const asked = data.ReturnValues
      data.ReturnValues = 'ALL_OLD'
      original.putItem(store, data, (error, result) => {
        data.ReturnValues = asked
        if (error || result === undefined) return answer(done, cb, error, result)
        const oldImage = result.Attributes
        if (asked !== 'ALL_OLD') delete result.Attributes
        // DynamoDB records a PutItem that rewrites an item unchanged as a MODIFY too.
        const change: ItemChange = oldImage
          ? { eventName: 'MODIFY', oldImage, newImage: data.Item }
          : { eventName: 'INSERT', newImage: data.Item }
        recordThenAnswer(stream, change, done, cb, result)
      })
    })
  }

  const deleteItem: ItemWriteActions['deleteItem'] = (store, data, cb) => {
    const stream = registry.get(data.TableName)
    if (stream === undefined) return original.deleteItem(store, data, cb)
    stream.queue.run((done) => {
      const asked = data.ReturnValues
      data.ReturnValues = 'ALL_OLD'
      original.deleteItem(store, data, (error, result) => {
        data.ReturnValues = asked
        if (error || result === undefined) return answer(done, cb, error, result)
        const oldImage = result.Attributes
        if (asked !== 'ALL_OLD') delete result.Attributes
        // Deleting an item that does not exist changes nothing and records nothing.
        const change: ItemChange | undefined = oldImage ? { eventName: 'REMOVE', oldImage } : undefined
        recordThenAnswer(stream, change, done, cb, result)
      })
    })
  }

  const updateItem: ItemWriteActions['updateItem'] = (store, data, cb) => {
    const stream = registry.get(data.TableName)
    if (stream === undefined) return original.updateItem(store, data, cb)
    stream.queue.run((done) => {
      // dynalite builds a new item on top of data.Key, so read with a copy taken now.
      const read = { TableName: data.TableName, Key: { ...data.Key } }
      original.getItem(store, read, (readError, before) => {
        // A key or table GetItem refuses, UpdateItem refuses too: let it answer with its own error.
        if (readError)
          return original.updateItem(store, data, (error, result) => answer(done, cb, error, result))
        const oldImage = before?.Item
        const asked = data.ReturnValues
        const internal = asked === undefined || asked === 'NONE' ? 'ALL_NEW' : asked
        data.ReturnValues = internal
        original.updateItem(store, data, (error, result) => {
          data.ReturnValues = asked
          if (error || result === undefined) return answer(done, cb, error, result)
          const recordWith = (newImage: AttributeMap | undefined): void => {
            // DynamoDB writes no record for an UpdateItem that leaves the item as it was.
            const change: ItemChange | undefined =
              newImage === undefined || (oldImage !== undefined && sameItem(oldImage, newImage))
                ? undefined
                : oldImage === undefined
                  ? { eventName: 'INSERT', newImage }
                  : { eventName: 'MODIFY', oldImage, newImage }
            recordThenAnswer(stream, change, done, cb, result)
          }
          if (internal === 'ALL_NEW') {
            const newImage = result.Attributes
            if (asked !== 'ALL_NEW') delete result.Attributes
            return recordWith(newImage)
          }
          // The client asked for old or updated attributes: read the whole new item.
          original.getItem(store, read, (afterError, after) => {
            if (afterError)
              return answer(
                done,
                cb,
                internalServerError(
                  'the item was written but its stream record could not be made',
                  afterError,
                ),
              )
            recordWith(after?.Item)
          })
        })
      })
    })
  }

  return { putItem, updateItem, deleteItem }
}

function answer<Result>(
  done: () => void,
  cb: ActionCallback<Result>,
  error: DynaliteError | null | undefined,
  result?: Result,
): void {
  done()
  cb(error, result)
}

function recordThenAnswer(
  stream: ActiveStream,
  change: ItemChange | undefined,
  done: () => void,
  cb: ActionCallback<WriteResult>,
  result: WriteResult,
): void {
  let failure: DynaliteError | undefined
  try {
    if (change !== undefined) stream.record(change)
  } catch (error) {
    failure = internalServerError('the item was written but its stream record could not be kept', error)
  }
  if (failure) answer(done, cb, failure)
  else answer(done, cb, null, result)
}
