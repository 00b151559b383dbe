/**
 * What the operator console's recording costs on the hot path: the gateway benchmark's two routes
 * (GET /groups with 20 groups, an authorized POST /groups) under autocannon, against `npm start` with
 * the console on (its default) and with `--no-console`, alternating so drift hits both alike.
 * Prints requests/s for each and the overhead of recording.
 * Usage: npm run bench:console -- [--duration 10] [--connections 10] [--rounds 2] [--warmup 2]
 * Loopback only; every run is bounded by --duration.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { cpuSeconds } from './support/process-cpu.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '2' },
  },
})
const duration = Number(values.duration)
const connections = Number(values.connections)
const rounds = Number(values.rounds)
const warmupSeconds = Number(values.warmup)
for (const [name, value, min] of [
  ['duration', duration, 1],
  ['connections', connections, 1],
  ['rounds', rounds, 1],
  ['warmup', warmupSeconds, 0],
] as const) {
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be an integer of at least ${min}`)
}

const projectRoot = fileURLToPath(new URL('../', import.meta.url))

type Mode = 'console on' | 'console off'

interface Cloud {
  /** The local cloud's Node process: the gateway, the recorder and the function threads. */
  pid: number
  rest: string
  console: string | undefined
  dataDir: string
  stop(): Promise<void>
}

async function startCloud(mode: Mode): Promise<Cloud> {
  const dataDir = await mkdtemp(join(tmpdir(), 'udagram-bench-console-'))
  const child = spawn(
    process.execPath,
    [
      join(projectRoot, 'bin/start.mjs'),
      '--in-memory',
      '--data',
      dataDir,
      ...(mode === 'console off' ? ['--no-console'] : []),
    ],
    { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await exited
    }
    await rm(dataDir, { recursive: true, force: true })
  }
  let printed = ''
  child.stdout.on('data', (chunk: Buffer) => {
    printed += chunk.toString()
  })
  const deadline = Date.now() + 30_000
  while (!printed.includes('REST API')) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop()
      throw new Error('the local cloud did not start')
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const endpoints = JSON.parse(await readFile(join(dataDir, 'endpoints.json'), 'utf8')) as {
    rest: string
    console?: string
  }
  return { pid: child.pid ?? 0, rest: endpoints.rest, console: endpoints.console, dataDir, stop }
}

async function mintToken(dataDir: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'src/local/cli/token.ts'), '--user', 'bench', '--data', dataDir],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  await new Promise((resolve) => child.once('exit', resolve))
  const token = output.trim().split('\n').at(-1)
  if (!token) throw new Error('npm run token printed nothing')
  return token
}

interface RouteFigures {
  requestsPerSecond: number
  /**
   * CPU time of the local cloud's Node process per request: what recording costs shows here even
   * when two busy cores make throughput swing by more than that cost.
   */
  cpuMsPerRequest: number
}

async function load(pid: number, options: autocannon.Options): Promise<RouteFigures> {
  if (warmupSeconds > 0) await autocannon({ ...options, duration: warmupSeconds, connections })
  const cpuBefore = await cpuSeconds([pid])
  const result = await autocannon({ ...options, duration, connections })
  const cpu = (await cpuSeconds([pid])) - cpuBefore
  if (result.errors + result.timeouts + result.non2xx > 0) {
    throw new Error(
      `${options.method ?? 'GET'} ${options.url}: ${result.non2xx} non-2xx, ${result.errors} errors`,
    )
  }
  return { requestsPerSecond: result['2xx'] / duration, cpuMsPerRequest: (cpu * 1000) / result['2xx'] }
}

async function measure(mode: Mode): Promise<{ get: RouteFigures; post: RouteFigures }> {
  const cloud = await startCloud(mode)
  try {
    if ((mode === 'console on') !== (cloud.console !== undefined))
      throw new Error(`${mode}: wrong console state`)
    const token = await mintToken(cloud.dataDir)
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    for (let index = 0; index < 20; index++) {
      const response = await fetch(`${cloud.rest}/groups`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: `Group ${index}`, description: 'seeded for the benchmark' }),
      })
      if (response.status !== 201) throw new Error(`seeding failed: ${response.status}`)
    }
    const get = await load(cloud.pid, { url: `${cloud.rest}/groups` })
    const post = await load(cloud.pid, {
      url: `${cloud.rest}/groups`,
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Benchmark group', description: 'created under load' }),
    })
    return { get, post }
  } finally {
    await cloud.stop()
  }
}

const results: Record<Mode, Array<{ get: RouteFigures; post: RouteFigures }>> = {
  'console on': [],
  'console off': [],
}
for (let round = 0; round < rounds; round++) {
  const order: Mode[] = round % 2 === 0 ? ['console off', 'console on'] : ['console on', 'console off']
  for (const mode of order) results[mode].push(await measure(mode))
}

const mean = (numbers: number[]) =>
  numbers.reduce((sum, value) => sum + value, 0) / Math.max(numbers.length, 1)
console.log(
  `Operator console overhead, Node ${process.version}, ${connections} connections, ${duration} s per route, ${rounds} round(s)`,
)
console.log(
  '| route | req/s off | req/s on | throughput lost | CPU ms/request off | CPU ms/request on | CPU added | req/s runs off / on |',
)
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |')
for (const [route, key] of [
  ['GET /groups (20 groups)', 'get'],
  ['POST /groups (authorized)', 'post'],
] as const) {
  const figure = (mode: Mode, name: keyof RouteFigures) =>
    mean(results[mode].map((result) => result[key][name]))
  const off = figure('console off', 'requestsPerSecond')
  const on = figure('console on', 'requestsPerSecond')
  const cpuOff = figure('console off', 'cpuMsPerRequest')
  const cpuOn = figure('console on', 'cpuMsPerRequest')
  const runs = (mode: Mode) =>
    results[mode].map((result) => result[key].requestsPerSecond.toFixed(0)).join(', ')
  console.log(
    `| ${route} | ${off.toFixed(1)} | ${on.toFixed(1)} | ${(((off - on) / off) * 100).toFixed(1)}% | ${cpuOff.toFixed(3)} | ${cpuOn.toFixed(3)} | ${(((cpuOn - cpuOff) / cpuOff) * 100).toFixed(1)}% | ${runs('console off')} / ${runs('console on')} |`,
  )
}
