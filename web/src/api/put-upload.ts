/** A PUT in flight to a presigned URL: its outcome, and a way to stop it. */
export interface PutUpload {
  done: Promise<void>
  abort(): void
}

/**
 * Sends `file` to a presigned upload URL with XMLHttpRequest, the one browser API that reports the
 * bytes sent of a request body (fetch has no upload progress). The URL is signed for the file's exact
 * type and size, which the browser sends as Content-Type and Content-Length.
 */
export function putUpload(
  url: string,
  file: File,
  onProgress: (sent: number, total: number) => void,
): PutUpload {
  const request = new XMLHttpRequest()
  const done = new Promise<void>((resolve, reject) => {
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total)
    })
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) resolve()
      else reject(new Error(`The storage refused the upload (${request.status}).`))
    })
    request.addEventListener('error', () => reject(new Error('The upload did not reach the storage.')))
    request.addEventListener('abort', () => reject(new DOMException('Upload cancelled', 'AbortError')))
  })
  request.open('PUT', url)
  request.setRequestHeader('Content-Type', file.type)
  request.send(file)
  return { done, abort: () => request.abort() }
}
