import type { Group, Image, NewImageRequest, Page, SearchResponse } from './api-types.ts'

/** An answer other than 2XX, with the API's own `{message}`. */
export class ApiError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
  }
}

export type ApiClient = ReturnType<typeof apiClient>

/** The REST API; `token` is read at each call, so a renewed token is used at once. */
export function apiClient(base: string, token: () => string | undefined) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = {}
    const bearer = token()
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    })
    if (response.status === 204) return undefined as T
    const answer = (await response.json().catch(() => undefined)) as { message?: unknown } | undefined
    if (!response.ok) {
      const message = typeof answer?.message === 'string' ? answer.message : response.statusText
      throw new ApiError(response.status, message || `The API answered ${response.status}`)
    }
    return answer as T
  }
  const query = (params: Record<string, string | undefined>) => {
    const defined = Object.entries(params).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    )
    return defined.length === 0 ? '' : `?${new URLSearchParams(defined)}`
  }
  const id = encodeURIComponent
  return {
    listGroups: (nextKey?: string) => call<Page<Group>>('GET', `/groups${query({ nextKey })}`),
    getGroup: async (groupId: string) => (await call<{ item: Group }>('GET', `/groups/${id(groupId)}`)).item,
    createGroup: async (draft: { name: string; description: string }) =>
      (await call<{ newItem: Group }>('POST', '/groups', draft)).newItem,
    deleteGroup: (groupId: string) => call<void>('DELETE', `/groups/${id(groupId)}`),
    listImages: (groupId: string, nextKey?: string) =>
      call<Page<Image>>('GET', `/groups/${id(groupId)}/images${query({ nextKey })}`),
    createImage: (groupId: string, request: NewImageRequest) =>
      call<{ newItem: Image; uploadUrl: string }>('POST', `/groups/${id(groupId)}/images`, request),
    deleteImage: (imageId: string) => call<void>('DELETE', `/images/${id(imageId)}`),
    searchImages: (q: string, cursor?: string) =>
      call<SearchResponse>('GET', `/images/search${query({ q, cursor })}`),
  }
}
