import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  asArray,
  packagedTemplate,
  type Resource,
  refOf,
  type Statement,
  type Template,
  templateReader,
} from './cloudformation-template.ts'

// Packages the service with osls for dev and for prod, offline, and checks what each function may do
// there: a role of its own per function, exactly the calls its handler makes, on exactly what it
// touches; no door open to anyone; and a failure path for every asynchronous invocation.

const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] })
const indexOf = (tableLogicalId: string, indexName: string) => ({
  'Fn::Join': ['/', [arnOf(tableLogicalId), 'index', indexName]],
})
const objectsIn = (bucketLogicalId: string) => ({ 'Fn::Join': ['', [arnOf(bucketLogicalId), '/*']] })
const inThisAccount = (service: string, rest: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:${service}:`,
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${rest}`,
    ],
  ],
})

const groupsTable = arnOf('GroupsTable')
const imagesTable = arnOf('ImagesTable')
const connectionsTable = arnOf('ConnectionsTable')
const groupsByTime = indexOf('GroupsTable', 'GroupsByTimeIndex')
const imagesById = indexOf('ImagesTable', 'ImageIdIndex')
const groupSubscribers = indexOf('ConnectionsTable', 'GroupSubscribersIndex')
const imagesStream = { 'Fn::GetAtt': ['ImagesTable', 'StreamArn'] }
const originals = objectsIn('ImagesBucket')
const thumbnails = objectsIn('ThumbnailsBucket')
const failuresQueue = arnOf('AsyncFailuresQueue')
const connectionsOf = (stage: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':execute-api:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':',
      { Ref: 'WebsocketsApi' },
      `/${stage}/POST/@connections/*`,
    ],
  ],
})
const domainOf = (stage: string) => inThisAccount('es', `domain/udagram-${stage}/*`)

/** What every role may do besides its function's own calls: write its logs and traces. */
const logsAndTraces = [
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTelemetryRecords',
  'xray:PutTraceSegments',
]

/** Function -> the actions its handler calls (sorted), on top of logsAndTraces. */
const actionsOf: Record<string, string[]> = {
  Authorizer: [],
  WebSocketAuthorizer: [],
  GetGroups: ['dynamodb:Query'],
  CreateGroup: ['dynamodb:PutItem'],
  GetGroup: ['dynamodb:GetItem'],
  DeleteGroup: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  GetGroupImages: ['dynamodb:GetItem', 'dynamodb:Query'],
  CreateImage: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 's3:PutObject'],
  GetImage: ['dynamodb:Query'],
  DeleteImage: ['dynamodb:DeleteItem', 'dynamodb:Query', 's3:DeleteObject'],
  SearchImages: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'],
  ResizeImage: [
    'dynamodb:BatchWriteItem',
    'dynamodb:DeleteItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
    'execute-api:ManageConnections',
    's3:GetObject',
    's3:ListBucket',
    's3:PutObject',
    'sqs:SendMessage',
  ],
  SendUploadNotifications: [
    'dynamodb:BatchWriteItem',
    'dynamodb:DeleteItem',
    'dynamodb:Query',
    'execute-api:ManageConnections',
    'sqs:SendMessage',
  ],
  ConnectWebSocket: ['dynamodb:PutItem'],
  DisconnectWebSocket: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
  WebSocketDefaultRoute: [],
  SubscribeToGroup: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
  UnsubscribeFromGroup: ['dynamodb:DeleteItem'],
  IndexImages: [
    'dynamodb:DescribeStream',
    'dynamodb:GetItem',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
    'dynamodb:ListStreams',
    'es:ESHttpGet',
    'es:ESHttpHead',
    'es:ESHttpPost',
    'es:ESHttpPut',
    'sqs:SendMessage',
  ],
  ChaosMonkey: ['ec2:DescribeInstances', 'ec2:TerminateInstances', 'sqs:SendMessage'],
}

/** Function -> action -> the resources it may act on, for every action in actionsOf. */
const resourcesOf = (stage: string): Record<string, Record<string, unknown[]>> => {
  const notifying = {
    'dynamodb:Query': [imagesById, groupSubscribers, connectionsTable],
    'dynamodb:DeleteItem': [connectionsTable],
    'dynamodb:BatchWriteItem': [connectionsTable],
    'execute-api:ManageConnections': [connectionsOf(stage)],
    'sqs:SendMessage': [failuresQueue],
  }
  const domain = domainOf(stage)
  return {
    Authorizer: {},
    WebSocketAuthorizer: {},
    GetGroups: { 'dynamodb:Query': [groupsByTime] },
    CreateGroup: { 'dynamodb:PutItem': [groupsTable] },
    GetGroup: { 'dynamodb:GetItem': [groupsTable] },
    DeleteGroup: {
      'dynamodb:GetItem': [groupsTable],
      'dynamodb:DeleteItem': [groupsTable],
      'dynamodb:PutItem': [groupsTable],
      'dynamodb:Query': [imagesTable],
    },
    GetGroupImages: { 'dynamodb:GetItem': [groupsTable], 'dynamodb:Query': [imagesTable] },
    CreateImage: {
      'dynamodb:GetItem': [groupsTable],
      'dynamodb:PutItem': [imagesTable],
      'dynamodb:DeleteItem': [imagesTable],
      's3:PutObject': [originals],
    },
    GetImage: { 'dynamodb:Query': [imagesById] },
    DeleteImage: {
      'dynamodb:Query': [imagesById],
      'dynamodb:DeleteItem': [imagesTable],
      's3:DeleteObject': [originals, thumbnails],
    },
    SearchImages: { 'es:ESHttpGet': [domain], 'es:ESHttpHead': [domain], 'es:ESHttpPost': [domain] },
    ResizeImage: {
      ...notifying,
      'dynamodb:UpdateItem': [imagesTable],
      's3:GetObject': [originals],
      's3:ListBucket': [arnOf('ImagesBucket')],
      's3:PutObject': [thumbnails],
    },
    SendUploadNotifications: notifying,
    ConnectWebSocket: { 'dynamodb:PutItem': [connectionsTable] },
    DisconnectWebSocket: {
      'dynamodb:DeleteItem': [connectionsTable],
      'dynamodb:Query': [connectionsTable],
      'dynamodb:BatchWriteItem': [connectionsTable],
    },
    WebSocketDefaultRoute: {},
    SubscribeToGroup: {
      'dynamodb:GetItem': [groupsTable, connectionsTable],
      'dynamodb:PutItem': [connectionsTable],
      'dynamodb:DeleteItem': [connectionsTable],
    },
    UnsubscribeFromGroup: { 'dynamodb:DeleteItem': [connectionsTable] },
    IndexImages: {
      'dynamodb:DescribeStream': [imagesStream],
      'dynamodb:GetRecords': [imagesStream],
      'dynamodb:GetShardIterator': [imagesStream],
      'dynamodb:ListStreams': [imagesStream],
      'dynamodb:GetItem': [groupsTable],
      'es:ESHttpGet': [domain],
      'es:ESHttpHead': [domain],
      'es:ESHttpPost': [domain],
      'es:ESHttpPut': [domain],
      'sqs:SendMessage': [failuresQueue],
    },
    ChaosMonkey: {
      // EC2's Describe* actions have no resource-level permissions.
      'ec2:DescribeInstances': ['*'],
      'ec2:TerminateInstances': [inThisAccount('ec2', 'instance/*')],
      'sqs:SendMessage': [failuresQueue],
    },
  }
}

/**
 * Granted only on stages whose condition holds, by a policy resource carrying that condition: in HS256
 * mode the authorizers read the signing secret.
 */
const conditionalActionsOf: Record<string, Record<string, string[]>> = {
  Authorizer: { UsesSharedSecretTokens: ['kms:Decrypt', 'secretsmanager:GetSecretValue'] },
  WebSocketAuthorizer: { UsesSharedSecretTokens: ['kms:Decrypt', 'secretsmanager:GetSecretValue'] },
}

/** Actions for which AWS accepts no resource narrower than `*`. */
const onlyGrantableOnAnyResource = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'ec2:DescribeInstances',
]

const sortedJson = (values: unknown[]) => values.map((value) => JSON.stringify(value)).sort()

for (const stage of ['dev', 'prod']) {
  describe(`least privilege in the ${stage} template`, () => {
    let template: Template = { Resources: {} }
    const { resource, resourcesOfType } = templateReader(() => template)

    const functionNames = () =>
      resourcesOfType('AWS::Lambda::Function').map(([logicalId]) => logicalId.replace(/LambdaFunction$/, ''))

    const roleOf = (functionName: string): string => {
      const role = resource(`${functionName}LambdaFunction`).Properties.Role as { 'Fn::GetAtt'?: string[] }
      const [logicalId, attribute] = role['Fn::GetAtt'] ?? []
      assert.equal(attribute, 'Arn', functionName)
      assert.ok(logicalId, functionName)
      return logicalId
    }

    /** The statements of a role's inline policies and of the policy resources attached to it, by condition. */
    const grantsOf = (roleLogicalId: string): { always: Statement[]; when: Record<string, Statement[]> } => {
      const role = resource(roleLogicalId).Properties
      const always = (role.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
        (policy) => policy.PolicyDocument.Statement,
      )
      const when: Record<string, Statement[]> = {}
      for (const [, policy] of [
        ...resourcesOfType('AWS::IAM::Policy'),
        ...resourcesOfType('AWS::IAM::ManagedPolicy'),
      ]) {
        const roles = ((policy.Properties.Roles ?? []) as unknown[]).map(refOf)
        if (!roles.includes(roleLogicalId)) continue
        const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement
        const condition = (policy as Resource & { Condition?: string }).Condition
        if (condition === undefined) always.push(...statements)
        else when[condition] = [...(when[condition] ?? []), ...statements]
      }
      return { always, when }
    }

    const actionsIn = (statements: Statement[]) =>
      [...new Set(statements.flatMap((statement) => asArray(statement.Action)))].sort()

    before(async () => {
      template = await packagedTemplate(stage)
    })

    it('runs every function on a role of its own, assumable by Lambda only, and has no shared role', () => {
      const roles = functionNames().map(roleOf)

      assert.deepEqual(functionNames().sort(), Object.keys(actionsOf).sort())
      assert.equal(new Set(roles).size, roles.length, `shared roles: ${roles}`)
      assert.deepEqual(
        resourcesOfType('AWS::IAM::Role')
          .map(([logicalId]) => logicalId)
          .filter((logicalId) => logicalId !== 'CodeDeployServiceRole')
          .sort(),
        [...roles].sort(),
        'no role without a function but the one CodeDeploy shifts traffic with',
      )
      assert.equal(template.Resources.IamRoleLambdaExecution, undefined)
      for (const logicalId of roles) {
        const role = resource(logicalId).Properties
        assert.deepEqual(
          role.AssumeRolePolicyDocument,
          {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
            ],
          },
          logicalId,
        )
        assert.equal(role.ManagedPolicyArns, undefined, logicalId)
      }
    })

    for (const [functionName, actions] of Object.entries(actionsOf)) {
      it(`lets ${functionName} make exactly the calls its handler makes`, () => {
        const { always, when } = grantsOf(roleOf(functionName))
        assert.deepEqual(actionsIn(always), [...logsAndTraces, ...actions].sort())
        assert.deepEqual(
          Object.fromEntries(
            Object.entries(when).map(([condition, statements]) => [condition, actionsIn(statements)]),
          ),
          conditionalActionsOf[functionName] ?? {},
        )
      })

      it(`lets ${functionName} act only on what it touches`, () => {
        const statements = grantsOf(roleOf(functionName)).always
        const granted: Record<string, unknown[]> = {}
        for (const statement of statements) {
          assert.equal(statement.Effect, 'Allow', JSON.stringify(statement))
          for (const action of asArray(statement.Action)) {
            granted[action] = [...(granted[action] ?? []), ...asArray(statement.Resource)]
          }
        }
        const expected = resourcesOf(stage)[functionName] ?? {}

        assert.deepEqual(Object.keys(expected).sort(), actions, 'the resource table covers every call')
        for (const [action, resources] of Object.entries(expected)) {
          assert.deepEqual(sortedJson(granted[action] ?? []), sortedJson(resources), action)
        }
        assert.deepEqual(
          granted['logs:PutLogEvents'],
          [inThisAccount('logs', `log-group:/aws/lambda/udagram-${stage}-${functionName}:*`)],
          'its own log group only',
        )
      })
    }

    it('grants no wildcard action, and "*" as a resource only where AWS accepts nothing narrower', () => {
      const statements = [
        ...resourcesOfType('AWS::IAM::Role'),
        ...resourcesOfType('AWS::IAM::Policy'),
      ].flatMap(([, candidate]) =>
        candidate.Type === 'AWS::IAM::Role'
          ? (
              (candidate.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
            ).flatMap((policy) => policy.PolicyDocument.Statement)
          : (candidate.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
      )

      assert.ok(statements.length > 0)
      for (const statement of statements) {
        const actions = asArray(statement.Action)
        assert.deepEqual(
          actions.filter((action) => action.includes('*')),
          [],
          JSON.stringify(statement),
        )
        if (asArray(statement.Resource).includes('*')) {
          assert.deepEqual(
            actions.filter((action) => !onlyGrantableOnAnyResource.includes(action)),
            [],
            JSON.stringify(statement),
          )
        }
      }
    })

    it('lets no one in with an Allow for the "*" principal without a condition, in any policy', () => {
      const isAnyone = (principal: unknown): boolean =>
        principal === '*' ||
        (typeof principal === 'object' &&
          principal !== null &&
          Object.values(principal).some((value) => asArray(value as unknown).includes('*')))
      const openStatements: string[] = []
      const visit = (value: unknown, where: string): void => {
        if (Array.isArray(value)) {
          for (const item of value) visit(item, where)
          return
        }
        if (value === null || typeof value !== 'object') return
        const statement = value as Partial<Statement>
        if (
          statement.Effect === 'Allow' &&
          isAnyone(statement.Principal) &&
          statement.Condition === undefined
        ) {
          openStatements.push(`${where}: ${JSON.stringify(statement)}`)
        }
        for (const item of Object.values(value)) visit(item, where)
      }
      for (const [logicalId, candidate] of Object.entries(template.Resources)) visit(candidate, logicalId)

      assert.deepEqual(openStatements, [])
      for (const [logicalId, permission] of resourcesOfType('AWS::Lambda::Permission')) {
        assert.notEqual(permission.Properties.Principal, '*', logicalId)
      }
    })

    it('gives every asynchronously invoked function retries, a maximum event age and an on-failure destination it may send to', () => {
      const functionIn = (value: unknown) => /"(\w+)LambdaFunction"/.exec(JSON.stringify(value))?.[1]
      const invokedAsynchronously = new Set([
        ...resourcesOfType('AWS::SNS::Subscription').map(([, subscription]) =>
          functionIn(subscription.Properties.Endpoint),
        ),
        ...resourcesOfType('AWS::Events::Rule').flatMap(([, rule]) =>
          (rule.Properties.Targets as { Arn: unknown }[]).map((target) => functionIn(target.Arn)),
        ),
        ...resourcesOfType('AWS::Lambda::EventInvokeConfig').map(([, config]) =>
          functionIn(config.Properties.FunctionName),
        ),
      ])

      assert.deepEqual([...invokedAsynchronously].sort(), [
        'ChaosMonkey',
        'ResizeImage',
        'SendUploadNotifications',
      ])
      for (const name of invokedAsynchronously) {
        const config = resource(`${name}LambdaEvConf`).Properties
        const destination = (
          config.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined
        )?.OnFailure?.Destination

        assert.equal(typeof config.MaximumRetryAttempts, 'number', String(name))
        assert.equal(typeof config.MaximumEventAgeInSeconds, 'number', String(name))
        assert.deepEqual(destination, failuresQueue, String(name))
        const sends = grantsOf(roleOf(String(name))).always.filter((statement) =>
          asArray(statement.Action).includes('sqs:SendMessage'),
        )
        assert.deepEqual(
          sends.flatMap((statement) => asArray(statement.Resource)),
          [destination],
          String(name),
        )
      }
    })

    it('bisects a failing stream batch and sends what still fails to a queue the consumer may send to', () => {
      const mappings = resourcesOfType('AWS::Lambda::EventSourceMapping')

      assert.equal(mappings.length, 1)
      for (const [logicalId, mapping] of mappings) {
        const consumer =
          /"(\w+)LambdaFunction"/.exec(JSON.stringify(mapping.Properties.FunctionName))?.[1] ?? ''
        const destination = (
          mapping.Properties.DestinationConfig as { OnFailure?: { Destination?: unknown } }
        )?.OnFailure?.Destination

        assert.equal(mapping.Properties.BisectBatchOnFunctionError, true, logicalId)
        assert.deepEqual(destination, failuresQueue, logicalId)
        assert.equal(typeof mapping.Properties.MaximumRetryAttempts, 'number', logicalId)
        assert.ok(
          grantsOf(roleOf(consumer)).always.some(
            (statement) =>
              asArray(statement.Action).includes('sqs:SendMessage') &&
              JSON.stringify(asArray(statement.Resource)) === JSON.stringify([destination]),
          ),
          consumer,
        )
        // Lambda polls the stream with the consumer's role, so the mapping must wait for it.
        assert.ok(asArray(mapping.DependsOn ?? []).includes(roleOf(consumer)), logicalId)
      }
    })
  })
}
