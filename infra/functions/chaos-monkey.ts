// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import { asyncFailuresQueueLogicalId } from '../resources/async-failures-queue.ts'
import { chaosMonkeyRoleLogicalId, chaosMonkeyTag } from '../resources/chaos-monkey-role.ts'
import type { Functions } from './types.ts'

/**
 * The chaos monkey's stage params. Off unless a stage turns it on; prod runs it in dry-run, so each
 * round logs the instance it would have terminated. Terminating takes a deliberate
 * `--param chaosMonkeyMode=terminate`. Rounds run hourly in working hours on weekdays (UTC), when
 * people are around to notice and learn from a lost instance.
 */
export const chaosParams = {
  default: {
    chaosMonkeyEnabled: 'false',
    chaosMonkeyMode: 'dry-run',
    chaosMonkeySchedule: 'cron(0 9-16 ? * MON-FRI *)',
  },
  prod: {
    chaosMonkeyEnabled: 'true',
  },
}

/** The seed's scheduled-event example: one round of the chaos monkey per schedule tick. */
export const chaosMonkeyFunctions: Functions = {
  ChaosMonkey: {
    handler: 'src/handlers/schedule/chaos-monkey.handler',
    role: chaosMonkeyRoleLogicalId,
    timeout: 30,
    environment: {
      CHAOS_FLEET: 'ec2',
      CHAOS_MODE: '${param:chaosMonkeyMode}',
      CHAOS_TAG_KEY: chaosMonkeyTag.key,
      CHAOS_TAG_VALUE: chaosMonkeyTag.value,
    },
    events: [
      {
        schedule: {
          rate: ['${param:chaosMonkeySchedule}'],
          // The type wants a boolean; the param is the string 'true' or 'false', which osls's schema
          // validation coerces to one before compiling the rule (State DISABLED when false).
          enabled: '${param:chaosMonkeyEnabled}' as unknown as boolean,
          description: 'One chaos monkey round: terminate a running instance tagged chaos-monkey=opt-in',
        },
      },
    ],
    // A schedule invokes asynchronously. A failed round is not retried: a retry after a terminate whose
    // answer was lost could kill a second instance, and a skipped round costs nothing. It goes to the
    // failures queue instead, and a round still queued after 15 minutes is dropped the same way.
    maximumRetryAttempts: 0,
    maximumEventAge: 900,
    destinations: {
      onFailure: { type: 'sqs', arn: { 'Fn::GetAtt': [asyncFailuresQueueLogicalId, 'Arn'] } },
    },
  },
}
