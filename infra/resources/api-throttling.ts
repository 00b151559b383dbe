// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud

/**
 * A CloudFormation `MethodSetting` of the REST API's stage, throttling only. API Gateway gives every
 * method of the stage a token bucket of its own: `ThrottlingBurstLimit` requests in the bucket,
 * refilled at `ThrottlingRateLimit` a second. The `/*` `*` entry sets every method's limits; an entry
 * naming a method sets that one's instead. Values are numbers once osls (or the local cloud) has
 * resolved the `${param:...}`; `--param` values arrive as strings.
 */
export type ThrottlingMethodSetting = {
  /** `/*`, or the resource path with each `/` written `~1`: `/~1groups~1{groupId}~1images`. */
  ResourcePath: string
  /** `*` (with `/*`) or the method: `POST`. */
  HttpMethod: string
  ThrottlingRateLimit: number | string
  ThrottlingBurstLimit: number | string
}

/**
 * `custom.restApiStage` in serverless.ts: properties of the REST API's stage that osls 4.3.1 has no
 * option for. infra/plugins/rest-api-stage.ts writes them into the template; the local gateway reads
 * the same resolved value, so what it enforces cannot drift from what is deployed.
 */
export type RestApiStage = { MethodSettings: ThrottlingMethodSetting[] }

type Route = { method: 'POST'; path: string }

/**
 * The routes that create data, throttled tighter than the rest: each creation is a DynamoDB item kept
 * until deleted and, for an image, an upload URL whose upload starts the thumbnail, notification and
 * search-index functions.
 */
export const writeRoutes: readonly Route[] = [
  { method: 'POST', path: 'groups' },
  { method: 'POST', path: 'groups/{groupId}/images' },
]

/** `groups/{groupId}` -> `/~1groups~1{groupId}`: how a MethodSetting names a resource. */
export const methodSettingPath = (path: string): string =>
  `/${`/${path.replace(/^\/+|\/+$/g, '')}`.replaceAll('~', '~0').replaceAll('/', '~1')}`

export const restApiStage: RestApiStage = {
  MethodSettings: [
    {
      ResourcePath: '/*',
      HttpMethod: '*',
      ThrottlingRateLimit: '${param:throttleRateLimit}',
      ThrottlingBurstLimit: '${param:throttleBurstLimit}',
    },
    ...writeRoutes.map((route) => ({
      ResourcePath: methodSettingPath(route.path),
      HttpMethod: route.method,
      ThrottlingRateLimit: '${param:writeThrottleRateLimit}',
      ThrottlingBurstLimit: '${param:writeThrottleBurstLimit}',
    })),
  ],
}

/**
 * The limits per stage (see infra/params.ts), in requests per second and bucket size, per method.
 *
 * Outside prod (dev, and the local cloud, which runs dev) every method gets API Gateway's own defaults,
 * the account-wide 10,000/s and 5,000: what a stage without settings gets, so dev is never throttled
 * before the account is, and `npm run bench` (~450-600 requests/s from one machine on GET and POST
 * /groups) measures the gateway rather than its throttle. The write routes take the same limits there.
 *
 * prod:
 * - 200/s and a burst of 400 per method. A page of the web client makes two or three GETs, so one
 *   method's 200/s serves far more readers than Udagram has, while a flood on it costs at most
 *   720,000 requests an hour (about $2.50 at $3.50 per million REST calls) instead of 36 million at
 *   10,000/s, and keeps it to ~20 concurrent Lambda executions at under 100 ms each, so even every
 *   method flooded at once leaves most of the account's default 1,000 to the upload pipeline
 *   (thumbnails, notifications, search indexing), which shares them.
 * - 10/s and a burst of 20 on each write route. People create a group now and then and add images
 *   one upload at a time; 10/s across all of them is well above that, and caps a script filling the
 *   tables (and S3, and the thumbnail queue) at 36,000 items an hour; 20 lets a few people (or a
 *   retrying client) post at the same moment.
 */
export const throttleParams = {
  default: {
    throttleRateLimit: 10000,
    throttleBurstLimit: 5000,
    writeThrottleRateLimit: '${param:throttleRateLimit}',
    writeThrottleBurstLimit: '${param:throttleBurstLimit}',
  },
  prod: {
    throttleRateLimit: 200,
    throttleBurstLimit: 400,
    writeThrottleRateLimit: 10,
    writeThrottleBurstLimit: 20,
  },
}
