import type { Context } from 'aws-lambda'

/**
 * Runs one handler in a process of its own (its configuration is read from the environment at import,
 * as at a cold start): `node invoke-handler.ts <module> <event JSON>...`, one invocation per event, in
 * order, so the first is the cold start. After each, a line `{"invocation": {"result": ...} |
 * {"error": ...}}`; everything else on stdout is what the handler printed.
 */
const [modulePath, ...events] = process.argv.slice(2)
if (modulePath === undefined) throw new Error('usage: invoke-handler.ts <module> <event JSON>...')

const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'udagram-dev-Function'
const contextFor = (invocation: number) =>
  ({
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `00000000-0000-4000-8000-00000000000${invocation}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/25/[$LATEST]0123456789abcdef',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 10_000,
  }) as unknown as Context

const { handler } = (await import(modulePath)) as {
  handler: (event: unknown, context: Context) => Promise<unknown>
}
for (const [invocation, event] of events.entries()) {
  let outcome: { result: unknown } | { error: string }
  try {
    outcome = { result: await handler(JSON.parse(event), contextFor(invocation + 1)) }
  } catch (error) {
    outcome = { error: error instanceof Error ? error.message : String(error) }
  }
  process.stdout.write(`${JSON.stringify({ invocation: outcome })}\n`)
}
process.exit(0)
