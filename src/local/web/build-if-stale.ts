import { readdir, rename, rm, rmdir, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Build output and what is not the app's source: not looked at when deciding whether to rebuild. */
const NOT_SOURCES = new Set(['dist', '.dist-staging', 'node_modules'])

/**
 * Builds the web app with Vite into `distDir` when there is no build yet or a file under `sourceDir`
 * changed after it. A fresh build costs a stat of each source file (~10 ms), so a warm start pays
 * almost nothing. Vite writes to a folder of its own that then replaces `distDir` whole, so a server
 * never sees half a build; when two local clouds build at once, the second keeps the first's build.
 */
export async function buildIfStale(paths: { sourceDir: string; distDir: string }): Promise<void> {
  const index = join(paths.distDir, 'index.html')
  const [sourcesChangedAt, builtAt] = await Promise.all([newestChange(paths.sourceDir), modifiedAt(index)])
  const isFresh = (at: number | undefined) => at !== undefined && at >= sourcesChangedAt
  if (isFresh(builtAt)) return
  const started = performance.now()
  console.error('udagram: building the web app (web/ changed since the last build)')
  const stagingRoot = join(dirname(paths.distDir), '.dist-staging')
  const staging = join(stagingRoot, `${basename(paths.distDir)}-${process.pid}`)
  await removeAbandonedStaging(stagingRoot)
  // Vite (and Rolldown under it) takes ~300 ms to load: only a start that builds pays for it.
  const { build } = await import('vite')
  try {
    await build({
      root: paths.sourceDir,
      configFile: join(paths.sourceDir, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: staging, emptyOutDir: true },
    })
    // Another local cloud finished first: its build is as fresh, and may be serving already.
    if (!isFresh(await modifiedAt(index))) {
      await rm(paths.distDir, { recursive: true, force: true })
      await rename(staging, paths.distDir).catch(async (error: unknown) => {
        if (!isFresh(await modifiedAt(index))) throw error
      })
    }
  } finally {
    await rm(staging, { recursive: true, force: true })
    await rmdir(stagingRoot).catch(() => {})
  }
  console.error(`udagram: web app built in ${Math.round(performance.now() - started)} ms`)
}

/** Builds left by a local cloud stopped while building (their process is gone). */
async function removeAbandonedStaging(stagingRoot: string): Promise<void> {
  const entries = await readdir(stagingRoot).catch(() => [])
  await Promise.all(
    entries.map(async (name) => {
      const pid = Number(/-(\d+)$/.exec(name)?.[1])
      if (Number.isInteger(pid) && pid !== process.pid && isRunning(pid)) return
      await rm(join(stagingRoot, name), { recursive: true, force: true })
    }),
  )
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function newestChange(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true })
  const times = await Promise.all(
    entries
      .filter((entry) => !NOT_SOURCES.has(entry.name))
      .map(async (entry) => {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) return newestChange(path)
        return (await modifiedAt(path)) ?? 0
      }),
  )
  return Math.max(0, ...times)
}

async function modifiedAt(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs
  } catch {
    return undefined
  }
}
