import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, describe, it } from 'node:test'
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import {
  type LocalSecretsManager,
  startLocalSecretsManager,
} from '#local/secretsmanager/local-secrets-manager.ts'
import type { SecretDefinition } from '#local/secretsmanager/secret-definitions.ts'
import { secretDefinitions } from '#local/secretsmanager/secret-definitions.ts'

const credentials = { accessKeyId: 'LOCALKEY', secretAccessKey: 'local-secret-key' }
const region = 'us-east-1'
const definitions: SecretDefinition[] = [
  {
    name: 'token-signing',
    description: 'signs tokens',
    value: { kind: 'generated', spec: { PasswordLength: 48, ExcludePunctuation: true } },
  },
  { name: 'literal', value: { kind: 'literal', secretString: '{"user":"app","password":"p4ss"}' } },
]

let dataDir: string
let manager: LocalSecretsManager
let clients: SecretsManagerClient[] = []

const start = (secrets = definitions) =>
  startLocalSecretsManager({
    host: '127.0.0.1',
    port: 0,
    secrets,
    dataDir,
    region,
    accountId: '000000000000',
    credentials,
  })
const clientOf = (endpoint: string, keys = credentials, clientRegion = region) => {
  const client = new SecretsManagerClient({
    endpoint,
    region: clientRegion,
    credentials: keys,
    maxAttempts: 1,
  })
  clients.push(client)
  return client
}

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'udagram-secrets-'))
  manager = await start()
})
afterEach(() => {
  for (const client of clients) client.destroy()
  clients = []
})
after(async () => {
  await manager.close()
  await rm(dataDir, { recursive: true, force: true })
})

describe('the local Secrets Manager', () => {
  it('serves a generated secret by name and by ARN, as GenerateSecretString describes it', async () => {
    const client = clientOf(manager.endpoint)
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'token-signing' }))
    assert.match(byName.SecretString ?? '', /^[A-Za-z0-9]{48}$/)
    assert.match(
      byName.ARN ?? '',
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:token-signing-[0-9a-f]{6}$/,
    )
    assert.deepEqual(byName.VersionStages, ['AWSCURRENT'])
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: byName.ARN }))
    assert.equal(byArn.SecretString, byName.SecretString)
    assert.equal(manager.valueOf('token-signing'), byName.SecretString)

    const described = await client.send(new DescribeSecretCommand({ SecretId: 'token-signing' }))
    assert.equal(described.Description, 'signs tokens')
    assert.deepEqual(described.VersionIdsToStages, { [byName.VersionId ?? '']: ['AWSCURRENT'] })
  })

  it('serves a literal SecretString as written', async () => {
    const answer = await clientOf(manager.endpoint).send(new GetSecretValueCommand({ SecretId: 'literal' }))
    assert.equal(answer.SecretString, '{"user":"app","password":"p4ss"}')
  })

  it('keeps a generated value across restarts on the same data folder', async () => {
    const before = manager.valueOf('token-signing')
    const again = await start()
    try {
      assert.equal(again.valueOf('token-signing'), before)
    } finally {
      await again.close()
    }
  })

  it('answers a missing secret, another version and an unsupported operation with the service errors', async () => {
    const client = clientOf(manager.endpoint)
    await assert.rejects(client.send(new GetSecretValueCommand({ SecretId: 'nope' })), {
      name: 'ResourceNotFoundException',
    })
    await assert.rejects(
      client.send(new GetSecretValueCommand({ SecretId: 'literal', VersionStage: 'AWSPREVIOUS' })),
      { name: 'ResourceNotFoundException' },
    )
    await assert.rejects(client.send(new ListSecretsCommand({})), {
      name: 'UnknownOperationException',
      message: /implements GetSecretValue and DescribeSecret/,
    })
  })

  it('refuses unknown keys, wrong signatures, other regions and unsigned requests, revealing nothing', async () => {
    const command = () => new GetSecretValueCommand({ SecretId: 'token-signing' })
    await assert.rejects(
      clientOf(manager.endpoint, { accessKeyId: 'SOMEONE', secretAccessKey: 'x' }).send(command()),
      { name: 'UnrecognizedClientException' },
    )
    await assert.rejects(
      clientOf(manager.endpoint, { ...credentials, secretAccessKey: 'guessed' }).send(command()),
      { name: 'InvalidSignatureException', message: /does not match/ },
    )
    await assert.rejects(clientOf(manager.endpoint, credentials, 'eu-west-1').send(command()), {
      name: 'InvalidSignatureException',
    })

    // The body changed after signing (same length, another secret): the signature covers its hash.
    const tampering = clientOf(manager.endpoint)
    tampering.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body: string | Uint8Array }
        const body = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body)
        request.body = body.replace('token-signing', 'literal-12345')
        return next(args)
      },
      { step: 'deserialize', name: 'tamperAfterSigning' },
    )
    await assert.rejects(tampering.send(command()), { name: 'InvalidSignatureException' })

    const unsigned = await fetch(manager.endpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'secretsmanager.GetSecretValue',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: JSON.stringify({ SecretId: 'token-signing' }),
    })
    assert.equal(unsigned.status, 403)
    assert.ok(!(await unsigned.text()).includes(manager.valueOf('token-signing') ?? '?'))
  })
})

describe('secret definitions from CloudFormation resources', () => {
  it('reads named secrets with a literal or generated value, and refuses a name that is not a string', () => {
    assert.deepEqual(
      secretDefinitions({
        Key: { Type: 'AWS::KMS::Key' },
        Signing: {
          Type: 'AWS::SecretsManager::Secret',
          Properties: { Name: 'udagram-dev-signing', GenerateSecretString: { PasswordLength: 64 } },
        },
        Literal: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'plain', SecretString: 'x' } },
      }),
      [
        { name: 'udagram-dev-signing', value: { kind: 'generated', spec: { PasswordLength: 64 } } },
        { name: 'plain', value: { kind: 'literal', secretString: 'x' } },
      ],
    )
    assert.throws(
      () =>
        secretDefinitions({
          Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: { Ref: 'AWS::StackName' } } },
        }),
      /Name as a plain string/,
    )
  })
})
