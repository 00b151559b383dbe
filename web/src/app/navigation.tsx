import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react'
import { type Route, routeOf } from '../lib/routes.ts'

const subscribe = (onChange: () => void) => {
  window.addEventListener('popstate', onChange)
  return () => window.removeEventListener('popstate', onChange)
}
const address = () => `${window.location.pathname}${window.location.search}`

/** The page the address bar names; re-renders when it changes. */
export function useRoute(): Route {
  const current = useSyncExternalStore(subscribe, address)
  const url = new URL(current, window.location.origin)
  return routeOf(url.pathname, url.search)
}

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', href)
  else window.history.pushState(null, '', href)
  window.dispatchEvent(new PopStateEvent('popstate'))
}

/** An ordinary link (open in a new tab works) that moves within the app without a page load. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event)
    if (event.defaultPrevented || event.button !== 0) return
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(href)
  }
  return <a href={href} onClick={follow} {...rest} />
}
