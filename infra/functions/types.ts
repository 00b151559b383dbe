import type { AWS } from 'osls'

export type FunctionDefinition = NonNullable<AWS['functions']>[string]
export type Functions = Record<string, FunctionDefinition>
