import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Group } from '../../api/api-types.ts'
import { useApi } from '../../app/app-context.tsx'

export const groupKeys = {
  all: ['groups'] as const,
  one: (groupId: string) => ['group', groupId] as const,
}

export function useGroups() {
  const api = useApi()
  return useInfiniteQuery({
    queryKey: groupKeys.all,
    queryFn: ({ pageParam }) => api.listGroups(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextKey,
  })
}

export function useGroup(groupId: string) {
  const api = useApi()
  return useQuery({ queryKey: groupKeys.one(groupId), queryFn: () => api.getGroup(groupId) })
}

export function useCreateGroup() {
  const api = useApi()
  const queries = useQueryClient()
  return useMutation({
    mutationFn: (draft: { name: string; description: string }) => api.createGroup(draft),
    onSuccess: (group: Group) => {
      queries.setQueryData(groupKeys.one(group.id), group)
      void queries.invalidateQueries({ queryKey: groupKeys.all })
    },
  })
}

export function useDeleteGroup() {
  const api = useApi()
  const queries = useQueryClient()
  return useMutation({
    mutationFn: (groupId: string) => api.deleteGroup(groupId),
    onSuccess: (_done, groupId) => {
      queries.removeQueries({ queryKey: groupKeys.one(groupId) })
      void queries.invalidateQueries({ queryKey: groupKeys.all })
    },
  })
}
