/**
 * serverless-esbuild options: one minified bundle per function (`package.individually`).
 * - `format: 'esm'` keeps the sources' semantics (the package is `"type": "module"`: `import.meta`,
 *   top-level await); `.mjs` makes Lambda load the bundle as ESM without a package.json in the zip.
 * - The banner gives bundled CommonJS dependencies a `require` for Node built-ins, which esbuild's
 *   ESM output otherwise turns into "Dynamic require of ... is not supported" at load time.
 * - The AWS SDK v3 is excluded, not bundled (`exclude: ['@aws-sdk/*']`): the nodejs24.x runtime ships
 *   it, so bundling it would only add size and cold-start time (measured 649 B vs 177 KB for one
 *   handler; the plugin's default `exclude` is SDK v2's `aws-sdk` only). The bundles import
 *   client-dynamodb, lib-dynamodb, util-dynamodb, client-s3, s3-request-presigner,
 *   client-apigatewaymanagementapi, client-secrets-manager, client-ec2 and (for signing OpenSearch
 *   requests) credential-provider-node from the runtime. The price:
 *   on AWS they run the runtime's SDK version, which AWS updates, not the lockfile's (tests and the
 *   local cloud run the lockfile's). Everything else (middy, Powertools, jose, the OpenSearch client,
 *   sharp's JavaScript) is bundled and tree-shaken; `npm run bundle-sizes` checks each bundle against
 *   its budget.
 * - No `external`: with none, the plugin never runs `npm`, so packaging works offline.
 * - The target follows `provider.runtime` (nodejs24.x gives node24).
 */
export const esbuild = {
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  platform: 'node',
  format: 'esm',
  outputFileExtension: '.mjs',
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  exclude: ['@aws-sdk/*'],
  packager: 'npm',
}
