/**
 * How soon a write shows up in search, through the local cloud as `npm start` runs it: for each of N
 * images (sequential), the time from the 201 of `POST /groups/{id}/images` until `GET /images/search`
 * finds it (polled every 10 ms). The path is the Images stream, the event source mapping (batch window
 * 1 s as serverless.ts declares it), the IndexImages function and the embedded search engine.
 * Prints p50/p90/p99/max.
 * Usage: npm run bench:search-freshness -- [--images 30] [--warmup 3]
 */
import { parseArgs } from 'node:util'
import { startLocalCloudProcess } from './support/local-cloud-process.ts'

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
  },
})
const images = Number(values.images)
const warmup = Number(values.warmup)
for (const [name, value, min] of [
  ['images', images, 1],
  ['warmup', warmup, 0],
] as const) {
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be an integer of at least ${min}`)
}

const cloud = await startLocalCloudProcess('freshness-bench')
try {
  const { rest } = cloud.endpoints
  const token = await cloud.tokenFor('bench')
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }

  const created = await fetch(`${rest}/groups`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'Freshness', description: 'search benchmark' }),
  })
  const groupId = ((await created.json()) as { newItem: { id: string } }).newItem.id

  const delays: number[] = []
  for (let index = 0; index < warmup + images; index++) {
    const word = `zebra${String(index).padStart(4, '0')}x`
    const response = await fetch(`${rest}/groups/${groupId}/images`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: `Freshness ${word}`, contentLength: 1 }),
    })
    if (response.status !== 201) throw new Error(`POST answered ${response.status}`)
    const writtenAt = performance.now()
    for (;;) {
      const found = (await (await fetch(`${rest}/images/search?q=${word}&groupId=${groupId}`)).json()) as {
        total: number
      }
      if (found.total > 0) break
      if (performance.now() - writtenAt > 30_000) throw new Error(`${word} never became searchable`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    if (index >= warmup) delays.push(performance.now() - writtenAt)
  }

  const sorted = [...delays].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  console.log(
    `Udagram local cloud, Node ${process.version}: ${images} images written one after another, after ${warmup} warm-up`,
  )
  console.log(
    `201 -> found by GET /images/search: p50 ${at(0.5).toFixed(0)} ms | p90 ${at(0.9).toFixed(0)} ms | p99 ${at(0.99).toFixed(0)} ms | max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`,
  )
} finally {
  await cloud.stop()
}
