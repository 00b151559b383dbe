/**
 * Measures the local cloud on its two hot paths, as `npm start` runs it:
 *   - time from launching `npm start`'s command to the first 200 on GET /dev/groups (5 runs);
 *   - GET /groups (20 groups) and an authorized POST /groups under autocannon: requests/s, p50/p99,
 *     CPU-seconds per 1,000 requests and peak resident memory of the local cloud's processes.
 * Usage: npm run bench -- [--duration 10] [--connections 10] [--startup-runs 5]
 * Loopback only; every run is bounded by --duration.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { cpuSeconds, processTree } from './support/process-cpu.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    'startup-runs': { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
  },
})
const duration = Number(values.duration)
const connections = Number(values.connections)
const startupRuns = Number(values['startup-runs'])
const warmupSeconds = Number(values.warmup)
for (const [name, value, min] of [
  ['duration', duration, 1],
  ['connections', connections, 1],
  ['startup-runs', startupRuns, 0],
  ['warmup', warmupSeconds, 0],
] as const) {
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be an integer of at least ${min}`)
}

const projectRoot = fileURLToPath(new URL('../', import.meta.url))
const startScript = join(projectRoot, 'bin/start.mjs')

interface Started {
  pid: number
  rest: string
  startupMs: number
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

async function startCloud(dataDir: string): Promise<Started> {
  const port = await freePort()
  const rest = `http://127.0.0.1:${port}/dev`
  const launchedAt = performance.now()
  // Without the operator console, whose recording costs are measured apart (npm run bench:console).
  const child = spawn(process.execPath, [startScript, '--in-memory', '--no-console', '--data', dataDir], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = launchedAt + 30_000
  for (;;) {
    if (performance.now() > deadline) throw new Error('the local cloud did not answer 200 within 30 s')
    if (child.exitCode !== null) throw new Error(`the local cloud exited with ${child.exitCode}`)
    const status = await fetch(`${rest}/groups`).then(
      (response) => response.arrayBuffer().then(() => response.status),
      () => 0,
    )
    if (status === 200) break
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  const startupMs = performance.now() - launchedAt
  return {
    pid: child.pid ?? 0,
    rest,
    startupMs,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    },
  }
}

async function peakRssMiB(pids: number[]): Promise<number> {
  let kib = 0
  for (const pid of pids) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    kib += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
  }
  return kib / 1024
}

interface RouteResult {
  route: string
  requestsPerSecond: number
  p50: number
  p99: number
  errors: number
  cpuPerThousand: number
}

async function load(
  name: string,
  options: autocannon.Options,
  pids: number[],
  expectedStatus: number,
): Promise<RouteResult> {
  if (warmupSeconds > 0) await autocannon({ ...options, duration: warmupSeconds })
  const cpuBefore = await cpuSeconds(pids)
  const result = await autocannon({ ...options, duration, connections, expectBody: undefined })
  const cpuAfter = await cpuSeconds(pids)
  const good = expectedStatus === 200 ? result['2xx'] : result['2xx']
  const total = result.requests.total
  return {
    route: name,
    requestsPerSecond: good / duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    cpuPerThousand: ((cpuAfter - cpuBefore) / Math.max(total, 1)) * 1000,
  }
}

const dataDir = await mkdtemp(join(tmpdir(), 'udagram-bench-'))
try {
  const startups: number[] = []
  for (let run = 0; run < startupRuns; run++) {
    const cloud = await startCloud(dataDir)
    startups.push(cloud.startupMs)
    await cloud.stop()
  }

  const cloud = await startCloud(dataDir)
  const pids = await processTree(cloud.pid)
  const token = await mintToken(dataDir)
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  for (let index = 0; index < 20; index++) {
    const response = await fetch(`${cloud.rest}/groups`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: `Group ${index}`, description: 'seeded for the benchmark' }),
    })
    if (response.status !== 201)
      throw new Error(`seeding failed: ${response.status} ${await response.text()}`)
  }

  const get = await load('GET /groups (20 groups)', { url: `${cloud.rest}/groups` }, pids, 200)
  const post = await load(
    'POST /groups (authorized)',
    {
      url: `${cloud.rest}/groups`,
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Benchmark group', description: 'created under load' }),
    },
    pids,
    201,
  )
  const peak = await peakRssMiB(pids)
  await cloud.stop()

  const sorted = [...startups].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0
  console.log(
    `Udagram local cloud, Node ${process.version}, ${connections} connections, ${duration} s per route`,
  )
  console.log(
    `start to first 200 (${startupRuns} runs): min ${Math.round(sorted[0] ?? 0)} ms, median ${Math.round(median)} ms, max ${Math.round(sorted.at(-1) ?? 0)} ms`,
  )
  console.log('| route | req/s | p50 ms | p99 ms | errors | CPU s / 1k req |')
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const r of [get, post]) {
    console.log(
      `| ${r.route} | ${r.requestsPerSecond.toFixed(1)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.cpuPerThousand.toFixed(2)} |`,
    )
  }
  console.log(`peak resident memory (gateway + dynalite processes): ${peak.toFixed(0)} MiB`)
} finally {
  await rm(dataDir, { recursive: true, force: true })
}

async function mintToken(dir: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'src/local/cli/token.ts'), '--user', 'bench', '--data', dir],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
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
