import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { CHAOS_METRICS_NAMESPACE } from '#handlers/schedule/chaos-metric.ts'

const driver = fileURLToPath(new URL('./invoke-chaos-monkey.ts', import.meta.url))
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

const fleet = {
  instances: [
    { instanceId: 'i-0aaa0000000000001', state: 'running', tags: { Name: 'db' } },
    { instanceId: 'i-0aaa0000000000002', state: 'running', tags: { Name: 'web', 'chaos-monkey': 'opt-in' } },
    { instanceId: 'i-0aaa0000000000003', state: 'stopped', tags: { 'chaos-monkey': 'opt-in' } },
  ],
}

let dir = ''
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chaos-monkey-'))
})
after(() => rm(dir, { recursive: true, force: true }))

type Line = Record<string, unknown>

/** One cold start and one invocation of the handler, in a process of its own; its JSON output lines. */
async function invoke(env: Record<string, string>) {
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
    execFile(
      process.execPath,
      [driver],
      {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH,
          POWERTOOLS_SERVICE_NAME: 'udagram',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          STAGE: 'dev',
          ...env,
        },
      },
      (error, out, err) => (error ? reject(error) : resolve({ stdout: out, stderr: err })),
    ),
  )
  const lines = `${stdout}${stderr}`
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Line)
  const invocation = lines.find((line) => 'invocation' in line)?.invocation as Line
  return {
    invocation,
    logs: lines.filter((line) => line.message === 'chaos round'),
    metrics: lines.filter(
      (line) =>
        (line._aws as { CloudWatchMetrics?: Line[] } | undefined)?.CloudWatchMetrics?.[0]?.Namespace ===
        CHAOS_METRICS_NAMESPACE,
    ),
  }
}

async function aFleetFile(name: string): Promise<string> {
  const file = join(dir, name)
  await writeFile(file, JSON.stringify(fleet))
  return file
}

function assertOneMetric(metrics: Line[], outcome: string, mode: string) {
  assert.equal(metrics.length, 1, 'one metric line per round')
  const [metric] = metrics as [Line]
  assert.deepEqual((metric._aws as Line).CloudWatchMetrics, [
    {
      Namespace: CHAOS_METRICS_NAMESPACE,
      Dimensions: [['Outcome']],
      Metrics: [{ Name: 'ChaosRounds', Unit: 'Count' }],
    },
  ])
  assert.equal(typeof (metric._aws as Line).Timestamp, 'number')
  assert.equal(metric.Outcome, outcome)
  assert.equal(metric.Mode, mode)
  assert.equal(metric.ChaosRounds, 1)
}

describe('the chaos monkey handler, on the local fleet', () => {
  it('in dry-run (the default), logs and counts the instance it would terminate and leaves the fleet be', async () => {
    const file = await aFleetFile('dry-run.json')

    const { invocation, logs, metrics } = await invoke({ CHAOS_FLEET: 'local', CHAOS_FLEET_FILE: file })

    const decision = {
      kind: 'would-terminate',
      mode: 'dry-run',
      instanceId: 'i-0aaa0000000000002',
      candidates: 1,
    }
    assert.deepEqual(invocation, { result: decision })
    assert.equal(logs.length, 1)
    assert.equal(logs[0]?.level, 'INFO')
    assert.deepEqual(
      {
        outcome: logs[0]?.outcome,
        mode: logs[0]?.mode,
        instanceId: logs[0]?.instanceId,
        candidates: logs[0]?.candidates,
        tag: logs[0]?.tag,
      },
      {
        outcome: 'would-terminate',
        mode: 'dry-run',
        instanceId: 'i-0aaa0000000000002',
        candidates: 1,
        tag: 'chaos-monkey=opt-in',
      },
    )
    assert.equal(logs[0]?.function_request_id, 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef')
    assertOneMetric(metrics, 'would-terminate', 'dry-run')
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), fleet)
  })

  it('in terminate mode, terminates the one opted-in running instance, in the fleet file', async () => {
    const file = await aFleetFile('terminate.json')

    const { invocation, logs, metrics } = await invoke({
      CHAOS_FLEET: 'local',
      CHAOS_FLEET_FILE: file,
      CHAOS_MODE: 'terminate',
    })

    assert.deepEqual(invocation, {
      result: { kind: 'terminated', mode: 'terminate', instanceId: 'i-0aaa0000000000002', candidates: 1 },
    })
    assert.equal(logs[0]?.outcome, 'terminated')
    assertOneMetric(metrics, 'terminated', 'terminate')
    const after = JSON.parse(await readFile(file, 'utf8')) as typeof fleet
    assert.deepEqual(
      after.instances.map(({ instanceId, state }) => [instanceId, state]),
      [
        ['i-0aaa0000000000001', 'running'],
        ['i-0aaa0000000000002', 'terminated'],
        ['i-0aaa0000000000003', 'stopped'],
      ],
    )
  })

  it('logs and counts a failed round as an error, then fails the invocation', async () => {
    const { invocation, logs, metrics } = await invoke({
      CHAOS_FLEET: 'local',
      CHAOS_FLEET_FILE: join(dir, 'missing.json'),
      CHAOS_MODE: 'terminate',
    })

    assert.match(String(invocation.error), /^chaos round failed to list: no fleet file at /)
    assert.equal(logs.length, 1)
    assert.equal(logs[0]?.level, 'ERROR')
    assert.equal(logs[0]?.outcome, 'failed')
    assert.equal(logs[0]?.step, 'list')
    assert.match(String(logs[0]?.error), /no fleet file at/)
    assertOneMetric(metrics, 'failed', 'terminate')
  })

  it('fails at cold start, naming the variable, when the mode is not one it knows', async () => {
    const { invocation, metrics } = await invoke({
      CHAOS_FLEET: 'local',
      CHAOS_FLEET_FILE: join(dir, 'unused.json'),
      CHAOS_MODE: 'kill-everything',
    })

    assert.match(
      String(invocation.error),
      /CHAOS_MODE must be one of dry-run, terminate, got "kill-everything"/,
    )
    assert.deepEqual(metrics, [])
  })
})
