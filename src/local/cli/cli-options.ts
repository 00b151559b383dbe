import { resolve } from 'node:path'
import { parseArgs } from 'node:util'

export const DEFAULT_DATA_DIR = '.udagram'
export const DEFAULT_PORT = 3000

export interface StartOptions {
  dataDir: string
  inMemory: boolean
  port: number
  stage: string
  /** `--param name=value`, as osls takes them; they win over serverless.ts's params. */
  params: Record<string, string>
  /** The operator console (on by default; `--no-console` turns recording off). */
  console: boolean
}

/**
 * `npm start -- [--data <dir>] [--in-memory] [--stage <name>] [--param name=value]... [--no-console]`,
 * PORT from the environment.
 */
export function parseStartOptions(argv: string[], env: NodeJS.ProcessEnv): StartOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      'in-memory': { type: 'boolean', default: false },
      stage: { type: 'string', default: 'dev' },
      param: { type: 'string', multiple: true, default: [] },
      console: { type: 'boolean', default: true },
    },
    allowNegative: true,
    strict: true,
  })
  return {
    dataDir: resolve(values.data ?? DEFAULT_DATA_DIR),
    inMemory: values['in-memory'],
    port: parsePort(env.PORT),
    stage: values.stage,
    params: parseParams(values.param),
    console: values.console,
  }
}

function parseParams(values: string[]): Record<string, string> {
  const params: Record<string, string> = {}
  for (const value of values) {
    const separator = value.indexOf('=')
    if (separator < 1) throw new Error(`--param takes name=value, got "${value}"`)
    params[value.slice(0, separator)] = value.slice(separator + 1)
  }
  return params
}

export function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65_530) {
    throw new Error(
      `PORT must be an integer from 0 to 65530 (S3, WebSocket, web app, CDN and console take PORT+1 to PORT+5), got "${value}"`,
    )
  }
  return port
}
