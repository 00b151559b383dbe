import { asyncFailuresQueueLogicalId } from './async-failures-queue.ts'
import { arnIn, functionRole } from './lambda-roles.ts'
import type { CfnResources } from './types.ts'

export const chaosMonkeyRoleLogicalId = 'ChaosMonkeyRole'

/**
 * The opt-in tag, fixed here rather than a stage param: the role's condition key below embeds the
 * tag key, and osls resolves variables in values only, never in keys.
 */
export const chaosMonkeyTag = { key: 'chaos-monkey', value: 'opt-in' }

/**
 * The chaos monkey may look at every instance but terminate only those carrying the opt-in tag: even
 * a bug in its choice cannot reach an instance whose team did not opt in.
 */
export const chaosMonkeyRole: CfnResources = {
  [chaosMonkeyRoleLogicalId]: functionRole('ChaosMonkey', [
    {
      // EC2's Describe* actions support no resource-level permissions: `*` is the only resource AWS
      // accepts for them (Service Authorization Reference, Amazon EC2, "DescribeInstances").
      Effect: 'Allow',
      Action: ['ec2:DescribeInstances'],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: ['ec2:TerminateInstances'],
      Resource: arnIn('ec2', 'instance/*'),
      Condition: { StringEquals: { [`aws:ResourceTag/${chaosMonkeyTag.key}`]: chaosMonkeyTag.value } },
    },
    {
      // The on-failure destination of its asynchronous invocations (osls grants it to the shared role only).
      Effect: 'Allow',
      Action: ['sqs:SendMessage'],
      Resource: { 'Fn::GetAtt': [asyncFailuresQueueLogicalId, 'Arn'] },
    },
  ]),
}
