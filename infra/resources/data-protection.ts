// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import type { CfnResources } from './types.ts'

/**
 * The data protection stage params. prod keeps its data when the stack or a resource goes away:
 * CloudFormation retains the tables and buckets (on stack deletion and on a replacing update), and
 * DynamoDB refuses DeleteTable until someone turns deletion protection off by hand. Other stages
 * delete them, so `osls remove` leaves nothing behind.
 *
 * `dataDeletionProtection` is a string because `${param:...}` values arrive as strings from the CLI
 * (`--param dataDeletionProtection=true`). osls does not coerce it for resources: its schema types
 * a resource's Properties as a free-form object, so `DeletionProtectionEnabled` reaches the packaged
 * template as the string "true" or "false" (checked in the prod and dev templates; the chaos
 * monkey's `enabled` is coerced only because the schedule event's schema says boolean).
 * CloudFormation accepts "true" and "false" for a Boolean property, as it must for Boolean
 * properties fed by template parameters, which are always strings (the CDK's template diff treats
 * them as equal for that reason: aws/aws-cdk#10378).
 */
export const dataProtectionParams = {
  default: { dataDeletionProtection: 'false', dataRetention: 'Delete' },
  prod: { dataDeletionProtection: 'true', dataRetention: 'Retain' },
}

/** Resource attributes for the data: kept in prod (`Retain`), deleted with the stack elsewhere. */
export const dataRetentionPolicies = {
  DeletionPolicy: '${param:dataRetention}',
  UpdateReplacePolicy: '${param:dataRetention}',
}

/** The resources with `dataRetentionPolicies` on the one holding data (say, a bucket but not its policy). */
export function withDataRetention(resources: CfnResources, logicalId: string): CfnResources {
  const data = resources[logicalId]
  if (data === undefined) throw new Error(`no resource ${logicalId} to retain`)
  return { ...resources, [logicalId]: { ...data, ...dataRetentionPolicies } }
}
