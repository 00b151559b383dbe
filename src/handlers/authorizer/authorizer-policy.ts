/** `Bearer <token>` -> token; anything else -> undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+)$/i.exec(header?.trim() ?? '')
  return match?.[1]
}

/**
 * `arn:aws:execute-api:region:account:apiId/stage/METHOD/path` -> the same API and stage, every
 * method and path, so that a decision cached for one route does not deny the caller's next route.
 */
export function wholeApiResource(methodArn: string): string {
  const [apiArn, stage] = methodArn.split('/')
  if (apiArn === undefined || !apiArn.startsWith('arn:') || stage === undefined || stage.length === 0) {
    throw new Error(`not an API Gateway method ARN: ${methodArn}`)
  }
  return `${apiArn}/${stage}/*/*`
}
