// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import type { AWS } from 'osls'
import {
  deployedGradually,
  deploymentSettings,
  gradualDeploymentConditions,
  gradualDeploymentResources,
} from './infra/deployment/gradual-deployment.ts'
import { cdnUrls, environment, websocketManagementEndpoint } from './infra/environment.ts'
import { esbuild } from './infra/esbuild.ts'
import { authorizerFunctions } from './infra/functions/authorizer.ts'
import { chaosMonkeyFunctions } from './infra/functions/chaos-monkey.ts'
import { httpApiFunctions } from './infra/functions/http-api.ts'
import { searchFunctions } from './infra/functions/search.ts'
import { uploadEventFunctions } from './infra/functions/upload-events.ts'
import { webSocketApiFunctions } from './infra/functions/websocket-api.ts'
import { params } from './infra/params.ts'
import { alarms } from './infra/resources/alarms.ts'
import { restApiStage } from './infra/resources/api-throttling.ts'
import { asyncFailuresQueue } from './infra/resources/async-failures-queue.ts'
import { authorizerRoles } from './infra/resources/authorizer-roles.ts'
import { chaosMonkeyRole } from './infra/resources/chaos-monkey-role.ts'
import { gatewayResponses } from './infra/resources/gateway-responses.ts'
import { httpApiRoles } from './infra/resources/http-api-roles.ts'
import { imagesBucket } from './infra/resources/images-bucket.ts'
import { bucketReader } from './infra/resources/private-bucket.ts'
import { searchDomain } from './infra/resources/search-domain.ts'
import { tables } from './infra/resources/tables.ts'
import { thumbnailsBucket } from './infra/resources/thumbnails-bucket.ts'
import { tokenSigningConditions, tokenSigningSecret } from './infra/resources/token-signing-secret.ts'
import { uploadEventRoles } from './infra/resources/upload-event-roles.ts'
import { uploadsTopic } from './infra/resources/uploads-topic.ts'
import { website, websiteOutputs } from './infra/resources/website.ts'
import { webSocketApiRoles } from './infra/resources/websocket-roles.ts'

type Region = NonNullable<AWS['provider']['region']>

const functions = deployedGradually({
  ...authorizerFunctions,
  ...httpApiFunctions,
  ...uploadEventFunctions,
  ...webSocketApiFunctions,
  ...searchFunctions,
  ...chaosMonkeyFunctions,
})

/**
 * The whole service. osls loads this file (through tsx) to package and deploy it, and the local
 * cloud imports the same default export to run the same functions, so it holds data only: no
 * side effects, no values computed from the environment, osls variables left unresolved.
 */
const serverlessConfiguration: AWS = {
  service: 'udagram',
  frameworkVersion: '4',
  // The local plugin writes custom.restApiStage (throttling) into the REST API's stage.
  plugins: [
    'serverless-esbuild',
    'serverless-plugin-canary-deployments',
    './infra/plugins/rest-api-stage.ts',
  ],
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
    // The local cloud overrides the CloudFormation values here with its own WebSocket gateway's
    // endpoint and its own CDN's URLs.
    environment: { ...environment, ...websocketManagementEndpoint, ...cdnUrls },
    websocketsApiRouteSelectionExpression: '$request.body.action',
  },
  package: { individually: true },
  custom: { esbuild, restApiStage, deploymentSettings },
  functions,
  resources: {
    Conditions: { ...tokenSigningConditions, ...gradualDeploymentConditions },
    Resources: {
      ...tables,
      ...imagesBucket,
      ...thumbnailsBucket,
      ...bucketReader,
      ...uploadsTopic,
      ...asyncFailuresQueue,
      ...alarms,
      ...gatewayResponses,
      ...searchDomain,
      ...authorizerRoles,
      ...chaosMonkeyRole,
      ...httpApiRoles,
      ...uploadEventRoles,
      ...webSocketApiRoles,
      ...tokenSigningSecret,
      ...website,
      ...gradualDeploymentResources(functions),
    },
    Outputs: { ...websiteOutputs },
  },
}

export default serverlessConfiguration
