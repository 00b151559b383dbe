import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { SignJWT } from 'jose'
import {
  type LocalSecretsManager,
  startLocalSecretsManager,
} from '#local/secretsmanager/local-secrets-manager.ts'

const SECRET = 'shared-hs256-secret-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH'
const SECRET_ID = 'udagram-dev-token-signing-secret'
const issuer = 'https://tenant.example.auth0.com/'
const audience = 'https://udagram-api'
const credentials = { accessKeyId: 'LOCALKEY', secretAccessKey: 'local-secret-key' }

let dataDir: string
let secrets: LocalSecretsManager
/** Counts the calls that reach Secrets Manager, passing them on unchanged. */
let counter: Server
let secretRequests = 0

const hs256 = (secret: string, exp: number | string = '1h') =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('alice')
    .setIssuer(issuer)
    .setAudience(audience)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret))

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'udagram-hs256-'))
  secrets = await startLocalSecretsManager({
    host: '127.0.0.1',
    port: 0,
    secrets: [{ name: SECRET_ID, value: { kind: 'literal', secretString: SECRET } }],
    dataDir,
    region: 'us-east-1',
    accountId: '000000000000',
    credentials,
  })
  const target = new URL(secrets.endpoint)
  counter = createServer((incoming, outgoing) => {
    secretRequests++
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(outgoing)
      },
    )
    incoming.pipe(forwarded)
  })
  await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve))
})
after(async () => {
  await new Promise((resolve) => counter.close(resolve))
  await secrets.close()
  await rm(dataDir, { recursive: true, force: true })
})

describe('the REST authorizer in HS256 mode', () => {
  it('checks tokens against the secret it reads once from Secrets Manager, and never writes the secret out', async () => {
    const tokens = [
      await hs256(SECRET),
      await hs256('a-secret-the-attacker-guessed'),
      await hs256(SECRET, Math.floor(Date.now() / 1000) - 600),
      await hs256(SECRET),
    ]
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [fileURLToPath(new URL('invoke-authorizer.ts', import.meta.url)), ...tokens],
      {
        env: {
          PATH: process.env.PATH,
          AUTH_ISSUER: issuer,
          AUTH_AUDIENCE: audience,
          AUTH_ALGORITHM: 'HS256',
          AUTH_SECRET_ID: SECRET_ID,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(counter.address() as AddressInfo).port}`,
          // The most the logger would ever write.
          POWERTOOLS_LOG_LEVEL: 'DEBUG',
          POWERTOOLS_SERVICE_NAME: 'udagram',
          STAGE: 'dev',
        },
      },
    )
    const outcomes = stdout
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('{"outcome"'))
      .map((line) => (JSON.parse(line) as { outcome: string }).outcome)
    assert.deepEqual(outcomes, ['allow alice', 'Unauthorized', 'Unauthorized', 'allow alice'])
    assert.equal(secretRequests, 1, 'fetched once at cold start, then cached')
    assert.ok(!`${stdout}${stderr}`.includes(SECRET), 'the secret appears nowhere in the output')
    assert.match(stdout, /token refused/, 'the refusals are logged (without the token)')
    assert.ok(!stdout.includes(tokens[1] ?? '?'), 'no token is logged')
  })
})
