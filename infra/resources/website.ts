// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud
import { imagesDistributionLogicalId } from './images-bucket.ts'
import { privateBucket } from './private-bucket.ts'
import { thumbnailsDistributionLogicalId } from './thumbnails-bucket.ts'
import type { CfnResources } from './types.ts'
import { contentSecurityPolicyParts } from './website-csp.ts'

export const websiteBucketLogicalId = 'WebsiteBucket'
export const websiteDistributionLogicalId = 'WebsiteDistribution'
const routesFunctionLogicalId = 'WebsiteRoutes'
const securityHeadersLogicalId = 'WebsiteSecurityHeaders'

/**
 * The app routes in the browser (`/groups/...`, `/search`): a path without a file extension gets
 * index.html, and a missing asset stays a real 404. The local web server does the same.
 */
const routesCode = `function handler(event) {
  var request = event.request;
  if (request.uri.indexOf('.', request.uri.lastIndexOf('/')) === -1) request.uri = '/index.html';
  return request;
}`

const https = (host: unknown) => ({ 'Fn::Join': ['', ['https://', host]] })
const apiHost = (scheme: string, apiRef: unknown) => ({
  'Fn::Join': ['', [scheme, apiRef, '.execute-api.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
})

/** What the page may load and talk to (infra/resources/website-csp.ts): nothing else runs. */
const contentSecurityPolicy = {
  'Fn::Join': [
    '',
    contentSecurityPolicyParts<unknown>({
      images: https({ 'Fn::GetAtt': [imagesDistributionLogicalId, 'DomainName'] }),
      thumbnails: https({ 'Fn::GetAtt': [thumbnailsDistributionLogicalId, 'DomainName'] }),
      api: apiHost('https://', { Ref: 'ApiGatewayRestApi' }),
      websocket: apiHost('wss://', { Ref: 'WebsocketsApi' }),
      uploads: https({ 'Fn::GetAtt': ['ImagesBucket', 'RegionalDomainName'] }),
      issuer: '${param:authIssuer}',
    }),
  ],
}

/**
 * The web app's static build on AWS: a private bucket behind its own distribution (origin access
 * control, HTTPS), with the browser routes rewritten to index.html and security headers on every
 * answer. `npm run web:build`, then upload `web/dist` and a `config.json` (README: "Deploying the web app").
 */
export const website: CfnResources = {
  ...privateBucket({
    logicalId: websiteBucketLogicalId,
    bucketName: '${param:websiteBucket}',
    distributionLogicalId: websiteDistributionLogicalId,
    corsMethods: [],
    cacheBehavior: {
      ResponseHeadersPolicyId: { Ref: securityHeadersLogicalId },
      FunctionAssociations: [
        {
          EventType: 'viewer-request',
          FunctionARN: { 'Fn::GetAtt': [routesFunctionLogicalId, 'FunctionARN'] },
        },
      ],
    },
  }),
  [routesFunctionLogicalId]: {
    Type: 'AWS::CloudFront::Function',
    Properties: {
      Name: '${self:service}-${sls:stage}-web-routes',
      AutoPublish: true,
      FunctionCode: routesCode,
      FunctionConfig: { Comment: 'Browser routes get index.html', Runtime: 'cloudfront-js-2.0' },
    },
  },
  [securityHeadersLogicalId]: {
    Type: 'AWS::CloudFront::ResponseHeadersPolicy',
    Properties: {
      ResponseHeadersPolicyConfig: {
        Name: '${self:service}-${sls:stage}-web-security-headers',
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: contentSecurityPolicy, Override: true },
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: 63_072_000,
            IncludeSubdomains: true,
            Override: true,
          },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        },
      },
    },
  },
}

/** What the deploy guide reads to write the web app's config.json and to upload it. */
export const websiteOutputs = {
  WebsiteUrl: { Value: https({ 'Fn::GetAtt': [websiteDistributionLogicalId, 'DomainName'] }) },
  WebsiteBucketName: { Value: { Ref: websiteBucketLogicalId } },
  WebsiteDistributionId: { Value: { Ref: websiteDistributionLogicalId } },
}
