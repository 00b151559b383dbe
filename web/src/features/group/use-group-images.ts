import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useMemo, useState } from 'react'
import { applyGroupEvent, type GroupEvent, type ImageSummary, mergeImages } from '../../lib/image-list.ts'
import { imageKeys, useGroupImagePages } from './image-queries.ts'

/**
 * The images of the open group: the listing, merged with what this page learnt since it loaded (its
 * own uploads, live events), less what it deleted.
 */
export function useGroupImages(groupId: string) {
  const pages = useGroupImagePages(groupId)
  const queries = useQueryClient()
  const [learnt, setLearnt] = useState<ImageSummary[]>([])
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set())

  const images = useMemo(() => {
    const listed = pages.data?.pages.flatMap((page) => page.items) ?? []
    return mergeImages(learnt, listed).filter((image) => !removed.has(image.imageId))
  }, [pages.data, learnt, removed])

  return {
    images,
    pages,
    add: useCallback((image: ImageSummary) => setLearnt((list) => mergeImages(list, [image])), []),
    apply: useCallback(
      (event: GroupEvent) => setLearnt((list) => applyGroupEvent(list, event, new Date())),
      [],
    ),
    remove: useCallback((imageId: string) => setRemoved((ids) => new Set(ids).add(imageId)), []),
    refresh: useCallback(
      () => void queries.invalidateQueries({ queryKey: imageKeys.ofGroup(groupId) }),
      [queries, groupId],
    ),
  }
}
