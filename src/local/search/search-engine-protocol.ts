/** Messages between `startLocalSearchEngine` (parent thread) and `search-engine-worker.ts`. */

export interface SearchEngineSetup {
  host: string
  port: number
  /** Where the index is rebuilt from at startup and by `POST /rebuild`. */
  dynamodb: {
    endpoint: string
    region: string
    credentials: { accessKeyId: string; secretAccessKey: string }
  }
  imagesTable: string
  groupsTable: string
  groupsByTimeIndex: string
}

export type FromSearchEngine =
  | { type: 'ready'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'rebuilt'; images: number; milliseconds: number }
  | { type: 'rebuild-failed'; message: string }
  /** An item of the table skipped by a rebuild because it is not a readable image. */
  | { type: 'unreadable-item'; message: string }

/** `rebuild`: the tables exist now, build the index from them (sent once, at startup). */
export type ToSearchEngine = { type: 'close' } | { type: 'rebuild' }

/** One line of the NDJSON stream `POST /rebuild` answers with. */
export type RebuildProgress =
  | { type: 'progress'; indexed: number; total: number }
  | { type: 'done'; indexed: number; milliseconds: number }
  | { type: 'failed'; message: string }
