/** The browser URL of an object served by a bucket's distribution (on AWS) or the local CDN. */
export function cdnObjectUrl(cdnUrl: string, key: string): string {
  return `${cdnUrl.replace(/\/+$/, '')}/${encodeURIComponent(key)}`
}
