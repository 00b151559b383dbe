import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import sharp from 'sharp'
import WebSocket from 'ws'
import { projectRoot } from './local-cloud-fixture.ts'

const node = process.execPath
const startScript = join(projectRoot, 'bin/start.mjs')
const tokenScript = join(projectRoot, 'src/local/cli/token.ts')

interface Endpoints {
  rest: string
  s3: string
  websocket: string
  jwks: string
}

/** `npm start`'s command on free ports (PORT=0), waiting for the endpoints it prints. */
async function start(
  args: string[],
): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(node, [startScript, ...args], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const deadline = Date.now() + 30_000
  while (!output.includes('REST API')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`start failed:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return { child, output: () => output, exited }
}

async function tokenFor(user: string, dataDir: string): Promise<string> {
  const child = spawn(node, [tokenScript, '--user', user, '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  const code = await new Promise((resolve) => child.once('exit', resolve))
  assert.equal(code, 0)
  const lines = stdout.trim().split('\n')
  return lines.at(-1) ?? ''
}

let dataDir: string
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'udagram-start-'))
})
after(() => rm(dataDir, { recursive: true, force: true }))

describe('npm start', () => {
  it('prints and writes its endpoints, keeps data across a restart and stops cleanly on SIGTERM and SIGINT', async () => {
    const first = await start(['--data', dataDir])
    const endpoints = JSON.parse(await readFile(join(dataDir, 'endpoints.json'), 'utf8')) as Endpoints
    assert.match(endpoints.rest, /^http:\/\/127\.0\.0\.1:\d+\/dev$/)
    assert.match(endpoints.s3, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.match(endpoints.websocket, /^ws:\/\/127\.0\.0\.1:\d+\/dev$/)
    assert.ok(first.output().includes(endpoints.rest))
    const jwks = (await (await fetch(endpoints.jwks)).json()) as { keys: Array<{ kty: string; kid: string }> }
    assert.equal(jwks.keys[0]?.kty, 'RSA')

    const token = await tokenFor('carol', dataDir)
    const created = await fetch(`${endpoints.rest}/groups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Kept', description: 'survives a restart' }),
    })
    assert.equal(created.status, 201)
    const { newItem } = (await created.json()) as { newItem: { id: string; userId: string } }
    assert.equal(newItem.userId, 'carol')

    first.child.kill('SIGTERM')
    assert.equal(await first.exited, 0)

    const second = await start(['--data', dataDir])
    const restarted = JSON.parse(await readFile(join(dataDir, 'endpoints.json'), 'utf8')) as Endpoints
    const fetched = await fetch(`${restarted.rest}/groups/${newItem.id}`)
    assert.equal(fetched.status, 200)
    assert.equal(((await fetched.json()) as { item: { name: string } }).item.name, 'Kept')
    second.child.kill('SIGINT')
    assert.equal(await second.exited, 0)
  })

  it('loses no acknowledged write when stopped under load', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'udagram-stop-'))
    try {
      const first = await start(['--data', dir])
      const endpoints = JSON.parse(await readFile(join(dir, 'endpoints.json'), 'utf8')) as Endpoints
      const token = await tokenFor('erin', dir)
      const post = (index: number) =>
        fetch(`${endpoints.rest}/groups`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `burst ${index}`, description: '' }),
        }).then(
          async (response) =>
            response.status === 201
              ? ((await response.json()) as { newItem: { id: string } }).newItem.id
              : undefined,
          () => undefined,
        )
      const writes = Array.from({ length: 40 }, (_, index) => post(index))
      await writes[0]
      first.child.kill('SIGTERM')
      const acknowledged = (await Promise.all(writes)).filter((id): id is string => id !== undefined)
      assert.equal(await first.exited, 0)
      assert.ok(acknowledged.length > 0)

      const second = await start(['--data', dir])
      const again = JSON.parse(await readFile(join(dir, 'endpoints.json'), 'utf8')) as Endpoints
      for (const id of acknowledged) {
        assert.equal((await fetch(`${again.rest}/groups/${id}`)).status, 200, `group ${id} was acknowledged`)
      }
      second.child.kill('SIGTERM')
      assert.equal(await second.exited, 0)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('keeps nothing with --in-memory but still writes endpoints.json to the data folder', async () => {
    const memoryDir = await mkdtemp(join(tmpdir(), 'udagram-memory-'))
    try {
      const first = await start(['--in-memory', '--data', memoryDir])
      const endpoints = JSON.parse(await readFile(join(memoryDir, 'endpoints.json'), 'utf8')) as Endpoints
      const token = await tokenFor('dave', memoryDir)
      const created = await fetch(`${endpoints.rest}/groups`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Fleeting', description: '' }),
      })
      assert.equal(created.status, 201)
      first.child.kill('SIGTERM')
      assert.equal(await first.exited, 0)

      const second = await start(['--in-memory', '--data', memoryDir])
      const again = JSON.parse(await readFile(join(memoryDir, 'endpoints.json'), 'utf8')) as Endpoints
      const listed = (await (await fetch(`${again.rest}/groups`)).json()) as { items: unknown[] }
      assert.deepEqual(listed.items, [])
      second.child.kill('SIGTERM')
      assert.equal(await second.exited, 0)
    } finally {
      await rm(memoryDir, { recursive: true, force: true })
    }
  })

  it('writes no token, secret or URL signature anywhere in its output, through a whole upload', async () => {
    const secretDir = await mkdtemp(join(tmpdir(), 'udagram-no-secrets-'))
    // HS256 mode, so that there is a shared secret to leak as well as tokens.
    const cloud = await start(['--in-memory', '--data', secretDir, '--param', 'authAlgorithm=HS256'])
    try {
      const endpoints = JSON.parse(await readFile(join(secretDir, 'endpoints.json'), 'utf8')) as Endpoints
      const token = await tokenFor('erin', secretDir)
      const call = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${endpoints.rest}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        })
        const text = await response.text()
        return (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>
      }
      const group = (await call('POST', '/groups', { name: 'Quiet', description: 'nothing leaks' }))
        .newItem as {
        id: string
      }
      const jpeg = await sharp({
        create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 120, b: 40 } },
      })
        .jpeg()
        .toBuffer()
      const created = await call('POST', `/groups/${group.id}/images`, {
        title: 'Sunset',
        contentType: 'image/jpeg',
        contentLength: jpeg.length,
      })
      const uploadUrl = String(created.uploadUrl)
      const imageId = (created.newItem as { imageId: string }).imageId
      const put = await fetch(uploadUrl, {
        method: 'PUT',
        headers: { 'content-type': 'image/jpeg' },
        body: jpeg,
      })
      assert.equal(put.status, 200)
      const socket = new WebSocket(`${endpoints.websocket}?token=${encodeURIComponent(token)}`)
      await new Promise((resolve, reject) => {
        socket.once('open', resolve)
        socket.once('error', reject)
      })
      socket.close()
      const deadline = Date.now() + 20_000
      for (;;) {
        const image = (await (await fetch(`${endpoints.rest}/images/${imageId}`)).json()) as {
          item?: { status?: string }
        }
        if (image.item?.status === 'ready') break
        assert.ok(Date.now() < deadline, `the thumbnail is made: ${JSON.stringify(image)}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      await call('DELETE', `/images/${imageId}`)
      cloud.child.kill('SIGTERM')
      assert.equal(await cloud.exited, 0)

      const stored = JSON.parse(await readFile(join(secretDir, 'secrets', 'secrets.json'), 'utf8')) as Record<
        string,
        { secretString: string }
      >
      const secret = stored['udagram-dev-token-signing-secret']?.secretString ?? ''
      const signature = new URL(uploadUrl).searchParams.get('X-Amz-Signature') ?? ''
      const output = cloud.output()
      assert.match(output, /"function_name":"ResizeImage"/, 'the functions did log')
      for (const [what, value] of [
        ['the access token', token],
        ["the token's signature", token.split('.')[2] ?? ''],
        ['the HS256 secret', secret],
        ["the upload URL's signature", signature],
      ] as const) {
        assert.ok(value.length > 10, what)
        assert.ok(!output.includes(value), `${what} appears in the output`)
      }
    } finally {
      if (cloud.child.exitCode === null) cloud.child.kill('SIGKILL')
      await rm(secretDir, { recursive: true, force: true })
    }
  })

  it('refuses a bad PORT with a message naming it', async () => {
    const child = spawn(node, [startScript, '--in-memory', '--data', dataDir], {
      env: { ...process.env, PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const code = await new Promise((resolve) => child.once('exit', resolve))
    assert.equal(code, 2)
    assert.match(stderr, /PORT must be/)
  })
})
