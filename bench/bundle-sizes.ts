/**
 * Each function's package and minified handler bundle, against its size budget. Packages the service
 * offline with osls (no AWS credentials needed) into a temporary folder, reads every function's zip,
 * prints a table and exits 1 when a bundle is over its budget.
 *
 *   npm run bundle-sizes                        # packages the dev stage
 *   npm run bundle-sizes -- --stage prod
 *   npm run bundle-sizes -- --package-dir DIR   # reads an existing `osls package --package DIR`
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import { packageService } from '#test/infra/cloudformation-template.ts'
import { evaluateBundles, type FunctionPackage, formatReport, KB } from './support/bundle-budget.ts'
import { zipEntries } from './support/zip-entries.ts'

/**
 * Functions allowed more than the default 250 kB, each by the weight of the one dependency it needs
 * and no other function carries (minified sizes attributed through the bundles' source maps, dev
 * stage, 2026-11-25). Everything else a bundle holds stays within the default.
 */
const budgetOverrides: Record<string, number> = {
  // The OpenSearch client (253 kB, plus json11, aws4 and debug, 43 kB) requires every one of its API
  // namespaces (cat, cluster, ml, security, snapshot and some thirty more) when it loads, in
  // CommonJS, so esbuild cannot drop the ones these two functions never call.
  SearchImages: 550 * KB,
  IndexImages: 550 * KB,
  // sharp's JavaScript (77 kB) and its colour library (@img/colour, 25 kB); its native parts ship
  // beside the bundle under node_modules and are not counted.
  ResizeImage: 350 * KB,
}

const { values } = parseArgs({
  options: { stage: { type: 'string', default: 'dev' }, 'package-dir': { type: 'string' } },
})

interface Template {
  Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: unknown } } }>
}

/** The function names and their zips, as the template deploys them (`<Name>LambdaFunction`). */
function functionZips(template: Template): { name: string; zip: string }[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([logicalId, resource]) => ({
      name: logicalId.replace(/LambdaFunction$/, ''),
      zip: basename(String(resource.Properties.Code?.S3Key)),
    }))
}

async function readPackages(packageDir: string): Promise<FunctionPackage[]> {
  const template = JSON.parse(
    await readFile(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template
  return Promise.all(
    functionZips(template).map(async ({ name, zip }) => {
      const path = join(packageDir, zip)
      return { name, zipBytes: (await stat(path)).size, entries: zipEntries(await readFile(path)) }
    }),
  )
}

async function main(): Promise<number> {
  let packageDir = values['package-dir']
  const scratch: string[] = []
  try {
    if (packageDir === undefined) {
      packageDir = await mkdtemp(join(tmpdir(), 'udagram-bundles-'))
      const home = await mkdtemp(join(tmpdir(), 'udagram-bundles-home-'))
      scratch.push(packageDir, home)
      console.error(`packaging the ${values.stage} stage offline...`)
      await packageService(packageDir, home, values.stage)
    }
    const reports = evaluateBundles(await readPackages(packageDir), budgetOverrides)
    console.log(formatReport(reports))
    const over = reports.filter((report) => report.overBudget)
    if (over.length > 0) {
      console.error(`\nover budget (or no bundle): ${over.map((report) => report.name).join(', ')}`)
      return 1
    }
    console.log(`\n${reports.length} functions, every bundle within its budget`)
    return 0
  } finally {
    await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })))
  }
}

process.exitCode = await main()
