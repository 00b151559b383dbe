/**
 * Telling one group's 5,000 WebSocket subscribers that an image was uploaded, with the pieces
 * SendUploadNotifications uses: groupNotifications over a SubscriptionRegistry (in memory here) and the
 * ManagementApiClientNotifier (the real SDK client), against the local WebSocket API, whose $connect,
 * $disconnect and echo routes run in a real LocalLambda (test/fixtures/handlers/websocket-functions.ts).
 *   - opens the clients on loopback (each learns its connection id from the echo route), then drops 10 %
 *     of them abruptly (TCP gone, no closing handshake) and waits until the API reports them gone;
 *   - for each mode (NOTIFICATION_CONCURRENCY in parallel, then one by one) registers every connection,
 *     the dropped ones too, in a fresh InMemorySubscriptionRegistry subscribed to one group and notifies
 *     it: wall time until every live client has received the message, messages/s, this process's CPU,
 *     and the dropped connections answered 410 and removed from the registry. Both modes are first run
 *     once, uncounted, on 500 of the connections; then the order of the modes alternates by round.
 * Clients, the API and the notifier share this one process and its main thread, so its CPU is all three,
 * and the table shows how busy that thread was.
 * Usage: npm run bench:fanout -- [--connections 5000] [--closed 0.1] [--rounds 2]
 * Loopback only; every wait is bounded, and everything is closed at the end.
 */
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { GetConnectionCommand, GoneException } from '@aws-sdk/client-apigatewaymanagementapi'
import WebSocket from 'ws'
import {
  createManagementApiClient,
  ManagementApiClientNotifier,
} from '#adapters/apigateway/management-api-client-notifier.ts'
import { InMemorySubscriptionRegistry } from '#adapters/in-memory/in-memory-subscription-registry.ts'
import { groupNotifications, NOTIFICATION_CONCURRENCY } from '#core/notifications/group-notifications.ts'
import { mapWithConcurrency } from '#core/shared/concurrency.ts'
import { startLocalWebSocketApi } from '#local/apigateway/websocket/local-websocket-api.ts'
import type { FunctionInvoker } from '#local/lambda/invocation.ts'
import { LocalLambda } from '#local/lambda/local-lambda.ts'
import { wsFunction } from '#test/local/apigateway/websocket/websocket-test-kit.ts'

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '5000' },
    closed: { type: 'string', default: '0.1' },
    rounds: { type: 'string', default: '2' },
  },
})
const requested = Number(values.connections)
const closedShare = Number(values.closed)
const rounds = Number(values.rounds)
if (!Number.isInteger(requested) || requested < 1)
  throw new Error(`--connections must be a positive integer, got ${values.connections}`)
if (!(closedShare >= 0 && closedShare < 1))
  throw new Error(
    `--closed is the share of connections to drop, from 0 to under 1 (e.g. 0.1), got ${values.closed}`,
  )
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`--rounds must be a positive integer, got ${values.rounds}`)

const region = 'us-east-1'
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' }
const groupId = 'bench-group'
/** Handshakes in flight while the clients connect: each one is a $connect invocation. */
const OPENING_CONCURRENCY = 100
/** Subscribers notified once in each mode, uncounted, before the measured rounds. */
const WARM_UP_SUBSCRIBERS = 500
/** Descriptors this process keeps besides the WebSockets: the SDK's sockets, workers, files, stdio. */
const RESERVED_DESCRIPTORS = 300

interface Subscriber {
  socket: WebSocket
  connectionId: string
  /** Messages of the current mode's event. */
  received: number
}

interface ModeResult {
  mode: string
  concurrency: number
  subscribers: number
  delivered: number
  exactlyOnce: boolean
  removed: number
  left: number
  notifyMs: number
  wallMs: number
  cpuSeconds: number
  /** Share of the wall time the main thread was busy (event loop utilisation). */
  mainThreadBusy: number
}

/** The soft open-files limit (`ulimit -n`); each connection costs two descriptors here, client and server. */
async function openFilesLimit(): Promise<number> {
  const limits = await readFile('/proc/self/limits', 'utf8')
  const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1]
  return soft === undefined || soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft)
}

async function deadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms / 1000} s`)), ms)
  })
  try {
    return await Promise.race([work, expired])
  } finally {
    clearTimeout(timer)
  }
}

const fileLimit = await openFilesLimit()
const possible = Math.floor((fileLimit - RESERVED_DESCRIPTORS) / 2)
const connections = Math.min(requested, possible)
const closedCount = Math.round(connections * closedShare)

const functions = new Map([
  wsFunction('Connect', 'connect', [{ websocket: '$connect' }]),
  wsFunction('Disconnect', 'disconnect', [{ websocket: '$disconnect' }]),
  wsFunction('Echo', 'echoEvent', [
    { websocket: { route: 'echo', routeResponseSelectionExpression: '$default' } },
  ]),
])
// The functions need the API's Management endpoint, which exists only once the API has started.
let lambda: LocalLambda | undefined
const invoker: FunctionInvoker = {
  invoke: (name, event) =>
    lambda ? lambda.invoke(name, event) : Promise.reject(new Error('the local Lambda is not started yet')),
}
const api = await startLocalWebSocketApi({
  port: 0,
  stage: 'dev',
  region,
  accountId: '000000000000',
  apiId: 'local-ws',
  functions,
  invoker,
  maxConnections: connections + 100,
})
lambda = new LocalLambda({
  functions,
  region,
  accountId: '000000000000',
  runtimeEnvironment: {
    WEBSOCKET_MANAGEMENT_ENDPOINT: api.managementEndpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  },
})
const client = createManagementApiClient({ region, endpoint: api.managementEndpoint, credentials })
const subscribers: Subscriber[] = []

/** Set per mode: which event the clients count, and what to do when the last one has it. */
let counting = { imageId: '', expected: 0, delivered: 0, lastAt: 0, done: () => {} }

async function connect(): Promise<Subscriber> {
  const socket = new WebSocket(api.url, { perMessageDeflate: false })
  await once(socket, 'open')
  const echoed = once(socket, 'message')
  socket.send(JSON.stringify({ action: 'echo' }))
  const [data] = (await echoed) as [Buffer]
  const event = JSON.parse(data.toString('utf8')) as { requestContext: { connectionId: string } }
  const subscriber: Subscriber = { socket, connectionId: event.requestContext.connectionId, received: 0 }
  socket.on('message', (message: Buffer) => {
    const { imageId } = JSON.parse(message.toString('utf8')) as { imageId?: string }
    if (imageId !== counting.imageId) return
    subscriber.received++
    counting.delivered++
    if (counting.delivered === counting.expected) {
      counting.lastAt = performance.now()
      counting.done()
    }
  })
  return subscriber
}

/** Polls GetConnection until the API answers 410 for it. */
async function untilGone(connectionId: string): Promise<void> {
  for (;;) {
    try {
      await client.send(new GetConnectionCommand({ ConnectionId: connectionId }))
    } catch (error) {
      if (error instanceof GoneException) return
      throw error
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Registers `registered` (live and dropped) in a fresh registry and notifies the group once. */
async function runMode(
  mode: string,
  concurrency: number,
  registered: Subscriber[],
  dropped: Set<Subscriber>,
): Promise<ModeResult> {
  const live = registered.filter((subscriber) => !dropped.has(subscriber))
  const registry = new InMemorySubscriptionRegistry()
  for (const { connectionId } of registered) {
    await registry.addConnection({ connectionId, userId: 'bench-user', ttlSeconds: 7200 })
    await registry.subscribe(connectionId, groupId, 7200)
  }
  for (const subscriber of subscribers) subscriber.received = 0
  const imageId = `image-${mode}-${Date.now()}`
  const allDelivered = new Promise<void>((resolve) => {
    counting = { imageId, expected: live.length, delivered: 0, lastAt: 0, done: resolve }
    if (live.length === 0) resolve()
  })
  const notifications = groupNotifications({
    registry,
    notifier: new ManagementApiClientNotifier(client),
    concurrency,
  })
  const cpuBefore = process.cpuUsage()
  const loopBefore = performance.eventLoopUtilization()
  const startedAt = performance.now()
  const report = await deadline(
    notifications.notifyGroup({
      type: 'image.uploaded',
      groupId,
      imageId,
      title: 'Red sky',
      imageUrl: `http://127.0.0.1:3001/images/${imageId}`,
    }),
    120_000,
    `notifying in ${mode}`,
  )
  const notifyMs = performance.now() - startedAt
  await deadline(allDelivered, 30_000, `the last deliveries of ${mode}`)
  const cpu = process.cpuUsage(cpuBefore)
  const loop = performance.eventLoopUtilization(loopBefore)
  return {
    mode,
    concurrency,
    subscribers: registered.length,
    delivered: counting.delivered,
    exactlyOnce: live.every((subscriber) => subscriber.received === 1),
    removed: report.removed,
    left: (await registry.subscribersOf(groupId)).length,
    notifyMs,
    wallMs: Math.max(notifyMs, counting.lastAt - startedAt),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    mainThreadBusy: loop.utilization,
  }
}

try {
  const openedAt = performance.now()
  subscribers.push(
    ...(await deadline(
      mapWithConcurrency(
        Array.from({ length: connections }, (_, index) => index),
        OPENING_CONCURRENCY,
        connect,
      ),
      180_000,
      `opening ${connections} connections`,
    )),
  )
  const openingSeconds = (performance.now() - openedAt) / 1000

  const step = connections / Math.max(closedCount, 1)
  const dropped = Array.from(
    { length: closedCount },
    (_, index) => subscribers[Math.floor(index * step)],
  ).filter((subscriber) => subscriber !== undefined)
  for (const subscriber of dropped) subscriber.socket.terminate()
  const droppedAt = performance.now()
  await deadline(
    mapWithConcurrency(dropped, 32, (subscriber) => untilGone(subscriber.connectionId)),
    30_000,
    'the API noticing the dropped connections',
  )
  const noticedMs = performance.now() - droppedAt
  const droppedSet = new Set(dropped)
  const live = subscribers.length - droppedSet.size

  const modes: [string, number][] = [
    ['parallel', NOTIFICATION_CONCURRENCY],
    ['one by one', 1],
  ]
  // Uncounted: the first notifications of a process pay for JIT compilation and the SDK's first sockets.
  const warmUp = subscribers.slice(0, WARM_UP_SUBSCRIBERS)
  for (const [mode, concurrency] of modes) await runMode(mode, concurrency, warmUp, droppedSet)
  const results: ModeResult[] = []
  for (let round = 0; round < rounds; round++) {
    for (const [mode, concurrency] of round % 2 === 0 ? modes : [...modes].reverse()) {
      results.push(await runMode(mode, concurrency, subscribers, droppedSet))
    }
  }

  console.log(
    `Notifying one group's subscribers over the local WebSocket API, Node ${process.version}, ` +
      `${rounds} round${rounds === 1 ? '' : 's'}, loopback`,
  )
  if (connections < requested) {
    console.log(
      `Only ${connections} of the ${requested} connections asked for: the open-files limit (ulimit -n) is ` +
        `${fileLimit}, and each connection takes two descriptors in this process (client and server).`,
    )
  }
  console.log(
    `${connections} clients opened in ${openingSeconds.toFixed(1)} s ($connect and an echo each, ` +
      `${OPENING_CONCURRENCY} at a time; ulimit -n ${fileLimit}); ${dropped.length} dropped without a ` +
      `closing handshake, all reported gone (410 on GetConnection) within ${noticedMs.toFixed(0)} ms; ` +
      `${live} live.`,
  )
  console.log(
    '| mode | concurrency | registered | delivered | each live client once | 410 removed | left in registry | notifyGroup ms | wall ms (last client) | messages/s | CPU s | CPU ms / message | main thread busy |',
  )
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const r of results) {
    console.log(
      `| ${r.mode} | ${r.concurrency} | ${r.subscribers} | ${r.delivered} | ${r.exactlyOnce ? 'yes' : 'NO'} | ` +
        `${r.removed} | ${r.left} | ${r.notifyMs.toFixed(0)} | ${r.wallMs.toFixed(0)} | ` +
        `${((r.delivered / r.wallMs) * 1000).toFixed(0)} | ${r.cpuSeconds.toFixed(2)} | ` +
        `${((r.cpuSeconds / r.delivered) * 1000).toFixed(3)} | ${(r.mainThreadBusy * 100).toFixed(0)} % |`,
    )
  }
  const parallel = results.filter((r) => r.concurrency !== 1)
  const serial = results.filter((r) => r.concurrency === 1)
  const meanWall = (rs: ModeResult[]) => rs.reduce((sum, r) => sum + r.wallMs, 0) / rs.length
  console.log(
    `wall time, parallel / one by one: ${(meanWall(parallel) / meanWall(serial)).toFixed(2)}x (under 1: parallel is faster); ` +
      `peak RSS of this process (clients, API, notifier, Lambda workers): ` +
      `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  )
} finally {
  const closing = subscribers.map(async ({ socket }) => {
    if (socket.readyState === WebSocket.CLOSED) return
    const closed = once(socket, 'close')
    socket.close(1000)
    await closed
  })
  await deadline(Promise.all(closing), 30_000, 'closing the clients').catch((error: unknown) => {
    console.error(error)
    for (const { socket } of subscribers) socket.terminate()
  })
  client.destroy()
  await api.close()
  await lambda.stop()
}
