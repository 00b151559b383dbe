import type { RestApiStage } from '../resources/api-throttling.ts'

type Resource = { Type: string; Properties?: Record<string, unknown> }

/** The parts of osls's `serverless` object this plugin touches. */
interface Serverless {
  service: {
    custom?: Record<string, unknown>
    provider: { compiledCloudFormationTemplate: { Resources: Record<string, Resource> } }
  }
  classes: { Error: new (message: string) => Error }
}

const DEPLOYMENT = 'AWS::ApiGateway::Deployment'

/**
 * Gives the REST API's stage the settings of `custom.restApiStage` (its throttling), which osls 4.3.1
 * has no option for. Nor can `resources.extensions` add them: osls generates no
 * `AWS::ApiGateway::Stage` ("Cannot extend "ApiGatewayStage" resource, as it's not found in generated
 * stack"; it sets tracing with an SDK call after the deploy instead), and the `AWS::ApiGateway::Deployment`
 * that creates the stage through its `StageName` has the packaging time in its logical ID. So this
 * writes them into that Deployment's `StageDescription` once osls has compiled it. CloudFormation
 * applies a StageDescription when it creates a deployment, and osls makes a new one on every deploy.
 */
export default class RestApiStagePlugin {
  readonly hooks: Record<string, () => void>

  constructor(serverless: Serverless) {
    this.hooks = { 'before:package:finalize': () => describeStage(serverless) }
  }
}

function describeStage(serverless: Serverless): void {
  const settings = serverless.service.custom?.restApiStage as RestApiStage | undefined
  if (settings === undefined) return
  const fail = (message: string): never => {
    throw new serverless.classes.Error(`custom.restApiStage: ${message}`)
  }
  const resources = serverless.service.provider.compiledCloudFormationTemplate.Resources
  const deployments = Object.values(resources).filter((resource) => resource.Type === DEPLOYMENT)
  const [deployment, ...others] = deployments
  if (deployment === undefined || others.length > 0) {
    fail(`expected the one ${DEPLOYMENT} osls makes for http events, found ${deployments.length}`)
    return
  }
  if (!Array.isArray(settings.MethodSettings)) fail('MethodSettings must be a list')
  deployment.Properties = {
    ...deployment.Properties,
    StageDescription: {
      MethodSettings: settings.MethodSettings.map((setting, index) => {
        const at = `MethodSettings[${index}]`
        return {
          ...setting,
          ThrottlingRateLimit: limit(setting.ThrottlingRateLimit, `${at}.ThrottlingRateLimit`, fail),
          ThrottlingBurstLimit: limit(setting.ThrottlingBurstLimit, `${at}.ThrottlingBurstLimit`, fail, {
            integer: true,
          }),
        }
      }),
    },
  }
}

/** `--param` values arrive as strings; CloudFormation wants a Double for the rate and an Integer for the burst. */
function limit(
  value: unknown,
  at: string,
  fail: (message: string) => never,
  { integer = false } = {},
): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN
  if (value === '' || !Number.isFinite(number) || number < 0 || (integer && !Number.isInteger(number))) {
    fail(`${at} must be a ${integer ? 'whole ' : ''}number of at least 0, got ${JSON.stringify(value)}`)
  }
  return number
}
