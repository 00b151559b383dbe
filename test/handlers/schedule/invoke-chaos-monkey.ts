import type { Context, ScheduledEvent } from 'aws-lambda'

/**
 * Runs the chaos monkey's handler once, in a process of its own (its configuration is read from the
 * environment at import, as at a cold start), with a scheduled event as EventBridge sends it. The
 * last stdout line says how the invocation ended: `{"invocation": {"result": ...} | {"error": ...}}`.
 */
const event: ScheduledEvent = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-11-25T10:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/udagram-dev-ChaosMonkey'],
  detail: {},
}
const context = {
  functionName: 'udagram-dev-ChaosMonkey',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:udagram-dev-ChaosMonkey',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  logGroupName: '/aws/lambda/udagram-dev-ChaosMonkey',
  logStreamName: '2026/11/25/[$LATEST]0123456789abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context

let invocation: { result: unknown } | { error: string }
try {
  const { handler } = await import('#handlers/schedule/chaos-monkey.ts')
  invocation = { result: await handler(event, context) }
} catch (error) {
  invocation = { error: error instanceof Error ? error.message : String(error) }
}
process.stdout.write(`${JSON.stringify({ invocation })}\n`)
