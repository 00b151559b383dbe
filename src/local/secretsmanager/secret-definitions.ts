/** The Secrets Manager secrets among the CloudFormation resources, as the local Secrets Manager needs them. */

export interface GeneratedSecretSpec {
  PasswordLength?: number
  ExcludeCharacters?: string
  ExcludeLowercase?: boolean
  ExcludeNumbers?: boolean
  ExcludePunctuation?: boolean
  ExcludeUppercase?: boolean
  IncludeSpace?: boolean
  RequireEachIncludedType?: boolean
}

export interface SecretDefinition {
  name: string
  description?: string
  /** A literal value, or how CloudFormation generates one on creation. */
  value: { kind: 'literal'; secretString: string } | { kind: 'generated'; spec: GeneratedSecretSpec }
}

interface Resource {
  Type: string
  Properties?: Record<string, unknown>
}

export function secretDefinitions(resources: Record<string, Resource>): SecretDefinition[] {
  const secrets: SecretDefinition[] = []
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::SecretsManager::Secret') continue
    const { Name, Description, SecretString, GenerateSecretString } = resource.Properties ?? {}
    if (typeof Name !== 'string') {
      throw new Error(`resource ${logicalId}: the local cloud needs the secret's Name as a plain string`)
    }
    if (
      GenerateSecretString !== undefined &&
      (GenerateSecretString as { SecretStringTemplate?: unknown }).SecretStringTemplate !== undefined
    ) {
      throw new Error(`resource ${logicalId}: SecretStringTemplate is not supported by the local cloud`)
    }
    secrets.push({
      name: Name,
      ...(typeof Description === 'string' && { description: Description }),
      value:
        typeof SecretString === 'string'
          ? { kind: 'literal', secretString: SecretString }
          : { kind: 'generated', spec: (GenerateSecretString ?? {}) as GeneratedSecretSpec },
    })
  }
  return secrets
}
