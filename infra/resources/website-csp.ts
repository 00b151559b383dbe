/** Where the web app may load images from and connect to, as URLs or CloudFormation values. */
export interface ContentSources<T> {
  /** The images and thumbnails distributions (`https://<domain>`). */
  images: T
  thumbnails: T
  /** The REST and WebSocket APIs' origins. */
  api: T
  websocket: T
  /** Where presigned uploads go: the images bucket's origin. */
  uploads: T
  /** The OpenID provider (its discovery, token and revocation endpoints). */
  issuer: T
}

/**
 * The web app's Content-Security-Policy, as parts to join: CloudFront sends it with CloudFormation
 * values (infra/resources/website.ts), the local web server with the local cloud's URLs, so the
 * browser test runs the app under the policy it gets on AWS.
 */
export function contentSecurityPolicyParts<T>(sources: ContentSources<T>): Array<string | T> {
  return [
    "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; ",
    "img-src 'self' data: blob: ",
    sources.images,
    ' ',
    sources.thumbnails,
    "; connect-src 'self' ",
    sources.api,
    ' ',
    sources.websocket,
    ' ',
    sources.uploads,
    ' ',
    sources.issuer,
  ]
}
