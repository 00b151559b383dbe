import type { IncomingMessage, ServerResponse } from 'node:http'
import { asyncConfigsFrom } from '../lambda/async/async-config.ts'
import { AsyncInvoker } from '../lambda/async/async-invoker.ts'
import { deadLetterAdmin } from '../lambda/async/dead-letter-admin.ts'
import type { DeadLetterStore } from '../lambda/async/dead-letter-store.ts'
import type { FunctionInvoker } from '../lambda/invocation.ts'
import type { LocalS3 } from '../s3/local-s3.ts'
import type { ServiceDefinition } from '../serverless/service-definition.ts'
import { LocalSns } from '../sns/local-sns.ts'
import { wireS3Notifications } from './s3-notifications.ts'

export interface AsyncEventSources {
  /** The dead-letter endpoints (`/_local/dead-letters`); false for other paths. */
  handleAdmin(request: IncomingMessage, response: ServerResponse): boolean
  /** What `POST /_local/dead-letters/<id>/replay` does: undefined when there is no such entry. */
  replay(id: string): Promise<{ eventId: string } | undefined>
  /** Stops taking events; in-flight attempts finish, waiting retries go to the dead-letter store. */
  stop(): Promise<void>
}

/**
 * The asynchronous event sources of serverless.ts: S3 notifications -> SNS -> functions, invoked the
 * way Lambda invokes asynchronously (retries, maximum age, then the dead-letter store).
 */
export function startAsyncEventSources(options: {
  definition: ServiceDefinition
  functions: FunctionInvoker
  s3: LocalS3
  /** Where events given up on are kept (shared with the stream event sources). */
  deadLetters: DeadLetterStore
  region: string
  accountId: string
}): AsyncEventSources {
  const { definition, region, accountId, deadLetters } = options
  const asyncInvoker = new AsyncInvoker({
    invoker: options.functions,
    functions: definition.functions,
    deadLetters,
    asyncConfig: asyncConfigsFrom(definition.config.functions),
  })
  const sns = new LocalSns({
    resources: definition.resources,
    functions: definition.functions,
    region,
    accountId,
    asyncInvoker,
  })
  const stopS3Notifications = wireS3Notifications({
    s3: options.s3,
    resources: definition.resources,
    sns,
    region,
    accountId,
  })
  return {
    handleAdmin: deadLetterAdmin(asyncInvoker, deadLetters),
    replay: (id) => asyncInvoker.replay(id),
    stop: async () => {
      stopS3Notifications()
      await asyncInvoker.stop()
    },
  }
}
