import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { useApi } from '../../app/app-context.tsx'

export const imageKeys = {
  ofGroup: (groupId: string) => ['images', groupId] as const,
}

/** The group's images, newest first, a page at a time. */
export function useGroupImagePages(groupId: string) {
  const api = useApi()
  return useInfiniteQuery({
    queryKey: imageKeys.ofGroup(groupId),
    queryFn: ({ pageParam }) => api.listImages(groupId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextKey,
  })
}

export function useDeleteImage(groupId: string) {
  const api = useApi()
  const queries = useQueryClient()
  return useMutation({
    mutationFn: (imageId: string) => api.deleteImage(imageId),
    onSettled: () => queries.invalidateQueries({ queryKey: imageKeys.ofGroup(groupId) }),
  })
}
