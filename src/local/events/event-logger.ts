/** Where the local event sources (S3 notifications, SNS, asynchronous invocation) report what went wrong. */
export interface EventLogger {
  warn(message: string, details: Record<string, unknown>): void
  error(message: string, details: Record<string, unknown>): void
}

/** JSON lines on stderr, shaped like the local S3's, so one reader parses both. */
export function stderrEventLogger(service: string): EventLogger {
  const write = (level: 'WARN' | 'ERROR', message: string, details: Record<string, unknown>) => {
    const printable = Object.fromEntries(
      Object.entries(details).map(([name, value]) => [
        name,
        value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value,
      ]),
    )
    process.stderr.write(`${JSON.stringify({ level, service, message, ...printable })}\n`)
  }
  return {
    warn: (message, details) => write('WARN', message, details),
    error: (message, details) => write('ERROR', message, details),
  }
}
