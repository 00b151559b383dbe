import type { ImageSummary } from '../lib/image-list.ts'

export interface Group {
  id: string
  name: string
  description: string
  userId: string
  timestamp: string
}

export type Image = ImageSummary & { userId: string; description: string }

export interface Page<T> {
  items: T[]
  nextKey?: string
}

export interface SearchResult {
  item: Image
  score: number
  /** Matched words in `<mark>`, the rest HTML-escaped. */
  highlights: { title?: string; description?: string }
}

export interface SearchResponse {
  items: SearchResult[]
  total: number
  nextCursor?: string
}

export interface NewImageRequest {
  title: string
  contentType: string
  contentLength: number
}
