// biome-ignore-all lint/suspicious/noTemplateCurlyInString: none here are osls variables; the template is resolved
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { runInNewContext } from 'node:vm'
import { packagedTemplate, type Statement, type Template, templateReader } from './cloudformation-template.ts'

let template: Template & { Outputs?: Record<string, { Value: unknown }> } = { Resources: {} }
const { resource } = templateReader(() => template)

/** Runs the CloudFront Function's code on a viewer request for `uri`, and returns the URI it asks for. */
function routedUri(uri: string): string {
  const code = String(resource('WebsiteRoutes').Properties.FunctionCode)
  const handler = runInNewContext(`${code}; handler`) as (event: unknown) => { uri: string }
  return handler({ request: { uri, method: 'GET', headers: {} } }).uri
}

describe('the web app on AWS', () => {
  before(async () => {
    template = await packagedTemplate()
  })

  it('keeps the build in a private bucket that only its distribution reads, over TLS', () => {
    const bucket = resource('WebsiteBucket').Properties
    assert.equal(bucket.BucketName, 'udagram-dev-web')
    assert.deepEqual(bucket.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    })
    const statements = (
      resource('WebsiteBucketPolicy').Properties.PolicyDocument as { Statement: Statement[] }
    ).Statement
    assert.deepEqual(
      statements.map((statement) => [statement.Effect, statement.Principal, statement.Action]),
      [
        ['Allow', { Service: 'cloudfront.amazonaws.com' }, 's3:GetObject'],
        ['Allow', { Service: 'cloudfront.amazonaws.com' }, 's3:ListBucket'],
        ['Deny', '*', 's3:*'],
      ],
    )
    assert.match(JSON.stringify(statements[0]?.Condition), /"Ref":"WebsiteDistribution"/)
  })

  it('serves it over HTTPS with the routes function and the security headers on every answer', () => {
    const config = resource('WebsiteDistribution').Properties.DistributionConfig as {
      DefaultRootObject: string
      DefaultCacheBehavior: Record<string, unknown>
    }
    assert.equal(config.DefaultRootObject, 'index.html')
    assert.equal(config.DefaultCacheBehavior.ViewerProtocolPolicy, 'redirect-to-https')
    assert.deepEqual(config.DefaultCacheBehavior.ResponseHeadersPolicyId, { Ref: 'WebsiteSecurityHeaders' })
    assert.deepEqual(config.DefaultCacheBehavior.FunctionAssociations, [
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': ['WebsiteRoutes', 'FunctionARN'] } },
    ])
    assert.equal(resource('WebsiteRoutes').Properties.AutoPublish, true)
  })

  it('gives browser routes index.html and leaves files, and missing files, as asked', () => {
    assert.equal(routedUri('/'), '/index.html')
    assert.equal(routedUri('/groups/6f1c9a8e'), '/index.html')
    assert.equal(routedUri('/callback'), '/index.html')
    assert.equal(routedUri('/assets/index-3b1f.js'), '/assets/index-3b1f.js')
    assert.equal(routedUri('/config.json'), '/config.json')
    assert.equal(routedUri('/assets/missing.css'), '/assets/missing.css')
  })

  it('lets the page load only itself and the image distributions, and talk only to the APIs, the uploads bucket and the issuer', () => {
    const headers = resource('WebsiteSecurityHeaders').Properties.ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>
    }
    const security = headers.SecurityHeadersConfig
    assert.deepEqual(security.StrictTransportSecurity, {
      AccessControlMaxAgeSec: 63_072_000,
      IncludeSubdomains: true,
      Override: true,
    })
    assert.deepEqual(security.FrameOptions, { FrameOption: 'DENY', Override: true })
    assert.deepEqual(security.ContentTypeOptions, { Override: true })
    assert.deepEqual(security.ReferrerPolicy, { ReferrerPolicy: 'no-referrer', Override: true })
    const csp = JSON.stringify(security.ContentSecurityPolicy)
    assert.match(csp, /default-src 'self'; script-src 'self'/)
    for (const source of [
      'ImagesDistribution',
      'ThumbnailsDistribution',
      'ApiGatewayRestApi',
      'WebsocketsApi',
      'ImagesBucket',
    ]) {
      assert.ok(csp.includes(`"${source}"`), source)
    }
    assert.match(csp, /https:\/\/udagram\.eu\.auth0\.com\//)
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/)
  })

  it('names what the deploy guide needs in the stack outputs', () => {
    assert.deepEqual(template.Outputs?.WebsiteUrl?.Value, {
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['WebsiteDistribution', 'DomainName'] }]],
    })
    assert.deepEqual(template.Outputs?.WebsiteBucketName?.Value, { Ref: 'WebsiteBucket' })
    assert.deepEqual(template.Outputs?.WebsiteDistributionId?.Value, { Ref: 'WebsiteDistribution' })
  })
})
