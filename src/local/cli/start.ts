import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEarlyBackends } from '../early-backends.ts'
import { parseStartOptions } from './cli-options.ts'

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url))

let options: ReturnType<typeof parseStartOptions>
try {
  options = parseStartOptions(process.argv.slice(2), process.env)
} catch (error) {
  console.error(`udagram: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(2)
}

// DynamoDB and the table creator boot on the other core while the rest of the local cloud loads.
await mkdir(options.dataDir, { recursive: true })
const backends = startEarlyBackends({
  dataDir: options.dataDir,
  inMemory: options.inMemory,
  host: '127.0.0.1',
})
const { startLocalCloud } = await import('../local-cloud.ts')

// The web app is built in the background when web/dist is missing or older than web/ (a fresh clone).
const web = { distDir: join(projectRoot, 'web/dist'), sourceDir: join(projectRoot, 'web') }
const cloud = await startLocalCloud({ projectRoot, ...options, backends, web }).catch((error: unknown) => {
  console.error('udagram: the local cloud did not start:', error)
  process.exit(1)
})

const { endpoints } = cloud
console.log(
  [
    `Udagram local cloud (stage ${options.stage}, ${options.inMemory ? 'data in memory' : `data in ${options.dataDir}`})`,
    ...(endpoints.web ? [`  Web app    ${endpoints.web}  (sign in as alice or bob, password udagram)`] : []),
    ...(endpoints.console
      ? [`  Console    ${endpoints.console}  (invocations, traces, dead letters, metrics)`]
      : []),
    `  REST API   ${endpoints.rest}`,
    `  S3         ${endpoints.s3}`,
    `  WebSocket  ${endpoints.websocket}?token=<token>`,
    `  JWKS       ${endpoints.jwks}`,
    `  endpoints  ${options.dataDir}/endpoints.json`,
    '  token      npm run token -- --user alice',
    '  DLQ        npm run dlq -- list',
    ...(endpoints.search ? ['  search     npm run reindex (rebuilds the index from the Images table)'] : []),
  ].join('\n'),
)

let signals = 0
const shutdown = (signal: NodeJS.Signals) => {
  signals++
  if (signals > 1) {
    console.error(`udagram: ${signal} again, exiting without waiting`)
    process.exit(130)
  }
  console.log(`udagram: ${signal}, finishing requests in flight and stopping`)
  cloud.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('udagram: stopping failed:', error)
      process.exit(1)
    },
  )
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
