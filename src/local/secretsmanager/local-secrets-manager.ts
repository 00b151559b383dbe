/**
 * A local Secrets Manager endpoint for the subset the functions use (GetSecretValue, DescribeSecret), on
 * loopback, offline, so the authorizers read their HS256 secret through the same middy middleware and
 * SDK client as on AWS. Hand-written: no maintained library emulates Secrets Manager without Docker
 * (LocalStack) or Java (moto is Python and a server of its own). Requests are SigV4-checked like the
 * local S3's, so a client without the local cloud's credentials gets what AWS would answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { closeServer, listen } from '../http/http-server.ts'
import { readBody } from '../http/read-body.ts'
import { checkSignature, SignatureError } from './request-signature.ts'
import type { SecretDefinition } from './secret-definitions.ts'
import { loadOrCreateSecrets, type StoredSecret } from './secret-store.ts'

const TARGET_PREFIX = 'secretsmanager.'
const MAX_REQUEST_BYTES = 64 * 1024

export interface LocalSecretsManagerOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  secrets: readonly SecretDefinition[]
  /** Values are kept in `<dataDir>/secrets/`. */
  dataDir: string
  region: string
  accountId: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  clock?: () => Date
}

export interface LocalSecretsManager {
  /** `http://<host>:<port>`, for AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  endpoint: string
  /** A secret's current value by name, for the local cloud's own use (the identity signs with it). */
  valueOf(name: string): string | undefined
  close(): Promise<void>
}

class ServiceError extends Error {
  readonly type: string
  readonly status: number

  constructor(type: string, status: number, message: string) {
    super(message)
    this.type = type
    this.status = status
  }
}

type Operation = (input: Record<string, unknown>) => unknown

/** The operations by the name in X-Amz-Target (`secretsmanager.<name>`). */
function secretsOperations(secrets: ReadonlyMap<string, StoredSecret>): Record<string, Operation> {
  const getSecretValue: Operation = (input) => {
    const secret = find(secrets, input)
    checkVersion(secret, input)
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: secret.versionId,
      SecretString: secret.secretString,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: secret.createdDate,
    }
  }
  const describeSecret: Operation = (input) => {
    const secret = find(secrets, input)
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.description !== undefined && { Description: secret.description }),
      CreatedDate: secret.createdDate,
      LastChangedDate: secret.createdDate,
      VersionIdsToStages: { [secret.versionId]: ['AWSCURRENT'] },
    }
  }
  return { GetSecretValue: getSecretValue, DescribeSecret: describeSecret }
}

export async function startLocalSecretsManager(
  options: LocalSecretsManagerOptions,
): Promise<LocalSecretsManager> {
  const clock = options.clock ?? (() => new Date())
  const secrets = await loadOrCreateSecrets({
    dataDir: options.dataDir,
    definitions: options.secrets,
    region: options.region,
    accountId: options.accountId,
    clock,
  })
  const operations = secretsOperations(secrets)
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    try {
      if (request.method !== 'POST') throw new ServiceError('UnknownOperationException', 400, 'Use POST.')
      const body = await readBody(request, MAX_REQUEST_BYTES)
      if (body === undefined) throw new ServiceError('ValidationException', 413, 'The request is too large.')
      await checkSignature(request, body, {
        credentials: options.credentials,
        region: options.region,
        service: 'secretsmanager',
        clock,
      })
      const target = String(request.headers['x-amz-target'] ?? '')
      const operation = target.startsWith(TARGET_PREFIX)
        ? operations[target.slice(TARGET_PREFIX.length)]
        : undefined
      if (operation === undefined) {
        throw new ServiceError(
          'UnknownOperationException',
          400,
          `The local Secrets Manager implements ${Object.keys(operations).join(' and ')}, not "${target}".`,
        )
      }
      answer(response, 200, operation(parseInput(body)))
    } catch (error) {
      if (error instanceof SignatureError) {
        answerError(
          response,
          error.type,
          error.type === 'MissingAuthenticationTokenException' ? 403 : 400,
          error.message,
        )
      } else if (error instanceof ServiceError) {
        answerError(response, error.type, error.status, error.message)
      } else {
        answerError(response, 'InternalServiceError', 500, 'The local Secrets Manager failed.')
        console.error('local Secrets Manager:', error)
      }
    }
  }
  const server = createServer((request, response) => void handle(request, response))
  const port = await listen(server, options.port, options.host)
  return {
    endpoint: `http://${options.host}:${port}`,
    valueOf: (name) => secrets.get(name)?.secretString,
    close: () => closeServer(server),
  }
}

function parseInput(body: Buffer): Record<string, unknown> {
  try {
    const input: unknown = JSON.parse(body.length === 0 ? '{}' : body.toString('utf8'))
    if (typeof input === 'object' && input !== null && !Array.isArray(input))
      return input as Record<string, unknown>
  } catch {}
  throw new ServiceError('SerializationException', 400, 'The request body is not a JSON object.')
}

/** By name or by ARN, as Secrets Manager takes a SecretId. */
function find(secrets: ReadonlyMap<string, StoredSecret>, input: Record<string, unknown>): StoredSecret {
  const id = input.SecretId
  if (typeof id !== 'string' || id.length === 0) {
    throw new ServiceError('InvalidParameterException', 400, 'SecretId is required.')
  }
  const secret = secrets.get(id) ?? [...secrets.values()].find((candidate) => candidate.arn === id)
  if (secret === undefined) {
    throw new ServiceError(
      'ResourceNotFoundException',
      400,
      "Secrets Manager can't find the specified secret.",
    )
  }
  return secret
}

/** Each local secret has one version, AWSCURRENT. */
function checkVersion(secret: StoredSecret, input: Record<string, unknown>): void {
  const { VersionId, VersionStage } = input
  if (
    (VersionId !== undefined && VersionId !== secret.versionId) ||
    (VersionStage !== undefined && VersionStage !== 'AWSCURRENT')
  ) {
    throw new ServiceError(
      'ResourceNotFoundException',
      400,
      "Secrets Manager can't find the specified secret value for VersionId or VersionStage.",
    )
  }
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' })
  response.end(JSON.stringify(body))
}

function answerError(response: ServerResponse, type: string, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type })
  response.end(JSON.stringify({ __type: type, message }))
}
