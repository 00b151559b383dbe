/**
 * Turns the ways serverless.ts names an SNS topic (a name, an ARN, or a CloudFormation function of
 * the topic resources and pseudo parameters) into the topic's ARN, as CloudFormation would.
 */

export interface CfnResource {
  Type: string
  Properties?: Record<string, unknown>
}

export interface TopicReferenceContext {
  resources: Record<string, CfnResource>
  region: string
  accountId: string
}

const PARTITION = 'aws'

export function topicArnFor(name: string, context: TopicReferenceContext): string {
  return `arn:${PARTITION}:sns:${context.region}:${context.accountId}:${name}`
}

/** The name CloudFormation gives a topic resource: its `TopicName`, else (generated on AWS) its logical id. */
export function topicNameOf(logicalId: string, context: TopicReferenceContext): string {
  return nameOf(logicalId, context, new Set())
}

function nameOf(logicalId: string, context: TopicReferenceContext, resolving: Set<string>): string {
  const resource = context.resources[logicalId]
  if (resource?.Type !== 'AWS::SNS::Topic') {
    throw new Error(`serverless.ts: ${logicalId} is not an AWS::SNS::Topic resource`)
  }
  if (resolving.has(logicalId)) throw new Error(`serverless.ts: ${logicalId}'s TopicName refers to itself`)
  const name = resource.Properties?.TopicName
  if (name === undefined) return logicalId
  const resolved = resolveCfnString(
    name,
    context,
    `${logicalId}.TopicName`,
    new Set([...resolving, logicalId]),
  )
  if (!/^[\w-]{1,256}$/.test(resolved)) {
    throw new Error(`serverless.ts: ${logicalId}'s TopicName "${resolved}" is not a valid SNS topic name`)
  }
  return resolved
}

/**
 * Resolves a plain string, `Ref` (of a topic: its ARN; of `AWS::Region`, `AWS::AccountId`,
 * `AWS::Partition`, `AWS::URLSuffix`), `Fn::GetAtt` (a topic's `TopicArn` or `TopicName`), `Fn::Join`
 * and `Fn::Sub`. Anything else throws, naming `where`: a startup error beats a topic that never fires.
 */
export function resolveCfnString(
  value: unknown,
  context: TopicReferenceContext,
  where: string,
  resolving: Set<string> = new Set(),
): string {
  if (typeof value === 'string') return value
  if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1
  ) {
    const [[fn, argument]] = Object.entries(value) as [[string, unknown]]
    if (fn === 'Ref' && typeof argument === 'string') return ref(argument, context, where, resolving)
    if (fn === 'Fn::GetAtt') return getAtt(argument, context, where, resolving)
    if (fn === 'Fn::Join' && Array.isArray(argument) && typeof argument[0] === 'string') {
      const [separator, parts] = argument as [string, unknown]
      if (Array.isArray(parts)) {
        return parts.map((part) => resolveCfnString(part, context, where, resolving)).join(separator)
      }
    }
    if (fn === 'Fn::Sub') return sub(argument, context, where, resolving)
  }
  throw new Error(
    `serverless.ts: ${where} is ${JSON.stringify(value)}; the local cloud resolves plain strings, Ref, ` +
      'Fn::GetAtt, Fn::Join and Fn::Sub of SNS topics and pseudo parameters only',
  )
}

function ref(name: string, context: TopicReferenceContext, where: string, resolving: Set<string>): string {
  switch (name) {
    case 'AWS::Region':
      return context.region
    case 'AWS::AccountId':
      return context.accountId
    case 'AWS::Partition':
      return PARTITION
    case 'AWS::URLSuffix':
      return 'amazonaws.com'
  }
  const resource = context.resources[name]
  if (resource === undefined)
    throw new Error(`serverless.ts: ${where} refers to ${name}, which is not a resource`)
  if (resource.Type !== 'AWS::SNS::Topic') {
    throw new Error(
      `serverless.ts: ${where} refers to ${name}, a ${resource.Type}; the local cloud resolves topics only`,
    )
  }
  return topicArnFor(nameOf(name, context, resolving), context)
}

function getAtt(
  argument: unknown,
  context: TopicReferenceContext,
  where: string,
  resolving: Set<string>,
): string {
  const [logicalId, attribute] =
    typeof argument === 'string' ? argument.split('.', 2) : Array.isArray(argument) ? argument : []
  if (typeof logicalId !== 'string' || typeof attribute !== 'string') {
    throw new Error(`serverless.ts: ${where} has a malformed Fn::GetAtt ${JSON.stringify(argument)}`)
  }
  if (context.resources[logicalId]?.Type !== 'AWS::SNS::Topic') {
    throw new Error(
      `serverless.ts: ${where} reads ${logicalId}.${attribute}; the local cloud resolves topics only`,
    )
  }
  const name = nameOf(logicalId, context, resolving)
  if (attribute === 'TopicArn') return topicArnFor(name, context)
  if (attribute === 'TopicName') return name
  // CloudFormation refuses the deployment too: a topic's attributes are TopicArn and TopicName.
  throw new Error(
    `serverless.ts: ${where} reads ${logicalId}.${attribute}; an SNS topic has TopicArn and TopicName`,
  )
}

function sub(
  argument: unknown,
  context: TopicReferenceContext,
  where: string,
  resolving: Set<string>,
): string {
  const [template, variables] =
    typeof argument === 'string' ? [argument, {}] : Array.isArray(argument) ? argument : []
  if (typeof template !== 'string' || typeof variables !== 'object' || variables === null) {
    throw new Error(`serverless.ts: ${where} has a malformed Fn::Sub ${JSON.stringify(argument)}`)
  }
  return template.replace(/\$\{(!?)([^}]*)\}/g, (_match, literal: string, name: string) => {
    if (literal === '!') return `\${${name}}`
    if (Object.hasOwn(variables, name)) {
      return resolveCfnString((variables as Record<string, unknown>)[name], context, where, resolving)
    }
    const dot = name.indexOf('.')
    if (dot > 0) return getAtt([name.slice(0, dot), name.slice(dot + 1)], context, where, resolving)
    return ref(name, context, where, resolving)
  })
}
