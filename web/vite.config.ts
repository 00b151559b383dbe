import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'
import { webAppConfig } from '../src/local/web/web-app-config.ts'

const endpointsFile = fileURLToPath(new URL('../.udagram/endpoints.json', import.meta.url))

/**
 * `vite` (the dev server, port 5173: a redirect URI the local identity always allows) serves
 * /config.json from the endpoints a running `npm start` wrote; the local cloud serves the build itself.
 */
function localCloudConfig(): Plugin {
  return {
    name: 'udagram-local-cloud-config',
    configureServer(server) {
      server.middlewares.use('/config.json', (request, response) => {
        readFile(endpointsFile, 'utf8').then(
          (text) => {
            const endpoints = JSON.parse(text)
            const origin = `http://${request.headers.host ?? '127.0.0.1:5173'}`
            const config = webAppConfig(
              { api: endpoints.rest, websocket: endpoints.websocket, oidc: endpoints.oidc },
              { origin },
            )
            response.setHeader('content-type', 'application/json')
            response.end(JSON.stringify(config))
          },
          () => {
            response.statusCode = 503
            response.end('Start the local cloud first: npm start')
          },
        )
      })
    },
  }
}

export default defineConfig({
  plugins: [react(), localCloudConfig()],
  build: { target: 'es2022', chunkSizeWarningLimit: 400 },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
})
