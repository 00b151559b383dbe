// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import type { CfnResources } from './types.ts'

/** True when the stage's authorizers check HS256 tokens (`--param authAlgorithm=HS256`). */
export const usesSharedSecretCondition = 'UsesSharedSecretTokens'
export const tokenSigningSecretLogicalId = 'TokenSigningSecret'
export const tokenSigningKeyLogicalId = 'TokenSigningSecretKey'
/** The name the authorizers read the secret by (AUTH_SECRET_ID); the local cloud's secrets use it too. */
export const tokenSigningSecretName = '${self:service}-${sls:stage}-token-signing-secret'

export const tokenSigningConditions = {
  [usesSharedSecretCondition]: { 'Fn::Equals': ['${param:authAlgorithm}', 'HS256'] },
}

/**
 * The HS256 mode's shared secret, in Secrets Manager, encrypted with a key of its own. Both exist only
 * on stages that use HS256. CloudFormation generates a first value so the stack deploys; with Auth0,
 * replace it with the API's signing secret (`aws secretsmanager put-secret-value`): the authorizers
 * pick a new value up within their cache time, without a deployment.
 */
export const tokenSigningSecret: CfnResources = {
  [tokenSigningKeyLogicalId]: {
    Type: 'AWS::KMS::Key',
    Condition: usesSharedSecretCondition,
    Properties: {
      Description: 'Encrypts the token signing secret of ${self:service}-${sls:stage}',
      EnableKeyRotation: true,
      KeyPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            // The account administers the key, so IAM policies (the authorizers') can grant its use.
            // In a key policy `*` is the key itself: the only resource a key policy may name.
            Sid: 'AccountAdministersTheKey',
            Effect: 'Allow',
            Principal: {
              AWS: {
                'Fn::Join': [
                  '',
                  ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root'],
                ],
              },
            },
            Action: 'kms:*',
            Resource: '*',
          },
        ],
      },
    },
  },
  [tokenSigningSecretLogicalId]: {
    Type: 'AWS::SecretsManager::Secret',
    Condition: usesSharedSecretCondition,
    Properties: {
      Name: tokenSigningSecretName,
      Description: 'HS256 signing secret shared by the identity provider and the authorizers',
      KmsKeyId: { Ref: tokenSigningKeyLogicalId },
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, RequireEachIncludedType: true },
    },
  },
}

/**
 * Lets the given roles read the secret and decrypt it, only through Secrets Manager. A separate policy
 * so that it exists exactly when the secret does.
 */
export const tokenSigningSecretReaders = (roleLogicalIds: readonly string[]): CfnResources => ({
  TokenSigningSecretReadPolicy: {
    Type: 'AWS::IAM::Policy',
    Condition: usesSharedSecretCondition,
    Properties: {
      PolicyName: 'read-token-signing-secret',
      Roles: roleLogicalIds.map((logicalId) => ({ Ref: logicalId })),
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            // Ref of a secret is its full ARN.
            Resource: { Ref: tokenSigningSecretLogicalId },
          },
          {
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: { 'Fn::GetAtt': [tokenSigningKeyLogicalId, 'Arn'] },
            Condition: {
              StringEquals: {
                'kms:ViaService': {
                  'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
                },
              },
            },
          },
        ],
      },
    },
  },
})
