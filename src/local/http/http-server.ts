import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Listens on `host:port` (0 picks a free port) and resolves with the port taken. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/**
 * Stops accepting connections and resolves once every open one has ended. Keep-alive connections are
 * closed as soon as they are idle, so a client holding one cannot keep the local cloud running.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 20)
    server.close(() => {
      clearInterval(sweep)
      resolve()
    })
    server.closeIdleConnections()
  })
}
