/**
 * Upload-to-notification latency through the local cloud, as `npm start` runs it: a WebSocket client
 * subscribed to a group; for each of N uploads (sequential), the time from starting the PUT of a JPEG
 * to the presigned URL until the client receives `image.uploaded`, and until it receives `image.ready`
 * (thumbnail made). Prints p50/p90/p99/max.
 * Usage: npm run bench:upload -- [--uploads 100] [--warmup 5] [--width 1600]
 */
import { parseArgs } from 'node:util'
import sharp from 'sharp'
import WebSocket from 'ws'
import { startLocalCloudProcess } from './support/local-cloud-process.ts'

const { values } = parseArgs({
  options: {
    uploads: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '5' },
    width: { type: 'string', default: '1600' },
  },
})
const uploads = Number(values.uploads)
const warmup = Number(values.warmup)
const width = Number(values.width)
for (const [name, value, min] of [
  ['uploads', uploads, 1],
  ['warmup', warmup, 0],
  ['width', width, 16],
] as const) {
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be an integer of at least ${min}`)
}

const cloud = await startLocalCloudProcess('upload-bench')
try {
  const { endpoints } = cloud
  const token = await cloud.tokenFor('bench')
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }

  const created = await fetch(`${endpoints.rest}/groups`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'Latency', description: 'upload benchmark' }),
  })
  const groupId = ((await created.json()) as { newItem: { id: string } }).newItem.id

  const socket = new WebSocket(`${endpoints.websocket}?token=${encodeURIComponent(token)}`)
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  const arrivals = new Map<string, number>()
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; imageId?: string }
    if (message.imageId) arrivals.set(`${message.type}:${message.imageId}`, performance.now())
  })
  socket.send(JSON.stringify({ action: 'subscribe', groupId }))
  await new Promise((resolve) => setTimeout(resolve, 200))

  const jpeg = await sharp({
    create: {
      width,
      height: Math.round((width * 3) / 4),
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 85 })
    .toBuffer()

  const waitFor = async (key: string): Promise<number> => {
    const until = performance.now() + 30_000
    for (;;) {
      const at = arrivals.get(key)
      if (at !== undefined) return at
      if (performance.now() > until) throw new Error(`${key} never arrived`)
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
  }

  const toUploaded: number[] = []
  const toReady: number[] = []
  for (let index = 0; index < warmup + uploads; index++) {
    const response = await fetch(`${endpoints.rest}/groups/${groupId}/images`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        title: `Upload ${index}`,
        contentType: 'image/jpeg',
        contentLength: jpeg.length,
      }),
    })
    const { newItem, uploadUrl } = (await response.json()) as {
      newItem: { imageId: string }
      uploadUrl: string
    }
    const startedAt = performance.now()
    const put = await fetch(uploadUrl, {
      method: 'PUT',
      body: jpeg,
      headers: { 'content-type': 'image/jpeg' },
    })
    if (put.status !== 200) throw new Error(`PUT answered ${put.status}`)
    const uploadedAt = await waitFor(`image.uploaded:${newItem.imageId}`)
    const readyAt = await waitFor(`image.ready:${newItem.imageId}`)
    if (index >= warmup) {
      toUploaded.push(uploadedAt - startedAt)
      toReady.push(readyAt - startedAt)
    }
  }
  socket.close()

  const summary = (samples: number[]) => {
    const sorted = [...samples].sort((a, b) => a - b)
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
    return `p50 ${at(0.5).toFixed(1)} ms | p90 ${at(0.9).toFixed(1)} ms | p99 ${at(0.99).toFixed(1)} ms | max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`
  }
  console.log(
    `Udagram local cloud, Node ${process.version}: ${uploads} sequential uploads of a ${width}x${Math.round((width * 3) / 4)} JPEG (${jpeg.length} bytes), after ${warmup} warm-up uploads`,
  )
  console.log(`PUT start -> image.uploaded on the socket: ${summary(toUploaded)}`)
  console.log(`PUT start -> image.ready (150 px thumbnail made): ${summary(toReady)}`)
} finally {
  await cloud.stop()
}
