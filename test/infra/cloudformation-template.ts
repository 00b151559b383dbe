import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

/** Reading the CloudFormation template `osls package` writes, for the template tests. */

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

export type Resource = {
  Type: string
  Properties: Record<string, unknown>
  DependsOn?: string | string[]
}
export type Template = { Resources: Record<string, Resource> }
export type Statement = {
  Sid?: string
  Effect: string
  Action: string | string[]
  Resource: unknown
  Principal?: unknown
  Condition?: unknown
}

/**
 * Runs `osls package` for `stage` (dev unless told) on the repository to completion, offline: no
 * AWS_* variables and `home` as HOME, so no ~/.aws either. osls prints an error and then hangs instead
 * of exiting (serverless-esbuild#532), so an error report ends the run at once rather than at the
 * timeout.
 */
const runOslsPackage = (outputDir: string, home: string, stage: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')))
    // osls starts with `#!/usr/bin/env node`: put this test's Node (the pinned 24) first on PATH.
    env.PATH = [dirname(process.execPath), env.PATH].join(delimiter)
    const child = spawn(
      'timeout',
      ['240', join(repoRoot, 'node_modules/.bin/osls'), 'package', '--stage', stage, '--package', outputDir],
      { cwd: repoRoot, env: { ...env, HOME: home }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    let failed = false
    const collect = (chunk: Buffer) => {
      output += chunk.toString()
      // The last line of osls's error report; the process never exits after it.
      if (!failed && /^Docs: /m.test(output) && /^Environment: /m.test(output)) {
        failed = true
        setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGTERM'), 500)
      }
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0 && !failed) resolve()
      else reject(new Error(`osls package failed (exit ${code}):\n${output}`))
    })
  })

/**
 * `runOslsPackage`, one run at a time per checkout (see `oneAtATime`), and once per stage for as long
 * as the inputs are unchanged: the template test files each package the same service, so the first
 * one's output is copied to the others (a run takes 5-10 s of both cores; a copy a few milliseconds).
 */
export const packageService = (outputDir: string, home: string, stage = 'dev'): Promise<void> =>
  oneAtATime(async () => {
    const cached = join(packageCache, `${stage}-${await inputsFingerprint()}`)
    if (await stat(join(cached, 'complete')).catch(() => undefined)) {
      await cp(cached, outputDir, { recursive: true, filter: (source) => !source.endsWith('complete') })
      return
    }
    await runOslsPackage(outputDir, home, stage)
    // Only the newest package of each stage is kept.
    for (const entry of await readdir(packageCache).catch(() => [])) {
      if (entry.startsWith(`${stage}-`)) await rm(join(packageCache, entry), { recursive: true, force: true })
    }
    await cp(outputDir, cached, { recursive: true })
    await writeFile(join(cached, 'complete'), '')
  })

/** The CloudFormation template `osls package --stage <stage>` writes, for suites that read nothing else. */
export async function packagedTemplate<T extends Template = Template>(stage = 'dev'): Promise<T> {
  const outputDir = await mkdtemp(join(tmpdir(), `udagram-package-${stage}-`))
  const home = await mkdtemp(join(tmpdir(), 'udagram-home-'))
  try {
    await packageService(outputDir, home, stage)
    return JSON.parse(await readFile(join(outputDir, 'cloudformation-template-update-stack.json'), 'utf8'))
  } finally {
    await rm(outputDir, { recursive: true, force: true })
    await rm(home, { recursive: true, force: true })
  }
}

/** What a package is made from: the service, its code and its dependencies, by path, size and time. */
async function inputsFingerprint(): Promise<string> {
  const hash = createHash('sha256')
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path).catch(() => undefined)
    if (info === undefined) return
    if (info.isDirectory()) {
      for (const entry of (await readdir(path)).sort()) await visit(join(path, entry))
      return
    }
    hash.update(`${path}\0${info.size}\0${info.mtimeMs}\n`)
  }
  for (const input of ['serverless.ts', 'infra', 'src', 'package.json', 'package-lock.json']) {
    await visit(join(repoRoot, input))
  }
  await visit(join(repoRoot, 'node_modules/.package-lock.json'))
  return hash.digest('hex').slice(0, 16)
}

/**
 * osls works in `<repo>/.serverless` whatever `--package` says (osls 4.3.1 removes that folder when a
 * package starts and writes serverless-state.json there before moving the artifacts: cleanup-temp-dir.js,
 * save-service-state.js), and serverless-esbuild in `<repo>/.esbuild`, so two runs in one checkout at
 * once break each other (seen: ENOENT on .serverless/serverless-state.json while two template test
 * files packaged in parallel). Test files run in separate processes, so they take turns through a
 * lock folder in the OS temp folder (mkdir is atomic); a lock whose process is gone is taken over.
 */
const packageLock = join(
  tmpdir(),
  `udagram-osls-package-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}.lock`,
)

const packageCache = `${packageLock.slice(0, -'.lock'.length)}.cache`

async function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(packageLock)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (await lockOwnerIsGone()) await rm(packageLock, { recursive: true, force: true })
      else await sleep(250)
    }
  }
  try {
    await writeFile(join(packageLock, 'pid'), String(process.pid))
    return await run()
  } finally {
    await rm(packageLock, { recursive: true, force: true })
  }
}

async function lockOwnerIsGone(): Promise<boolean> {
  const pid = Number(await readFile(join(packageLock, 'pid'), 'utf8').catch(() => ''))
  if (!Number.isInteger(pid) || pid <= 0) {
    // No owner written yet: a lock just taken, or one whose owner died before writing it.
    const taken = await stat(packageLock).catch(() => undefined)
    return taken !== undefined && Date.now() - taken.mtimeMs > 10_000
  }
  try {
    process.kill(pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value])

export const refOf = (value: unknown): string | undefined => (value as { Ref?: string } | undefined)?.Ref

/** Queries over one template. */
export function templateReader(template: () => Template) {
  const resource = (logicalId: string | undefined): Resource => {
    const found = template().Resources[logicalId ?? '']
    assert.ok(found, `no resource ${logicalId}`)
    return found
  }

  const resourcesOfType = (type: string): [string, Resource][] =>
    Object.entries(template().Resources).filter(([, candidate]) => candidate.Type === type)

  /** The REST path of an API Gateway resource, from its PathPart and its parents'. */
  const pathOf = (resourceRef: unknown): string => {
    const logicalId = refOf(resourceRef)
    if (logicalId === undefined) return ''
    const { ParentId, PathPart } = resource(logicalId).Properties
    const parent = pathOf(ParentId)
    return parent === '' ? String(PathPart) : `${parent}/${String(PathPart)}`
  }

  const method = (httpMethod: string, path: string): Resource => {
    const found = resourcesOfType('AWS::ApiGateway::Method').find(
      ([, candidate]) =>
        candidate.Properties.HttpMethod === httpMethod && pathOf(candidate.Properties.ResourceId) === path,
    )
    assert.ok(found, `no method ${httpMethod} ${path}`)
    return found[1]
  }

  const lambda = (name: string) => resource(`${name}LambdaFunction`).Properties

  const environmentOf = (name: string) =>
    (lambda(name).Environment as { Variables: Record<string, unknown> }).Variables

  /** Every statement of every IAM role's inline policies. */
  /** The statements of one role, or of every role in the template. */
  const roleStatements = (logicalId?: string): Statement[] =>
    resourcesOfType('AWS::IAM::Role')
      .filter(([id]) => logicalId === undefined || id === logicalId)
      .flatMap(([, role]) =>
        (role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
          (policy) => policy.PolicyDocument.Statement,
        ),
      )

  return { resource, resourcesOfType, pathOf, method, lambda, environmentOf, roleStatements }
}

/** The logical IDs a resource needs first: its DependsOn, Refs, GetAtts and `${...}` in Fn::Sub. */
export function dependenciesOf(resource: Resource, logicalIds: ReadonlySet<string>): Set<string> {
  const found = new Set<string>(resource.DependsOn === undefined ? [] : asArray(resource.DependsOn))
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item)
      return
    }
    if (value === null || typeof value !== 'object') return
    for (const [key, item] of Object.entries(value)) {
      if (key === 'Ref' && typeof item === 'string') found.add(item)
      else if (key === 'Fn::GetAtt')
        found.add(String(asArray(item as string | string[])[0]).split('.')[0] ?? '')
      else if (key === 'Fn::Sub') {
        const text = String(asArray(item as unknown)[0])
        for (const [, name] of text.matchAll(/\$\{([^}.!]+)[^}]*\}/g)) found.add(name ?? '')
      }
      visit(item)
    }
  }
  visit(resource.Properties)
  return new Set([...found].filter((logicalId) => logicalIds.has(logicalId)))
}

/** A dependency cycle among the resources (CloudFormation refuses such a template), or undefined. */
export function dependencyCycle(template: Template): string[] | undefined {
  const logicalIds = new Set(Object.keys(template.Resources))
  const edges = new Map(
    Object.entries(template.Resources).map(([id, resource]) => [id, dependenciesOf(resource, logicalIds)]),
  )
  const done = new Set<string>()
  const walk = (id: string, path: string[]): string[] | undefined => {
    const repeat = path.indexOf(id)
    if (repeat >= 0) return [...path.slice(repeat), id]
    if (done.has(id)) return undefined
    for (const next of edges.get(id) ?? []) {
      const cycle = walk(next, [...path, id])
      if (cycle) return cycle
    }
    done.add(id)
    return undefined
  }
  for (const id of logicalIds) {
    const cycle = walk(id, [])
    if (cycle) return cycle
  }
  return undefined
}
