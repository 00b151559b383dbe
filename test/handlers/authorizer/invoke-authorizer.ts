import type { APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda'

/**
 * Runs the REST authorizer in a process of its own (its configuration is read from the environment at
 * import, as at a cold start), once per token given as an argument, and prints one line per
 * invocation: `{"outcome": "allow" | "<error message>"}`.
 */
const context = {
  functionName: 'udagram-dev-Authorizer',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:udagram-dev-Authorizer',
  memoryLimitInMB: '256',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context

const { handler } = await import('#handlers/authorizer/jwt-authorizer.ts')
for (const token of process.argv.slice(2)) {
  const event: APIGatewayTokenAuthorizerEvent = {
    type: 'TOKEN',
    authorizationToken: `Bearer ${token}`,
    methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/groups',
  }
  let outcome: string
  try {
    const result = await handler(event, { ...context })
    outcome = result.policyDocument.Statement[0]?.Effect === 'Allow' ? `allow ${result.principalId}` : 'deny'
  } catch (error) {
    outcome = error instanceof Error ? error.message : String(error)
  }
  process.stdout.write(`${JSON.stringify({ outcome })}\n`)
}
process.exit(0)
