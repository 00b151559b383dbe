// The operator console page: polls the console's JSON every second and renders it with DOM calls
// only (no innerHTML), so nothing a function logged can run as markup here.
const token = document.querySelector('meta[name="console-token"]').content
const invocationsBody = document.querySelector('[data-testid="invocations"] tbody')
const detailBody = document.getElementById('detail-body')
const waterfall = document.querySelector('.waterfall')
const traceTitle = document.getElementById('trace-title')
const deadLettersBody = document.querySelector('[data-testid="dead-letters"] tbody')
const replayStatus = document.getElementById('replay-status')
const metricsBody = document.querySelector('[data-testid="metrics"] tbody')
const functionNames = document.getElementById('function-names')
const filters = {
  function: document.getElementById('filter-function'),
  outcome: document.getElementById('filter-outcome'),
  correlationId: document.getElementById('filter-correlation'),
}
let selectedId
let selectedTrace

function element(tag, properties = {}, children = []) {
  const node = document.createElement(tag)
  Object.assign(node, properties)
  for (const child of children) node.append(child)
  return node
}

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } })
  if (!response.ok) throw new Error(`${path}: ${response.status}`)
  return response.json()
}

function query() {
  const parameters = new URLSearchParams()
  for (const [name, input] of Object.entries(filters)) if (input.value) parameters.set(name, input.value)
  return parameters.toString()
}

async function refreshInvocations() {
  const { items } = await getJson(`/api/invocations?${query()}`)
  const names = new Set(items.map((item) => item.functionName))
  functionNames.replaceChildren(...[...names].sort().map((name) => element('option', { value: name })))
  invocationsBody.replaceChildren(
    ...items.map((item) => {
      const status = item.disposition ?? item.outcome
      const correlation = item.correlationIds[0]
      const row = element('tr', { className: item.id === selectedId ? 'selected' : '' }, [
        element('td', { textContent: new Date(item.startedAt).toLocaleTimeString() }),
        element('td', { textContent: item.functionName }),
        element('td', { textContent: item.trigger }),
        element('td', { textContent: status, className: status }),
        element('td', { textContent: String(item.durationMs) }),
        element('td', { textContent: item.cold ? 'cold' : 'warm' }),
        element('td', {}, correlation ? [traceLink(correlation)] : []),
      ])
      row.dataset.function = item.functionName
      row.dataset.id = item.id
      row.addEventListener('click', () => {
        selectedId = item.id
        void showInvocation(item.id)
      })
      return row
    }),
  )
}

function traceLink(correlationId) {
  const button = element('button', { className: 'link', textContent: correlationId.slice(0, 18) })
  button.dataset.correlationId = correlationId
  button.addEventListener('click', (event) => {
    event.stopPropagation()
    selectedTrace = correlationId
    void showTrace()
  })
  return button
}

async function showInvocation(id) {
  const detail = await getJson(`/api/invocations/${id}`)
  const calls = detail.calls.map(
    (call) => `${call.target ?? call.method} ${call.host}${call.path}  ${call.status}  ${call.durationMs} ms`,
  )
  detailBody.replaceChildren(
    element('p', {
      textContent: `${detail.functionName} (${detail.trigger}, ${detail.cold ? 'cold' : 'warm'}): ${detail.disposition ?? detail.outcome} in ${detail.durationMs} ms${detail.errorMessage ? `: ${detail.errorMessage}` : ''}`,
    }),
    element('h3', { textContent: `Log lines${detail.logsTruncated ? ' (cut at the cap)' : ''}` }),
    element('pre', {
      className: 'logs',
      textContent: detail.logs
        .map((line) => (typeof line === 'string' ? line : JSON.stringify(line, null, 2)))
        .join('\n'),
    }),
    element('h3', { textContent: 'SDK calls' }),
    element('pre', { className: 'calls', textContent: calls.join('\n') || 'none' }),
    element('h3', { textContent: 'Request' }),
    element('pre', { className: 'request', textContent: JSON.stringify(detail.request, null, 2) }),
    element('h3', { textContent: 'Response' }),
    element('pre', { className: 'response', textContent: JSON.stringify(detail.response, null, 2) }),
  )
}

async function showTrace() {
  if (selectedTrace === undefined) return
  const trace = await getJson(`/api/traces/${encodeURIComponent(selectedTrace)}`)
  traceTitle.textContent = `Trace ${trace.correlationId}: ${Math.round(trace.durationMs)} ms`
  const total = Math.max(trace.durationMs, 1)
  waterfall.replaceChildren(
    ...trace.spans.map((span) => {
      const bar = element('div', {
        className: 'bar',
        title: `${span.name}: ${span.durationMs} ms (${span.status})`,
      })
      bar.style.left = `${((span.startedAt - trace.startedAt) / total) * 100}%`
      bar.style.width = `${(span.durationMs / total) * 100}%`
      const row = element('div', { className: `row ${span.parentId ? 'child' : 'parent'} ${span.kind}` }, [
        element('span', {
          className: 'name',
          textContent: `${span.name}${span.trigger ? ` (${span.trigger})` : ''}`,
        }),
        element('div', { className: 'track' }, [bar]),
        element('span', { textContent: `${span.durationMs} ms` }),
      ])
      row.dataset.kind = span.kind
      return row
    }),
  )
}

async function refreshDeadLetters() {
  const { items } = await getJson('/api/dead-letters')
  deadLettersBody.replaceChildren(
    ...items.map((letter) => {
      const replay = element('button', { textContent: 'Replay' })
      replay.addEventListener('click', () => void replayLetter(letter.id))
      const row = element('tr', {}, [
        element('td', { textContent: letter.functionName }),
        element('td', { textContent: letter.source }),
        element('td', { textContent: letter.condition }),
        element('td', { textContent: new Date(letter.failedAt).toLocaleTimeString() }),
        element('td', {}, [replay]),
      ])
      row.dataset.id = letter.id
      return row
    }),
  )
}

async function replayLetter(id) {
  const response = await fetch(`/api/dead-letters/${encodeURIComponent(id)}/replay`, {
    method: 'POST',
    headers: { 'x-console-token': token },
  })
  const body = await response.json()
  replayStatus.textContent =
    response.status === 202 ? `Replayed ${id} as event ${body.eventId}` : `Replay failed: ${body.message}`
  await refreshDeadLetters()
}

async function refreshMetrics() {
  const { items } = await getJson('/api/metrics')
  metricsBody.replaceChildren(
    ...items.map((metric) =>
      element('tr', {}, [
        element('td', { textContent: metric.name }),
        element('td', { textContent: String(metric.sum) }),
        element('td', { textContent: metric.unit }),
        element('td', { textContent: String(metric.samples) }),
      ]),
    ),
  )
}

async function refresh() {
  await Promise.all([refreshInvocations(), refreshDeadLetters(), refreshMetrics(), showTrace()])
}

for (const input of Object.values(filters)) input.addEventListener('input', () => void refresh())
document.getElementById('live').addEventListener('change', () => void refresh())
setInterval(() => {
  if (document.getElementById('live').checked) refresh().catch(() => {})
}, 1000)
void refresh()
