/**
 * What the operator console's recording costs per invocation, away from the load generator: one
 * process invokes a REST-shaped function (one HTTP call, one log line, a GET /groups-sized answer)
 * N times in a row through the local Lambda, with and without the recorder (which also turns the
 * workers' capture on), and prints the process's CPU time per invocation (all threads) for each.
 *
 * Usage: npm run bench:console-cost -- [--invocations 3000] [--rounds 3]
 * Loopback only.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { InvocationRecorder } from '../src/local/console/invocation-recorder.ts'
import { LocalLambda } from '../src/local/lambda/local-lambda.ts'
import { integerOption } from './support/measured-child.ts'

const { values } = parseArgs({
  options: { invocations: { type: 'string', default: '3000' }, rounds: { type: 'string', default: '3' } },
})
const invocations = integerOption('invocations', values.invocations, 100, 1_000_000)
const rounds = integerOption('rounds', values.rounds, 1, 20)

const modulePath = fileURLToPath(new URL('./support/console-cost-function.ts', import.meta.url))
const server = createServer((_request, response) => response.writeHead(200).end('{"Items":[]}'))
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
// About the size of GET /groups' answer with 20 groups, and an API Gateway proxy event's headers.
const body = JSON.stringify({
  items: Array.from({ length: 20 }, (_, index) => ({
    id: `group-${index}`,
    name: `Group ${index}`,
    description: 'x'.repeat(60),
    userId: 'alice',
    timestamp: new Date().toISOString(),
  })),
})
const headers = Object.fromEntries(
  Array.from({ length: 15 }, (_, index) => [`x-header-${index}`, 'v'.repeat(40)]),
)

type Mode = 'off' | 'capture only' | 'on'

/** `capture only`: the workers capture, but an observer that keeps nothing stands in for the recorder. */
async function cpuMicrosPerInvocation(mode: Mode): Promise<number> {
  const observer = mode === 'on' ? new InvocationRecorder() : { invoked: () => {} }
  const lambda = new LocalLambda({
    region: 'us-east-1',
    accountId: '000000000000',
    runtimeEnvironment: {},
    functions: new Map([
      [
        'Bench',
        {
          name: 'Bench',
          modulePath,
          exportName: 'handler',
          environment: {},
          timeoutSeconds: 10,
          memorySize: 256,
          events: [],
        },
      ],
    ]),
    ...(mode !== 'off' && { observer }),
  })
  try {
    const event = {
      url,
      body,
      headers,
      httpMethod: 'GET',
      path: '/dev/groups',
      requestContext: { stage: 'dev' },
    }
    for (let index = 0; index < 200; index++) await lambda.invoke('Bench', event)
    const before = process.cpuUsage()
    for (let index = 0; index < invocations; index++) await lambda.invoke('Bench', event)
    // Let the recorder's deferred work (serializing, metrics) run, and count it.
    await new Promise((resolve) => setTimeout(resolve, 50))
    const used = process.cpuUsage(before)
    return (used.user + used.system) / invocations
  } finally {
    await lambda.stop()
  }
}

const modes: Mode[] = ['off', 'capture only', 'on']
const results: Record<Mode, number[]> = { off: [], 'capture only': [], on: [] }
for (let round = 0; round < rounds; round++) {
  for (const mode of round % 2 === 0 ? modes : [...modes].reverse()) {
    results[mode].push(await cpuMicrosPerInvocation(mode))
  }
}
server.close()
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? 0
const off = median(results.off)
const captureOnly = median(results['capture only'])
const on = median(results.on)
console.log(
  `Operator console recording, ${invocations} sequential invocations x ${rounds} round(s), Node ${process.version}`,
)
console.log('| | CPU µs per invocation (median) | runs |')
console.log('| --- | --- | --- |')
console.log(
  `| console off | ${off.toFixed(0)} | ${results.off.map((value) => value.toFixed(0)).join(', ')} |`,
)
console.log(
  `| workers capture, nothing kept | ${captureOnly.toFixed(0)} | ${results['capture only'].map((value) => value.toFixed(0)).join(', ')} |`,
)
console.log(`| console on | ${on.toFixed(0)} | ${results.on.map((value) => value.toFixed(0)).join(', ')} |`)
console.log(
  `added by recording: ${(on - off).toFixed(0)} µs per invocation (capture ${(captureOnly - off).toFixed(0)}, recorder ${(on - captureOnly).toFixed(0)})`,
)
