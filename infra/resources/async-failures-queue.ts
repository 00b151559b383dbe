import type { CfnResources } from './types.ts'

export const asyncFailuresQueueLogicalId = 'AsyncFailuresQueue'

/**
 * Where Lambda sends an SNS-triggered invocation that failed all its retries or grew too old, with the
 * event and the error, so nothing an upload started is lost silently. Kept 14 days (SQS's maximum),
 * encrypted with SQS-managed keys.
 */
export const asyncFailuresQueue: CfnResources = {
  [asyncFailuresQueueLogicalId]: {
    Type: 'AWS::SQS::Queue',
    Properties: {
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
    },
  },
}
