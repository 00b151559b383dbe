import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/app.tsx'
import { loadAppConfig } from './app/app-config.ts'
import './styles.css'

const root = document.getElementById('root')
if (root === null) throw new Error('index.html has no #root')

loadAppConfig().then(
  (config) =>
    createRoot(root).render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  (error: unknown) => {
    root.textContent = `Udagram cannot start: ${error instanceof Error ? error.message : String(error)}`
  },
)
