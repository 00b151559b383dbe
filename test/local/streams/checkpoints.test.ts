import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, describe, it } from 'node:test'
import { MemoryDeadLetterStore } from '#local/lambda/async/dead-letter-store.ts'
import { startStreamEventSources } from '#local/streams/stream-event-sources.ts'
import { MemoryStreamSource } from '#test/fakes/memory-stream-source.ts'
import { aFunctionError, aHeldOutcome, ScriptedStreamFunction } from '#test/fakes/scripted-stream-function.ts'
import {
  aDefinition,
  anImageChange,
  aRecordingLogger,
  aStreamEvent,
  IMAGES_TABLE,
  type StreamsHarness,
  sequenceNumbers,
  settle,
  startStreams,
} from './stream-fixture.ts'

const indexImages = aDefinition({ IndexImages: [aStreamEvent({ batchSize: 10 })] })
const mappingId = `IndexImages:${IMAGES_TABLE}`

describe('stream checkpoints', () => {
  let root: string
  let count = 0
  const running: StreamsHarness[] = []
  const aDataDir = () => join(root, `data-${++count}`)
  const append = (source: MemoryStreamSource, ...imageIds: string[]) =>
    sequenceNumbers(imageIds.map((imageId) => source.append(IMAGES_TABLE, anImageChange(imageId))))

  /** Starts the mappings on a data folder; stopped after the test unless the test stops them. */
  async function start(dataDir: string | undefined, options: Parameters<typeof startStreams>[1] = {}) {
    const harness = await startStreams(options.definition ?? indexImages, { dataDir, ...options })
    running.push(harness)
    return harness
  }

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'udagram-streams-'))
  })

  afterEach(async () => {
    await Promise.all(running.splice(0).map((harness) => harness.streams.stop()))
  })

  after(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('resumes after a restart where it was: nothing lost, nothing delivered twice', async () => {
    const dataDir = aDataDir()
    const source = new MemoryStreamSource([IMAGES_TABLE])
    const before = await start(dataDir, { source })
    const first = append(source, 'a', 'b', 'c')
    await before.streams.idle()
    await before.streams.stop()

    const whileDown = append(source, 'd', 'e')
    const afterRestart = await start(dataDir, { source })
    await afterRestart.streams.idle()

    assert.deepEqual(before.lambda.batches(), [first])
    assert.deepEqual(afterRestart.lambda.batches(), [whileDown])
    const file = JSON.parse(await readFile(join(dataDir, 'streams', 'checkpoints.json'), 'utf8'))
    assert.deepEqual(file, {
      [mappingId]: { streamArn: (await source.streams())[0]?.streamArn, after: whileDown.at(-1) },
    })
    assert.deepEqual(await readdir(join(dataDir, 'streams')), ['checkpoints.json'])
  })

  it('delivers again, after a restart, a batch whose invocation never finished (a crash)', async () => {
    const dataDir = aDataDir()
    const source = new MemoryStreamSource([IMAGES_TABLE])
    const hung = new ScriptedStreamFunction(() => new Promise(() => undefined))
    // Never stopped: its invocation never ends, as if the process had died during it.
    await startStreams(indexImages, { dataDir, source, functions: hung })
    const written = append(source, 'a', 'b')
    await hung.called(1)

    const restarted = await start(dataDir, { source })
    await restarted.streams.idle()

    assert.deepEqual(hung.batches(), [written])
    assert.deepEqual(restarted.lambda.batches(), [written])
  })

  it('delivers again, after a restart, a batch that was waiting for its retry when stopped', async () => {
    const dataDir = aDataDir()
    const source = new MemoryStreamSource([IMAGES_TABLE])
    const failing = new ScriptedStreamFunction(() => aFunctionError)
    const stopped = await start(dataDir, { source, functions: failing, retryDelaysMs: [60_000] })
    const written = append(source, 'a', 'b')
    await failing.called(1)
    await stopped.streams.stop()

    const restarted = await start(dataDir, { source })
    await restarted.streams.idle()

    assert.deepEqual(failing.batches(), [written])
    assert.deepEqual(restarted.lambda.batches(), [written])
    assert.deepEqual(await stopped.deadLetters.list(), [])
  })

  it('lets an invocation under way finish and checkpoint when stopped', async () => {
    const dataDir = aDataDir()
    const source = new MemoryStreamSource([IMAGES_TABLE])
    const held = aHeldOutcome()
    const lambda = new ScriptedStreamFunction(() => held.outcome)
    const stopping = await start(dataDir, { source, functions: lambda })
    const written = append(source, 'a')
    await lambda.called(1)

    const stopped = stopping.streams.stop()
    held.release()
    await stopped
    const restarted = await start(dataDir, { source })
    await restarted.streams.idle()

    assert.deepEqual(lambda.batches(), [written])
    assert.deepEqual(restarted.lambda.calls, [])
  })

  it('starts a new mapping at TRIM_HORIZON or at LATEST, per startingPosition', async () => {
    const source = new MemoryStreamSource([IMAGES_TABLE])
    const old = append(source, 'a', 'b')
    const harness = await start(undefined, {
      source,
      definition: aDefinition({
        FromOldest: [aStreamEvent({ startingPosition: 'TRIM_HORIZON' })],
        FromNow: [aStreamEvent({ startingPosition: 'LATEST' })],
      }),
    })

    const fresh = append(source, 'c')
    await harness.streams.idle()

    assert.deepEqual(harness.lambda.batches('FromOldest'), [old, fresh])
    assert.deepEqual(harness.lambda.batches('FromNow'), [fresh])
  })

  it('keeps the LATEST position it started at, so a restart skips nothing written since', async () => {
    const dataDir = aDataDir()
    const source = new MemoryStreamSource([IMAGES_TABLE])
    append(source, 'old')
    const definition = aDefinition({ IndexImages: [aStreamEvent({ startingPosition: 'LATEST' })] })
    const first = await start(dataDir, {
      source,
      definition,
      functions: new ScriptedStreamFunction(() => aFunctionError),
    })
    const unacknowledged = append(source, 'failing')
    await first.lambda.called(1)
    await first.streams.stop()

    const restarted = await start(dataDir, { source, definition })
    await restarted.streams.idle()

    assert.deepEqual(restarted.lambda.batches(), [unacknowledged])
  })

  it('trims the stream up to the lowest checkpoint of the mappings reading it', async () => {
    const source = new MemoryStreamSource([IMAGES_TABLE])
    const held = aHeldOutcome()
    const lambda = new ScriptedStreamFunction((call, attempt) =>
      call.functionName === 'Slow' && attempt === 2 ? held.outcome : { kind: 'ok', value: null },
    )
    const harness = await start(undefined, {
      source,
      functions: lambda,
      definition: aDefinition({
        Fast: [aStreamEvent({ batchSize: 4 })],
        Slow: [aStreamEvent({ batchSize: 2 })],
      }),
    })

    const written = append(source, 'a', 'b', 'c', 'd')
    await lambda.called(3)
    await settle()
    const whileSlowIsBehind = [...source.trims]
    held.release()
    await harness.streams.idle()

    assert.deepEqual(whileSlowIsBehind, [{ tableName: IMAGES_TABLE, upTo: written[1] }])
    assert.deepEqual(source.trims.at(-1), { tableName: IMAGES_TABLE, upTo: written[3] })
    assert.deepEqual(source.kept(IMAGES_TABLE), [])
  })

  it('does not let a disabled mapping hold back trimming', async () => {
    const source = new MemoryStreamSource([IMAGES_TABLE])
    const harness = await start(undefined, {
      source,
      definition: aDefinition({ On: [aStreamEvent()], Off: [aStreamEvent({ enabled: false })] }),
    })

    const written = append(source, 'a')
    await harness.streams.idle()

    assert.deepEqual(source.trims, [{ tableName: IMAGES_TABLE, upTo: written[0] }])
  })

  it('starts over, and says so, when the checkpoint is of a stream since recreated', async () => {
    const dataDir = aDataDir()
    const source = new MemoryStreamSource([IMAGES_TABLE])
    const before = await start(dataDir, { source })
    append(source, 'a', 'b', 'c')
    await before.streams.idle()
    await before.streams.stop()

    source.recreate(IMAGES_TABLE, '2026-11-26T08:00:00.000')
    const onTheNewStream = append(source, 'd')
    const log = aRecordingLogger()
    const afterRestart = await start(dataDir, { source, logger: log.logger })
    await afterRestart.streams.idle()

    assert.deepEqual(afterRestart.lambda.batches(), [onTheNewStream])
    assert.deepEqual(log.messages('warn'), ['the checkpoint is of a stream since recreated; starting over'])
  })

  it('refuses a checkpoint file it cannot read, naming it', async () => {
    const dataDir = aDataDir()
    await mkdir(join(dataDir, 'streams'), { recursive: true })
    await writeFile(join(dataDir, 'streams', 'checkpoints.json'), '{"IndexImages:x": {"after": 5}}')

    await assert.rejects(
      start(dataDir),
      /streams\/checkpoints\.json: the checkpoint of IndexImages:x is not \{ streamArn, after \}; fix or delete it/,
    )
  })

  it('refuses to start a mapping on a table with no stream in the local DynamoDB', async () => {
    await assert.rejects(
      startStreamEventSources({
        definition: indexImages,
        functions: new ScriptedStreamFunction(),
        source: new MemoryStreamSource(['another-table']),
        deadLetters: new MemoryDeadLetterStore(),
        dataDir: undefined,
      }),
      /function IndexImages reads the stream of table udagram-images-test, which has none in the local DynamoDB/,
    )
  })
})
