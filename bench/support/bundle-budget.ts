import type { ZipEntry } from './zip-entries.ts'

/** Sizes here are in kB of 1,000 bytes. */
export const KB = 1000

/** What a function's minified handler bundle may weigh unless the script grants it more. */
export const defaultBudgetBytes = 250 * KB

/** One function's package: its zip's size and the files in it. */
export interface FunctionPackage {
  name: string
  zipBytes: number
  entries: readonly ZipEntry[]
}

export interface BundleReport {
  name: string
  zipBytes: number
  /** The unzipped size of the handler's own JavaScript: no source maps, nothing under node_modules. */
  bundleBytes: number
  budgetBytes: number
  overBudget: boolean
}

/** The JavaScript esbuild wrote for the handler, as opposed to its source map or shipped node_modules. */
export const isHandlerBundle = (entryName: string): boolean =>
  /\.(m|c)?js$/.test(entryName) && !entryName.split('/').includes('node_modules')

/**
 * Each function's bundle size against its budget: `defaultBudgetBytes`, or the override named for
 * it. A function with no bundle at all counts as over budget (its package is broken), and an
 * override for a function the service no longer has is an error, so stale overrides do not linger.
 */
export function evaluateBundles(
  packages: readonly FunctionPackage[],
  budgetOverrides: Readonly<Record<string, number>> = {},
): BundleReport[] {
  const names = new Set(packages.map((found) => found.name))
  const stale = Object.keys(budgetOverrides).filter((name) => !names.has(name))
  if (stale.length > 0) throw new Error(`budget overrides for unknown functions: ${stale.join(', ')}`)
  return packages.map((found) => {
    const bundleBytes = found.entries
      .filter((entry) => isHandlerBundle(entry.name))
      .reduce((sum, entry) => sum + entry.size, 0)
    const budgetBytes = budgetOverrides[found.name] ?? defaultBudgetBytes
    return {
      name: found.name,
      zipBytes: found.zipBytes,
      bundleBytes,
      budgetBytes,
      overBudget: bundleBytes === 0 || bundleBytes > budgetBytes,
    }
  })
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} kB`

/** A Markdown table, one row per function, largest bundle first. */
export function formatReport(reports: readonly BundleReport[]): string {
  const rows = [...reports]
    .sort((a, b) => b.bundleBytes - a.bundleBytes || a.name.localeCompare(b.name))
    .map(
      (report) =>
        `| ${report.name} | ${kb(report.zipBytes)} | ${kb(report.bundleBytes)} | ${kb(report.budgetBytes)} | ${report.overBudget ? 'OVER' : 'ok'} |`,
    )
  return [
    '| function | zip | minified bundle | budget | |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n')
}
