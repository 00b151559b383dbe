import type { AWS } from 'osls'

/** One entry of `resources.Resources`: a CloudFormation resource keyed by its logical ID. */
export type CfnResources = Record<
  string,
  Extract<NonNullable<NonNullable<AWS['resources']>['Resources']>, Record<string, { Type: string }>>[string]
>
