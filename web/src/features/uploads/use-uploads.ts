import { useCallback, useEffect, useReducer, useRef } from 'react'
import { ApiError } from '../../api/api-client.ts'
import type { Image } from '../../api/api-types.ts'
import { type PutUpload, putUpload } from '../../api/put-upload.ts'
import { useApi } from '../../app/app-context.tsx'
import { type Upload, uploadQueue, uploadsToStart } from '../../lib/upload-queue.ts'

interface Callbacks {
  /** The API made the image: it shows as pending from now on. */
  onCreated: (image: Image) => void
  /** A cancelled or refused upload's image was deleted again. */
  onAbandoned: (imageId: string) => void
}

/**
 * Runs the upload queue (lib/upload-queue.ts) against the API and the storage: each file gets an image
 * and a presigned URL from the API, then goes to the storage by PUT with progress; a cancel aborts the
 * PUT and deletes the image it was for, so no upload that never happened stays pending.
 */
export function useUploads(groupId: string, callbacks: Callbacks) {
  const api = useApi()
  const [uploads, dispatch] = useReducer(uploadQueue, [])
  const files = useRef(new Map<string, File>())
  const puts = useRef(new Map<string, PutUpload>())
  const cancelled = useRef(new Set<string>())
  const started = useRef(new Set<string>())
  const latest = useRef(callbacks)
  latest.current = callbacks

  const run = useCallback(
    async (upload: Upload) => {
      const file = files.current.get(upload.id)
      if (file === undefined) return
      let imageId: string | undefined
      try {
        const { newItem, uploadUrl } = await api.createImage(groupId, {
          title: upload.title,
          contentType: upload.file.type,
          contentLength: upload.file.size,
        })
        imageId = newItem.imageId
        if (cancelled.current.has(upload.id)) throw new DOMException('Upload cancelled', 'AbortError')
        dispatch({ type: 'created', id: upload.id, imageId })
        latest.current.onCreated(newItem)
        const put = putUpload(uploadUrl, file, (sent, total) =>
          dispatch({ type: 'progress', id: upload.id, sent, total }),
        )
        puts.current.set(upload.id, put)
        await put.done
        dispatch({ type: 'sent', id: upload.id })
      } catch (error) {
        const aborted = error instanceof DOMException && error.name === 'AbortError'
        if (!aborted) dispatch({ type: 'fail', id: upload.id, reason: reasonOf(error) })
        if (imageId !== undefined) {
          const abandoned = imageId
          await api.deleteImage(abandoned).then(
            () => latest.current.onAbandoned(abandoned),
            () => {},
          )
        }
      } finally {
        puts.current.delete(upload.id)
        files.current.delete(upload.id)
      }
    },
    [api, groupId],
  )

  useEffect(() => {
    for (const upload of uploadsToStart(uploads)) {
      if (started.current.has(upload.id)) continue
      started.current.add(upload.id)
      dispatch({ type: 'start', id: upload.id })
      void run(upload)
    }
  }, [uploads, run])

  // Leaving the group page cancels what it was still sending, rather than leaving it running unseen.
  useEffect(
    () => () => {
      for (const [id, put] of puts.current) {
        cancelled.current.add(id)
        put.abort()
      }
    },
    [],
  )

  return {
    uploads,
    add: useCallback((chosen: readonly File[]) => {
      const added = chosen.map((file) => ({ id: crypto.randomUUID(), file }))
      for (const { id, file } of added) files.current.set(id, file)
      dispatch({ type: 'add', uploads: added })
    }, []),
    cancel: useCallback((id: string) => {
      cancelled.current.add(id)
      dispatch({ type: 'cancel', id })
      puts.current.get(id)?.abort()
    }, []),
    dismiss: useCallback((id: string) => {
      files.current.delete(id)
      dispatch({ type: 'dismiss', id })
    }, []),
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof ApiError) return error.message
  return error instanceof Error ? error.message : 'The upload failed.'
}
