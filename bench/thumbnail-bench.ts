/**
 * Thumbnails per second, sharp against Jimp, on the same 12-megapixel JPEG (4000x3000, made once with
 * sharp from a gradient with noise so that it compresses like a photo, not like a flat colour):
 *   - sharp through the project's SharpThumbnailRenderer, `render(bytes, 150)`, as ResizeImage runs it
 *     (auto-orient, 150 px wide, WebP quality 80);
 *   - Jimp 1.6.1, the course's library, as the course uses it: read the JPEG, resize to 150 px wide
 *     keeping the aspect ratio, encode a JPEG (the course stores the thumbnail as `<key>.jpeg`) at
 *     Jimp's default quality, 100.
 * Rounds alternate sharp, Jimp, sharp, Jimp... Each round is a fresh child process rendering one
 * uncounted thumbnail (the first, cold) and then `--per-round` counted ones one after another, as one
 * Lambda instance would, so each library's peak resident memory is its own. Prints median and p95 ms
 * per thumbnail, thumbnails/s, CPU-seconds per thumbnail (all threads: libvips uses several) and peak RSS.
 * Usage: npm run bench:thumbnails -- [--rounds 3] [--per-round 10,3]
 *   (`--per-round n` gives both libraries n; `s,j` gives sharp s and Jimp j; defaults 10 and 3)
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const WIDTH = 4000
const HEIGHT = 3000
const THUMBNAIL_WIDTH = 150

type Library = 'sharp' | 'jimp'

/** What one child process measured. */
interface RoundResult {
  library: Library
  coldMs: number
  timesMs: number[]
  cpuSeconds: number
  /** After loading the library and reading the input, before the first thumbnail. */
  rssBeforeMiB: number
  peakRssMiB: number
  output: { contentType: string; width: number; height: number; bytes: number }
}

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'per-round': { type: 'string', default: '10,3' },
    child: { type: 'string' },
    input: { type: 'string' },
    count: { type: 'string' },
  },
})

if (values.child !== undefined) {
  const library = values.child === 'jimp' ? 'jimp' : 'sharp'
  const result = await measure(library, String(values.input), Number(values.count))
  process.stdout.write(`${JSON.stringify(result)}\n`)
} else {
  await compare()
}

async function compare(): Promise<void> {
  const rounds = Number(values.rounds)
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds must be a positive integer, got ${values.rounds}`)
  const [sharpPerRound, jimpPerRound] = perRound(String(values['per-round']))
  const dir = await mkdtemp(join(tmpdir(), 'udagram-thumbnail-bench-'))
  try {
    const input = join(dir, 'photo-12mp.jpg')
    const jpeg = await photoLikeJpeg()
    await writeFile(input, jpeg)
    const results: RoundResult[] = []
    const startedAt = performance.now()
    for (let round = 0; round < rounds; round++) {
      results.push(await runChild('sharp', input, sharpPerRound))
      results.push(await runChild('jimp', input, jimpPerRound))
    }
    const elapsed = (performance.now() - startedAt) / 1000
    report(results, { rounds, sharpPerRound, jimpPerRound, bytes: jpeg.length, elapsed })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function perRound(option: string): [number, number] {
  const [first, second] = option.split(',').map(Number)
  const sharpCount = first ?? Number.NaN
  const jimpCount = second ?? sharpCount
  if (!(sharpCount >= 1 && jimpCount >= 1)) throw new Error(`--per-round must be n or s,j, not ${option}`)
  return [sharpCount, jimpCount]
}

/** A gradient, a slow wave and per-pixel noise, so the JPEG is photo-sized (~3 MB at quality 90). */
async function photoLikeJpeg(): Promise<Buffer> {
  // Imported here, not at the top, so that a Jimp round's process does not load libvips.
  const { default: sharp } = await import('sharp')
  const raw = Buffer.alloc(WIDTH * HEIGHT * 3)
  let seed = 0x9e3779b9
  const noise = () => {
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return ((seed >>> 0) / 4294967296 - 0.5) * 32
  }
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const at = (y * WIDTH + x) * 3
      const wave = 40 * Math.sin(x / 97) * Math.cos(y / 131)
      raw[at] = Math.max(0, Math.min(255, (x / WIDTH) * 200 + wave + 20 + noise()))
      raw[at + 1] = Math.max(0, Math.min(255, (y / HEIGHT) * 180 + wave / 2 + 30 + noise()))
      raw[at + 2] = Math.max(0, Math.min(255, 160 - (x / WIDTH) * 80 - wave + noise()))
    }
  }
  return sharp(raw, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer()
}

async function runChild(library: Library, input: string, count: number): Promise<RoundResult> {
  const script = fileURLToPath(import.meta.url)
  const args = [script, '--child', library, '--input', input, '--count', String(count)]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`the ${library} round exited with ${code}`)
  return JSON.parse(output) as RoundResult
}

/** The child's side: one cold thumbnail, then `count` timed ones in a row. */
async function measure(library: Library, input: string, count: number): Promise<RoundResult> {
  const render = await rendererFor(library)
  const bytes = await readFile(input)
  const rssBeforeMiB = process.memoryUsage.rss() / 2 ** 20
  let startedAt = performance.now()
  const output = await render(bytes)
  const coldMs = performance.now() - startedAt
  const timesMs: number[] = []
  const cpuBefore = process.cpuUsage()
  for (let index = 0; index < count; index++) {
    startedAt = performance.now()
    await render(bytes)
    timesMs.push(performance.now() - startedAt)
  }
  const cpu = process.cpuUsage(cpuBefore)
  return {
    library,
    coldMs,
    timesMs,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssBeforeMiB,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    output,
  }
}

type Render = (bytes: Buffer) => Promise<RoundResult['output']>

async function rendererFor(library: Library): Promise<Render> {
  if (library === 'sharp') {
    const { SharpThumbnailRenderer } = await import('#adapters/sharp/sharp-thumbnail-renderer.ts')
    const renderer = new SharpThumbnailRenderer()
    return async (bytes) => {
      const thumbnail = await renderer.render(bytes, THUMBNAIL_WIDTH)
      const { contentType, width, height } = thumbnail
      return { contentType, width, height, bytes: thumbnail.bytes.length }
    }
  }
  const { Jimp } = await import('jimp')
  return async (bytes) => {
    const image = await Jimp.read(bytes)
    image.resize({ w: THUMBNAIL_WIDTH })
    const jpeg = await image.getBuffer('image/jpeg')
    return { contentType: 'image/jpeg', width: image.width, height: image.height, bytes: jpeg.length }
  }
}

interface Summary {
  label: string
  median: number
  p95: number
  perSecond: number
  cpuPerThumbnail: number
  peakRssMiB: number
  rssBeforeMiB: number
  coldMs: number
  count: number
  output: RoundResult['output']
}

function summarise(label: string, rounds: RoundResult[]): Summary {
  const times = rounds.flatMap((round) => round.timesMs).sort((a, b) => a - b)
  const total = times.reduce((sum, time) => sum + time, 0)
  const first = rounds[0]
  if (first === undefined) throw new Error(`no ${label} rounds`)
  return {
    label,
    median: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    perSecond: (times.length / total) * 1000,
    cpuPerThumbnail: rounds.reduce((sum, round) => sum + round.cpuSeconds, 0) / times.length,
    peakRssMiB: Math.max(...rounds.map((round) => round.peakRssMiB)),
    rssBeforeMiB: Math.max(...rounds.map((round) => round.rssBeforeMiB)),
    coldMs: quantile(
      rounds.map((round) => round.coldMs).sort((a, b) => a - b),
      0.5,
    ),
    count: times.length,
    output: first.output,
  }
}

/** Nearest rank on sorted values. */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN
}

function report(
  results: RoundResult[],
  run: { rounds: number; sharpPerRound: number; jimpPerRound: number; bytes: number; elapsed: number },
): void {
  const sharpSide = summarise('sharp 0.35.5 (SharpThumbnailRenderer)', results.filter(isLibrary('sharp')))
  const jimpSide = summarise('Jimp 1.6.1 (the course)', results.filter(isLibrary('jimp')))
  console.log(
    `Thumbnails ${THUMBNAIL_WIDTH} px wide from one ${WIDTH}x${HEIGHT} JPEG of ${(run.bytes / 2 ** 20).toFixed(2)} MiB, ` +
      `Node ${process.version}, ${run.rounds} alternating rounds of ${run.sharpPerRound} (sharp) and ` +
      `${run.jimpPerRound} (Jimp), ${run.elapsed.toFixed(1)} s in all`,
  )
  for (const side of [sharpSide, jimpSide]) {
    const { contentType, width, height, bytes } = side.output
    console.log(
      `${side.label}: ${side.count} thumbnails, each ${width}x${height} ${contentType} of ${bytes} bytes; ` +
        `first (cold) thumbnail of a process: median ${side.coldMs.toFixed(0)} ms`,
    )
  }
  console.log('| library | median ms | p95 ms | thumbnails/s | CPU s / thumbnail | peak RSS MiB |')
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const side of [sharpSide, jimpSide]) {
    console.log(
      `| ${side.label} | ${side.median.toFixed(1)} | ${side.p95.toFixed(1)} | ${side.perSecond.toFixed(2)} | ` +
        `${side.cpuPerThumbnail.toFixed(3)} | ${side.peakRssMiB.toFixed(0)} |`,
    )
  }
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`
  console.log(
    `| **sharp / Jimp** | ${ratio(sharpSide.median, jimpSide.median)} | ${ratio(sharpSide.p95, jimpSide.p95)} | ` +
      `${ratio(sharpSide.perSecond, jimpSide.perSecond)} | ` +
      `${ratio(sharpSide.cpuPerThumbnail, jimpSide.cpuPerThumbnail)} | ${ratio(sharpSide.peakRssMiB, jimpSide.peakRssMiB)} |`,
  )
  console.log(
    `Peak RSS is the whole child process (Node, the library, the 12 MP input): before the first thumbnail ` +
      `it was ${sharpSide.rssBeforeMiB.toFixed(0)} MiB (sharp) and ${jimpSide.rssBeforeMiB.toFixed(0)} MiB (Jimp).`,
  )
}

function isLibrary(library: Library) {
  return (result: RoundResult) => result.library === library
}
