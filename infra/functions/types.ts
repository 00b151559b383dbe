import type { AWS } from 'osls'

/** serverless-plugin-canary-deployments' function setting (infra/deployment/gradual-deployment.ts). */
export interface DeploymentSettings {
  type: string
  alias: string
  /** Logical IDs of the CloudWatch alarms that roll a deployment back. */
  alarms: string[]
}

export type FunctionDefinition = NonNullable<AWS['functions']>[string] & {
  deploymentSettings?: DeploymentSettings
}
export type Functions = Record<string, FunctionDefinition>
