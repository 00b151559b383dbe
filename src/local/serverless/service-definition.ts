import { isAbsolute, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { AWS } from 'osls'
import { existingResources } from './conditions.ts'
import { resolveVariables, type VariableSources } from './variable-resolver.ts'

export type ServiceConfig = AWS
export type FunctionConfig = NonNullable<AWS['functions']>[string]

export interface LocalFunctionDefinition {
  name: string
  /** Absolute path of the handler module. */
  modulePath: string
  exportName: string
  /** Provider environment overlaid with the function's own, as Lambda sees it. */
  environment: Record<string, string>
  /**
   * Variables whose value in serverless.ts is a CloudFormation function (an API's URL, say), known only
   * once deployed: the local cloud must supply each of them, or the function does not start.
   */
  deployTimeEnvironment?: string[]
  timeoutSeconds: number
  memorySize: number
  events: NonNullable<FunctionConfig['events']>
}

export interface ServiceDefinition {
  service: string
  stage: string
  region: string
  config: ServiceConfig
  functions: Map<string, LocalFunctionDefinition>
  /** The resources that exist on this stage: those whose Condition is false are left out. */
  resources: Record<string, { Type: string; Condition?: string; Properties?: Record<string, unknown> }>
}

export interface LoadOptions {
  projectRoot: string
  stage?: string
  region?: string
  params?: Record<string, string>
  env?: Record<string, string | undefined>
}

/** Reads serverless.ts, the single source of truth, and resolves it for one stage as osls would. */
export async function loadServiceDefinition(options: LoadOptions): Promise<ServiceDefinition> {
  const module = (await import(pathToFileURL(join(options.projectRoot, 'serverless.ts')).href)) as {
    default: ServiceConfig
  }
  const raw = structuredClone(module.default)
  const stage = options.stage ?? 'dev'
  const region = options.region ?? 'us-east-1'
  const sources: VariableSources = {
    stage,
    region,
    params: options.params ?? {},
    options: { stage, region },
    env: options.env ?? process.env,
  }
  const config = resolveVariables(raw, sources)
  return {
    service: String(config.service),
    stage,
    region,
    config,
    functions: functionDefinitions(config, options.projectRoot),
    resources: existingResources(
      (config.resources?.Resources ?? {}) as ServiceDefinition['resources'],
      (config.resources?.Conditions ?? {}) as Record<string, unknown>,
    ),
  }
}

function functionDefinitions(
  config: ServiceConfig,
  projectRoot: string,
): Map<string, LocalFunctionDefinition> {
  const provider = config.provider
  const definitions = new Map<string, LocalFunctionDefinition>()
  for (const [name, fn] of Object.entries(config.functions ?? {})) {
    if (!('handler' in fn) || typeof fn.handler !== 'string') {
      throw new Error(`serverless.ts: function ${name} has no handler (container images are not run locally)`)
    }
    const dot = fn.handler.lastIndexOf('.')
    const modulePath = fn.handler.slice(0, dot)
    definitions.set(name, {
      name,
      modulePath: isAbsolute(modulePath) ? `${modulePath}.ts` : join(projectRoot, `${modulePath}.ts`),
      exportName: fn.handler.slice(dot + 1),
      ...splitEnvironment({ ...provider.environment, ...fn.environment }),
      timeoutSeconds: Number(fn.timeout ?? provider.timeout ?? 6),
      memorySize: Number(fn.memorySize ?? provider.memorySize ?? 1024),
      events: fn.events ?? [],
    })
  }
  return definitions
}

function splitEnvironment(
  environment: Record<string, unknown>,
): Pick<LocalFunctionDefinition, 'environment' | 'deployTimeEnvironment'> {
  const plain: Record<string, string> = {}
  const deployTime: string[] = []
  for (const [key, value] of Object.entries(environment)) {
    if (typeof value === 'object' && value !== null) deployTime.push(key)
    else plain[key] = String(value)
  }
  return { environment: plain, deployTimeEnvironment: deployTime }
}
