/**
 * What the operator console's recording costs on the hot path: the gateway benchmark's two routes
 * (GET /groups with 20 groups, an authorized POST /groups) under autocannon, against `npm start` with
 * the console on (its default) and with `--no-console`, alternating so drift hits both alike.
 * Prints requests/s for each and the overhead of recording.
 * Usage: npm run bench:console -- [--duration 10] [--connections 10] [--rounds 2] [--warmup 2]
 * Loopback only; every run is bounded by --duration.
 */
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { startLocalCloudProcess } from './support/local-cloud-process.ts'
import { integerOption } from './support/measured-child.ts'
import { cpuSeconds } from './support/process-cpu.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '2' },
  },
})
const duration = integerOption('duration', values.duration, 1, 3600)
const connections = integerOption('connections', values.connections, 1, 1000)
const rounds = integerOption('rounds', values.rounds, 1, 20)
const warmupSeconds = integerOption('warmup', values.warmup, 0, 600)

type Mode = 'console on' | 'console off'

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
  // The functions log as `npm start` has them (INFO): what the console captures is part of its cost.
  const cloud = await startLocalCloudProcess('bench-console', {
    args: mode === 'console off' ? ['--no-console'] : [],
    env: { POWERTOOLS_LOG_LEVEL: 'INFO' },
  })
  const rest = cloud.endpoints.rest
  try {
    if ((mode === 'console on') !== (cloud.endpoints.console !== undefined))
      throw new Error(`${mode}: wrong console state`)
    const token = await cloud.tokenFor('bench')
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    for (let index = 0; index < 20; index++) {
      const response = await fetch(`${rest}/groups`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: `Group ${index}`, description: 'seeded for the benchmark' }),
      })
      if (response.status !== 201) throw new Error(`seeding failed: ${response.status}`)
    }
    const get = await load(cloud.pid, { url: `${rest}/groups` })
    const post = await load(cloud.pid, {
      url: `${rest}/groups`,
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
