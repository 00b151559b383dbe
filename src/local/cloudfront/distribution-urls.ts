/**
 * The environment variables whose value in serverless.ts is a distribution's `https://` + DomainName
 * (known once deployed), with the local CDN's URL for that distribution instead.
 */
export function distributionUrlVariables(
  environment: Record<string, unknown>,
  urlOf: (distributionLogicalId: string) => string,
  distributions: readonly string[],
): Record<string, string> {
  const variables: Record<string, string> = {}
  for (const [name, value] of Object.entries(environment)) {
    const join = (value as { 'Fn::Join'?: [string, unknown[]] } | null)?.['Fn::Join']
    if (join === undefined || join[0] !== '' || join[1].length !== 2 || join[1][0] !== 'https://') continue
    const [logicalId, attribute] = (join[1][1] as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'] ?? []
    if (attribute === 'DomainName' && logicalId !== undefined && distributions.includes(logicalId)) {
      variables[name] = urlOf(logicalId)
    }
  }
  return variables
}
