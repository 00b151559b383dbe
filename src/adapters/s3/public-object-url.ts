/** Where a public object is served: the bucket's AWS URL, or the emulated endpoint's path-style URL. */
export function publicObjectUrl(
  options: { bucket: string; region: string; endpoint: string | undefined },
  key: string,
): string {
  const base = options.endpoint
    ? `${options.endpoint.replace(/\/+$/, '')}/${options.bucket}`
    : `https://${options.bucket}.s3.${options.region}.amazonaws.com`
  return `${base}/${encodeURIComponent(key)}`
}
