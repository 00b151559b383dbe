// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import type { AWS } from 'osls'
import { environment } from './infra/environment.ts'
import { esbuild } from './infra/esbuild.ts'
import { authorizerFunctions } from './infra/functions/authorizer.ts'
import { httpApiFunctions } from './infra/functions/http-api.ts'
import { lambdaRoleStatements } from './infra/iam.ts'
import { params } from './infra/params.ts'
import { gatewayResponses } from './infra/resources/gateway-responses.ts'
import { imagesBucket } from './infra/resources/images-bucket.ts'
import { tables } from './infra/resources/tables.ts'

type Region = NonNullable<AWS['provider']['region']>

/**
 * The whole service. osls loads this file (through tsx) to package and deploy it, and the local
 * cloud imports the same default export to run the same functions, so it holds data only: no
 * side effects, no values computed from the environment, osls variables left unresolved.
 */
const serverlessConfiguration: AWS = {
  service: 'udagram',
  frameworkVersion: '4',
  plugins: ['serverless-esbuild'],
  params,
  provider: {
    name: 'aws',
    runtime: 'nodejs24.x',
    stage: "${opt:stage, 'dev'}",
    // The type lists literal region names only; osls resolves the variable before validating.
    region: "${opt:region, 'us-east-1'}" as Region,
    memorySize: 256,
    timeout: 10,
    logRetentionInDays: 14,
    tracing: { apiGateway: true, lambda: true },
    environment,
    iam: { role: { statements: lambdaRoleStatements } },
  },
  package: { individually: true },
  custom: { esbuild },
  functions: {
    ...authorizerFunctions,
    ...httpApiFunctions,
  },
  resources: {
    Resources: {
      ...tables,
      ...imagesBucket,
      ...gatewayResponses,
    },
  },
}

export default serverlessConfiguration
