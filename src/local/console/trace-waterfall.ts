import type { InvocationRecorder } from './invocation-recorder.ts'

export interface TraceSpan {
  id: string
  /** The span this one is inside of: an SDK call's invocation. */
  parentId?: string
  kind: 'invocation' | 's3-put' | 'sns-delivery' | 'sdk-call'
  name: string
  /** Epoch milliseconds. */
  startedAt: number
  durationMs: number
  /** `ok`, `error`… for invocations; the HTTP status for calls. */
  status: string
  /** The trigger of an invocation. */
  trigger?: string
  invocationId?: string
}

export interface Trace {
  correlationId: string
  startedAt: number
  durationMs: number
  /** Parents in order of start, each followed by its children in order of start. */
  spans: TraceSpan[]
}

/**
 * One request's journey as a waterfall: the invocations that logged its correlation id, the S3 PUTs
 * of the images they named, the SNS delivery from the PUT to the functions it invoked, and inside each
 * invocation the SDK calls it made. Undefined when no recorded invocation logged the id.
 */
export function traceOf(recorder: InvocationRecorder, correlationId: string): Trace | undefined {
  const invocations = recorder.correlated(correlationId)
  if (invocations.length === 0) return undefined
  const imageIds = new Set(invocations.flatMap((invocation) => invocation.imageIds))
  const firstStart = Date.parse(invocations[0]?.startedAt ?? '')
  const puts = recorder
    .objects()
    .filter(
      (object) =>
        object.startedAt >= firstStart - 1000 &&
        [...imageIds].some((imageId) => object.key === imageId || object.key.startsWith(`${imageId}.`)),
    )
  const parents: Array<{ span: TraceSpan; children: TraceSpan[] }> = []
  puts.forEach((object, index) => {
    parents.push({
      span: {
        id: `put-${index}`,
        kind: 's3-put',
        name: `S3 PUT ${object.bucket}/${object.key}`,
        startedAt: object.startedAt,
        durationMs: 0,
        status: 'ObjectCreated',
      },
      children: [],
    })
  })
  const delivered = invocations.filter((invocation) => invocation.trigger === 's3->sns')
  const firstPut = puts[0]
  if (firstPut !== undefined && delivered.length > 0) {
    const firstDelivery = Math.min(...delivered.map((invocation) => Date.parse(invocation.startedAt)))
    parents.push({
      span: {
        id: 'sns-delivery',
        kind: 'sns-delivery',
        name: `SNS delivery to ${[...new Set(delivered.map((invocation) => invocation.functionName))].join(', ')}`,
        startedAt: firstPut.startedAt,
        durationMs: Math.max(0, firstDelivery - firstPut.startedAt),
        status: 'delivered',
      },
      children: [],
    })
  }
  for (const invocation of invocations) {
    const id = `invocation-${invocation.id}`
    parents.push({
      span: {
        id,
        kind: 'invocation',
        name: invocation.functionName,
        startedAt: Date.parse(invocation.startedAt),
        durationMs: invocation.durationMs,
        status: invocation.disposition ?? invocation.outcome,
        trigger: invocation.trigger,
        invocationId: invocation.id,
      },
      children: invocation.calls.map((call, index) => ({
        id: `${id}-call-${index}`,
        parentId: id,
        kind: 'sdk-call' as const,
        name:
          call.target === undefined
            ? `${call.method} ${call.host}${call.path}`
            : `${call.target} ${call.host}`,
        startedAt: call.startedAt,
        durationMs: call.durationMs,
        status: String(call.status),
      })),
    })
  }
  parents.sort((a, b) => a.span.startedAt - b.span.startedAt)
  const spans = parents.flatMap(({ span, children }) => [
    span,
    ...children.sort((a, b) => a.startedAt - b.startedAt),
  ])
  const startedAt = Math.min(...spans.map((span) => span.startedAt))
  const endedAt = Math.max(...spans.map((span) => span.startedAt + span.durationMs))
  return { correlationId, startedAt, durationMs: endedAt - startedAt, spans }
}
