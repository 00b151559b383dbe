import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { useApi } from '../../app/app-context.tsx'

export function useImageSearch(q: string) {
  const api = useApi()
  const text = q.trim()
  return useInfiniteQuery({
    queryKey: ['search', text],
    queryFn: ({ pageParam }) => api.searchImages(text, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor,
    enabled: text !== '',
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  })
}
