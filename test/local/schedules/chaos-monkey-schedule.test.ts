import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { MemoryDeadLetterStore } from '#local/lambda/async/dead-letter-store.ts'
import { LocalLambda } from '#local/lambda/local-lambda.ts'
import { prepareLocalFleet } from '#local/schedules/local-fleet.ts'
import { startScheduleEventSources } from '#local/schedules/schedule-event-sources.ts'
import { loadServiceDefinition } from '#local/serverless/service-definition.ts'
import { aRecordingLogger } from '#test/local/lambda/async/async-fixture.ts'
import { FakeClock } from './fake-clock.ts'

// serverless.ts's ChaosMonkey, run by the local Lambda on its schedule against the local fleet file.

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

let dataDir = ''
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'chaos-schedule-'))
})
after(() => rm(dataDir, { recursive: true, force: true }))

async function runLocally(params: Record<string, string>) {
  const fleetEnvironment = await prepareLocalFleet(dataDir)
  const definition = await loadServiceDefinition({ projectRoot: repoRoot, stage: 'dev', params, env: {} })
  const chaosMonkey = definition.functions.get('ChaosMonkey')
  assert.ok(chaosMonkey, 'serverless.ts defines ChaosMonkey')
  const lambda = new LocalLambda({
    functions: definition.functions,
    region: 'us-east-1',
    accountId: '000000000000',
    runtimeEnvironment: {
      // Values only AWS knows (CloudFormation functions in serverless.ts); the chaos monkey reads none.
      ...Object.fromEntries(
        (chaosMonkey.deployTimeEnvironment ?? []).map((name) => [name, 'http://127.0.0.1:9']),
      ),
      ...fleetEnvironment,
    },
  })
  const clock = new FakeClock('2026-11-25T10:00:00Z')
  const sources = startScheduleEventSources({
    definition,
    functions: lambda,
    deadLetters: new MemoryDeadLetterStore(),
    accountId: '000000000000',
    clock,
    logger: aRecordingLogger(),
  })
  return {
    sources,
    clock,
    fleetFile: fleetEnvironment.CHAOS_FLEET_FILE ?? '',
    stop: async () => {
      await sources.stop()
      await lambda.stop()
    },
  }
}

const statesIn = async (file: string) =>
  (
    JSON.parse(await readFile(file, 'utf8')) as {
      instances: Array<{ tags: { Name: string }; state: string }>
    }
  ).instances
    .map(({ tags, state }) => `${tags.Name}: ${state}`)
    .sort()

describe("the chaos monkey's schedule in the local cloud", () => {
  it('is off by default', async () => {
    const local = await runLocally({})
    try {
      assert.deepEqual(local.sources.rules, [])
    } finally {
      await local.stop()
    }
  })

  it('when enabled in terminate mode, terminates one opted-in instance per round, and never the others', async () => {
    const local = await runLocally({
      chaosMonkeyEnabled: 'true',
      chaosMonkeyMode: 'terminate',
      chaosMonkeySchedule: 'rate(10 minutes)',
    })
    try {
      assert.deepEqual(
        local.sources.rules.map(({ functionName, expression }) => [functionName, expression]),
        [['ChaosMonkey', 'rate(10 minutes)']],
      )
      const before = await statesIn(local.fleetFile)
      assert.deepEqual(before, ['batch: stopped', 'database: running', 'web-1: running', 'web-2: running'])

      local.clock.advanceTo('2026-11-25T10:10:00Z')
      await local.sources.whenIdle()
      const afterOne = await statesIn(local.fleetFile)
      assert.equal(afterOne.filter((line) => line.endsWith('terminated')).length, 1)
      assert.ok(afterOne.includes('database: running') && afterOne.includes('batch: stopped'))

      local.clock.advanceTo('2026-11-25T10:20:00Z')
      await local.sources.whenIdle()
      const afterTwo = await statesIn(local.fleetFile)
      assert.deepEqual(afterTwo, [
        'batch: stopped',
        'database: running',
        'web-1: terminated',
        'web-2: terminated',
      ])

      local.clock.advanceTo('2026-11-25T10:30:00Z')
      await local.sources.whenIdle()
      assert.deepEqual(await statesIn(local.fleetFile), afterTwo, 'no candidates left: nothing more changes')
    } finally {
      await local.stop()
    }
  })
})
