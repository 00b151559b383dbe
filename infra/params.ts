// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import { corsAllowedOrigin } from './cors.ts'
import { chaosParams } from './functions/chaos-monkey.ts'
import { throttleParams } from './resources/api-throttling.ts'
import { dataProtectionParams } from './resources/data-protection.ts'

/**
 * Stage parameters (`${param:x}`): CLI `--param x=v` wins over the stage block, which wins over
 * `default`. The JWKS URL follows the issuer (also when `--param authIssuer=...` overrides it),
 * which must therefore end with `/`, as Auth0 issuers do.
 */
export const params = {
  default: {
    authIssuer: 'https://udagram.eu.auth0.com/',
    authAudience: 'https://udagram-api',
    // RS256 (the issuer's JWKS) or HS256 (a secret shared with the issuer, kept in Secrets Manager).
    authAlgorithm: 'RS256',
    authJwksUrl: '${param:authIssuer}.well-known/jwks.json',
    imagesBucket: 'udagram-${sls:stage}-images',
    thumbnailsBucket: 'udagram-${sls:stage}-thumbnails',
    websiteBucket: 'udagram-${sls:stage}-web',
    // How a new version of an API function takes traffic, on the stages deployed gradually.
    gradualDeploymentType: 'Linear10PercentEvery1Minute',
    logLevel: 'INFO',
    corsAllowedOrigin,
    // The smallest OpenSearch node; prod gets two larger ones.
    searchInstanceType: 't3.small.search',
    searchInstanceCount: '1',
    ...throttleParams.default,
    ...chaosParams.default,
    ...dataProtectionParams.default,
  },
  prod: {
    logLevel: 'WARN',
    searchInstanceType: 'm7g.large.search',
    searchInstanceCount: '2',
    ...throttleParams.prod,
    ...chaosParams.prod,
    ...dataProtectionParams.prod,
    // 10 % of the traffic for five minutes, then all of it, unless the errors alarm went off.
    gradualDeploymentType: 'Canary10Percent5Minutes',
  },
}
