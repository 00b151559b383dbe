import { type EventLogger, stderrEventLogger } from '../events/event-logger.ts'

/** An event logger that also reports deliveries: one line per batch, so the stream is seen moving. */
export interface StreamLogger extends EventLogger {
  info(message: string, details: Record<string, unknown>): void
}

const SERVICE = 'local-lambda-streams'

/** JSON lines on stderr, shaped like the other event sources' (info lines carry no Error objects). */
export function stderrStreamLogger(): StreamLogger {
  const logger = stderrEventLogger(SERVICE)
  return {
    warn: logger.warn,
    error: logger.error,
    info: (message, details) =>
      process.stderr.write(`${JSON.stringify({ level: 'INFO', service: SERVICE, message, ...details })}\n`),
  }
}

/** Any `EventLogger` as a `StreamLogger`: deliveries go to its `info` when it has one, nowhere otherwise. */
export function asStreamLogger(logger: EventLogger & { info?: StreamLogger['info'] }): StreamLogger {
  const info = logger.info
  return {
    warn: (message, details) => logger.warn(message, details),
    error: (message, details) => logger.error(message, details),
    info: info === undefined ? () => undefined : (message, details) => info.call(logger, message, details),
  }
}
