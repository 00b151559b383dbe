import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { APIGatewayProxyEvent } from 'aws-lambda'
import { correlationIdOf } from '#handlers/http/middleware/http-request.ts'
import { createTablesFromResources } from '#local/dynamodb/create-tables.ts'
import {
  type LocalDynamoDbClients,
  startInMemoryDynamoDb,
  uniqueTableName,
} from '#test/builders/local-dynamodb.ts'
import {
  GROUPS_BY_TIME_INDEX,
  groupsTableResource,
  IMAGE_ID_INDEX,
} from '#test/builders/table-definitions.ts'
import { assertBusinessEmf, metricsByName, runHandler } from './handler-process.ts'

/** The REST handlers' stack, run as Lambda runs it: correlation ids, ids in the logs, metrics. */

const USER = 'auth0|request-logs-user'
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXF1ZXN0LWxvZ3MifQ.cmVxdWVzdC1sb2dzLXNpZ25hdHVyZQ'
let dynamo: LocalDynamoDbClients
let search: Server
const groupsTable = uniqueTableName('groups')

before(async () => {
  dynamo = await startInMemoryDynamoDb()
  await createTablesFromResources(dynamo.client, { GroupsTable: groupsTableResource(groupsTable) })
  // The local search engine's wire format: a query for "explode" fails, any other finds nothing.
  search = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString()
    })
    request.on('end', () => {
      if (body.includes('explode')) {
        response.writeHead(500)
        response.end('{"message":"engine down"}')
        return
      }
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify({ hits: [], total: 0 }))
    })
  })
  await new Promise<void>((resolve) => search.listen(0, '127.0.0.1', resolve))
})
after(async () => {
  await dynamo?.close()
  await new Promise((resolve) => search?.close(resolve))
})

const environment = (functionName: string) => ({
  AWS_LAMBDA_FUNCTION_NAME: functionName,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local-secret-never-printed',
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.dynamoDb.endpoint,
  GROUPS_TABLE: groupsTable,
  GROUPS_BY_TIME_INDEX: GROUPS_BY_TIME_INDEX,
  IMAGES_TABLE: 'images-unused',
  IMAGE_ID_INDEX: IMAGE_ID_INDEX,
  IMAGES_BUCKET: 'images',
  THUMBNAILS_BUCKET: 'thumbnails',
  IMAGES_CDN_URL: 'https://images.cdn.example',
  THUMBNAILS_CDN_URL: 'https://thumbnails.cdn.example',
  SIGNED_URL_EXPIRATION_SECONDS: '300',
  MAX_UPLOAD_BYTES: '10485760',
  CORS_ALLOWED_ORIGIN: 'https://app.example',
  SEARCH_ENGINE: 'local',
  SEARCH_ENDPOINT: `http://127.0.0.1:${(search.address() as AddressInfo).port}`,
  SEARCH_INDEX: 'images',
})

function anEvent(overrides: {
  requestId: string
  headers?: Record<string, string>
  body?: unknown
  query?: Record<string, string>
}): APIGatewayProxyEvent {
  return {
    resource: '/groups',
    path: '/groups',
    httpMethod: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, ...overrides.headers },
    multiValueHeaders: {},
    queryStringParameters: overrides.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { requestId: overrides.requestId, authorizer: { principalId: USER } },
    body: overrides.body === undefined ? null : JSON.stringify(overrides.body),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEvent
}

describe('the correlation id of a REST request', () => {
  const event = (headers: Record<string, string>) => anEvent({ requestId: 'api-gateway-request-id', headers })

  it("is the caller's X-Correlation-Id, whatever the header's case, when it looks like an id", () => {
    assert.equal(
      correlationIdOf(event({ 'X-Correlation-Id': 'client-chosen-id-0001' })),
      'client-chosen-id-0001',
    )
    assert.equal(correlationIdOf(event({ 'x-correlation-id': 'trace:abc.DEF_123' })), 'trace:abc.DEF_123')
  })

  it("is API Gateway's request id otherwise: no header, or one that is free text, too short or too long", () => {
    const headers: Array<Record<string, string>> = [
      {},
      { 'X-Correlation-Id': 'two words here' },
      { 'X-Correlation-Id': 'short' },
    ]
    for (const header of headers) {
      assert.equal(correlationIdOf(event(header)), 'api-gateway-request-id', JSON.stringify(header))
    }
    assert.equal(correlationIdOf(event({ 'X-Correlation-Id': 'a'.repeat(129) })), 'api-gateway-request-id')
    assert.equal(
      correlationIdOf(event({ 'X-Correlation-Id': 'line\nbreak-injected' })),
      'api-gateway-request-id',
    )
  })
})

describe('the REST handlers, in their logs and metrics', () => {
  it('create-group logs under each request its own correlation id and group, and counts GroupsCreated', async () => {
    const output = await runHandler(
      '#handlers/http/groups/create-group.ts',
      [
        anEvent({
          requestId: 'request-1',
          headers: { 'X-Correlation-Id': 'client-chosen-id-0001' },
          body: { name: 'A', description: 'a' },
        }),
        anEvent({
          requestId: 'request-2',
          headers: { 'X-Correlation-Id': 'not an id' },
          body: { name: 'B', description: 'b' },
        }),
      ],
      environment('udagram-dev-CreateGroup'),
    )

    const lines = output.logs.filter((line) => line.message === 'group created')
    assert.equal(lines.length, 2, output.raw)
    const [first, second] = lines
    assert.equal(first?.correlation_id, 'client-chosen-id-0001')
    assert.equal(second?.correlation_id, 'request-2')
    assert.equal(first?.cold_start, true)
    assert.equal(second?.cold_start, false)
    assert.equal(first?.userId, USER)
    assert.equal(typeof first?.groupId, 'string')
    assert.notEqual(first?.groupId, second?.groupId)
    assert.deepEqual(metricsByName(output).get('GroupsCreated')?.values, [1, 1])
    assertBusinessEmf(output)
    assert.ok(!output.raw.includes(TOKEN.split('.')[2] as string), 'the token is printed')
    assert.ok(!output.raw.includes('local-secret-never-printed'))
  })

  it('search-images counts the queries answered, and logs a failure with its cause under the correlation id', async () => {
    const output = await runHandler(
      '#handlers/http/images/search-images.ts',
      [
        anEvent({ requestId: 'search-ok', query: { q: 'sunset' } }),
        anEvent({ requestId: 'search-failing', query: { q: 'explode' } }),
      ],
      environment('udagram-dev-SearchImages'),
    )

    const results = output.invocations.map(
      (invocation) => (invocation.result as { statusCode: number }).statusCode,
    )
    assert.deepEqual(results, [200, 500], output.raw)
    const [failure] = output.logs.filter((line) => line.message === 'unhandled error')
    assert.equal(failure?.correlation_id, 'search-failing')
    assert.equal(failure?.level, 'ERROR')
    assert.equal(failure?.function_request_id, '00000000-0000-4000-8000-000000000002')
    assert.deepEqual(metricsByName(output).get('SearchQueries')?.values, [1])
    assertBusinessEmf(output)
  })
})
