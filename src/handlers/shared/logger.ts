import { Logger } from '@aws-lambda-powertools/logger'

/**
 * One logger per function instance. Service name, level and the share of invocations logged at DEBUG
 * come from POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL and POWERTOOLS_LOGGER_SAMPLE_RATE.
 */
export const logger = new Logger()
