import type {
  IndexOperation,
  IndexOperationResult,
  SearchIndex,
  SearchQuery,
  SearchResults,
} from '#core/ports/search-index.ts'
import { InvalidInputError } from '#core/shared/errors.ts'

/**
 * The client of the local cloud's search engine, which holds the embedded index in one place for
 * every function (each function runs in its own thread there, as each Lambda runs in its own
 * sandbox). The wire format is the port itself, as JSON: `POST /apply` and `POST /search`.
 */
export class HttpSearchIndex implements SearchIndex {
  readonly #endpoint: string

  constructor(options: { endpoint: string }) {
    this.#endpoint = options.endpoint.replace(/\/+$/, '')
  }

  async apply(operations: IndexOperation[]): Promise<IndexOperationResult[]> {
    const { results } = (await this.#post('/apply', { operations })) as { results: IndexOperationResult[] }
    if (!Array.isArray(results) || results.length !== operations.length) {
      throw new Error('local search engine: apply answered with a result list of the wrong length')
    }
    return results
  }

  async search(query: SearchQuery): Promise<SearchResults> {
    return (await this.#post('/search', { query })) as SearchResults
  }

  async #post(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${this.#endpoint}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const text = await response.text()
    const answer = parseJson(text)
    if (response.status === 400) throw new InvalidInputError(messageOf(answer) ?? 'invalid search request')
    if (!response.ok) {
      throw new Error(
        `local search engine: ${path} answered ${response.status}: ${messageOf(answer) ?? text}`,
      )
    }
    return answer
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function messageOf(answer: unknown): string | undefined {
  const message = (answer as { message?: unknown } | undefined)?.message
  return typeof message === 'string' ? message : undefined
}
