/**
 * The throttling of the REST API's stage, read from `custom.restApiStage.MethodSettings` of the resolved
 * serverless.ts: the CloudFormation `MethodSetting`s a plugin writes into the deployed stage.
 */

/** A token bucket's refill in requests per second, and its size. */
export interface ThrottleLimits {
  rateLimit: number
  burstLimit: number
}

export interface StageThrottling {
  /** The `/*` `*` setting: every method's limits, unless the method has its own. */
  stage: Partial<ThrottleLimits>
  /** By `methodKey`; method `*` stands for every method of that resource. */
  methods: ReadonlyMap<string, Partial<ThrottleLimits>>
}

export const methodKey = (method: string, resourcePath: string): string => `${method} ${resourcePath}`

const WHERE = 'serverless.ts: custom.restApiStage'

/** The stage's throttling settings; none (API Gateway's account limits alone) without `custom.restApiStage`. */
export function stageThrottlingOf(config: { custom?: Record<string, unknown> }): StageThrottling {
  const stageSettings = config.custom?.restApiStage
  if (stageSettings === undefined) return { stage: {}, methods: new Map() }
  const settings = isRecord(stageSettings) ? stageSettings.MethodSettings : undefined
  if (!Array.isArray(settings)) throw new Error(`${WHERE}.MethodSettings must be a list`)
  let stage: Partial<ThrottleLimits> = {}
  const methods = new Map<string, Partial<ThrottleLimits>>()
  for (const [index, setting] of settings.entries()) {
    const at = `${WHERE}.MethodSettings[${index}]`
    if (!isRecord(setting)) throw new Error(`${at} must be an object`)
    const limits = limitsOf(setting, at)
    const httpMethod = String(setting.HttpMethod ?? '').toUpperCase()
    if (setting.ResourcePath === '/*' && httpMethod === '*') {
      stage = limits
      continue
    }
    const resourcePath = decodeResourcePath(setting.ResourcePath)
    if (resourcePath === undefined || !/^(\*|[A-Z]+)$/.test(httpMethod)) {
      throw new Error(
        `${at}: expected ResourcePath /* with HttpMethod *, or a resource (each / written ~1, as in /~1groups) with a method or *; got ${JSON.stringify(setting.ResourcePath)} ${JSON.stringify(setting.HttpMethod)}`,
      )
    }
    methods.set(methodKey(httpMethod, resourcePath), limits)
  }
  return { stage, methods }
}

/** `/~1groups~1{groupId}` -> `/groups/{groupId}`; `/~1` is the root resource. */
function decodeResourcePath(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/~1')) return undefined
  return value.slice(1).replaceAll('~1', '/').replaceAll('~0', '~')
}

function limitsOf(setting: Record<string, unknown>, at: string): Partial<ThrottleLimits> {
  const limits: Partial<ThrottleLimits> = {}
  const rate = setting.ThrottlingRateLimit
  const burst = setting.ThrottlingBurstLimit
  if (rate !== undefined) limits.rateLimit = numberOf(rate, `${at}.ThrottlingRateLimit`, false)
  if (burst !== undefined) limits.burstLimit = numberOf(burst, `${at}.ThrottlingBurstLimit`, true)
  return limits
}

/** Resolved `${param:...}` values are numbers, or strings when given as `--param`. */
function numberOf(value: unknown, at: string, integer: boolean): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN
  if (value === '' || !Number.isFinite(number) || number < 0 || (integer && !Number.isInteger(number))) {
    throw new Error(
      `${at} must be a ${integer ? 'whole ' : ''}number of at least 0, got ${JSON.stringify(value)}`,
    )
  }
  return number
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
