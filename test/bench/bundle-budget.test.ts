import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { deflateRawSync } from 'node:zlib'
import {
  defaultBudgetBytes,
  evaluateBundles,
  type FunctionPackage,
  formatReport,
  isHandlerBundle,
  KB,
} from '../../bench/support/bundle-budget.ts'
import { zipEntries } from '../../bench/support/zip-entries.ts'

const aPackage = (overrides: Partial<FunctionPackage> = {}): FunctionPackage => ({
  name: 'GetGroups',
  zipBytes: 100 * KB,
  entries: [
    { name: 'src/handlers/http/groups/get-groups.mjs', size: 40 * KB, compressedSize: 12 * KB },
    { name: 'src/handlers/http/groups/get-groups.mjs.map', size: 300 * KB, compressedSize: 80 * KB },
  ],
  ...overrides,
})

describe('the bundle budget', () => {
  it("counts the handler's JavaScript only: not its source map, not shipped node_modules", () => {
    const [report] = evaluateBundles([
      aPackage({
        name: 'ResizeImage',
        entries: [
          { name: 'src/handlers/sns/resize-image.mjs', size: 178 * KB, compressedSize: 50 * KB },
          { name: 'src/handlers/sns/resize-image.mjs.map', size: 800 * KB, compressedSize: 200 * KB },
          { name: 'node_modules/@img/sharp-linux-x64/lib/index.js', size: 900 * KB, compressedSize: 1 },
          {
            name: 'node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so',
            size: 1,
            compressedSize: 1,
          },
        ],
      }),
    ])

    assert.equal(report?.bundleBytes, 178 * KB)
    assert.equal(report?.overBudget, false)
    assert.equal(isHandlerBundle('src/chunk.cjs'), true)
    assert.equal(isHandlerBundle('src/handler.mjs.map'), false)
  })

  it('passes a bundle at its budget and fails one a byte over', () => {
    const at = aPackage({
      name: 'At',
      entries: [{ name: 'a.mjs', size: defaultBudgetBytes, compressedSize: 1 }],
    })
    const over = aPackage({
      name: 'Over',
      entries: [{ name: 'a.mjs', size: defaultBudgetBytes + 1, compressedSize: 1 }],
    })

    const reports = evaluateBundles([at, over])

    assert.deepEqual(
      reports.map((report) => [report.name, report.budgetBytes, report.overBudget]),
      [
        ['At', 250_000, false],
        ['Over', 250_000, true],
      ],
    )
  })

  it('gives a function its override instead of the default budget', () => {
    const search = aPackage({
      name: 'SearchImages',
      entries: [{ name: 'search.mjs', size: 350 * KB, compressedSize: 1 }],
    })

    assert.equal(evaluateBundles([search])[0]?.overBudget, true)
    assert.equal(evaluateBundles([search], { SearchImages: 400 * KB })[0]?.overBudget, false)
    assert.equal(evaluateBundles([search], { SearchImages: 300 * KB })[0]?.overBudget, true)
  })

  it('fails a function whose zip holds no bundle at all', () => {
    const [report] = evaluateBundles([aPackage({ entries: [] })])

    assert.equal(report?.bundleBytes, 0)
    assert.equal(report?.overBudget, true)
  })

  it('refuses an override for a function the service does not have', () => {
    assert.throws(() => evaluateBundles([aPackage()], { RemovedLongAgo: 400 * KB }), /RemovedLongAgo/)
  })

  it('prints one row per function, largest bundle first, marking those over budget', () => {
    const small = aPackage({ name: 'Small', entries: [{ name: 's.mjs', size: 1_500, compressedSize: 1 }] })
    const big = aPackage({ name: 'Big', entries: [{ name: 'b.mjs', size: 300 * KB, compressedSize: 1 }] })

    const lines = formatReport(evaluateBundles([small, big])).split('\n')

    assert.equal(lines.length, 4)
    assert.equal(lines[2], '| Big | 100.0 kB | 300.0 kB | 250.0 kB | OVER |')
    assert.equal(lines[3], '| Small | 100.0 kB | 1.5 kB | 250.0 kB | ok |')
  })
})

/** A zip archive as zip tools write one: local headers, then the central directory, then its end record. */
function aZip(files: { name: string; content: string }[], comment = ''): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const file of files) {
    const name = Buffer.from(file.name)
    const data = deflateRawSync(Buffer.from(file.content))
    const size = Buffer.byteLength(file.content)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(8, 8)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(size, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(8, 10)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(size, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, data)
    centrals.push(central, name)
    offset += local.length + name.length + data.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(files.length, 8)
  end.writeUInt16LE(files.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  end.writeUInt16LE(Buffer.byteLength(comment), 20)
  return Buffer.concat([...locals, directory, end, Buffer.from(comment)])
}

describe('reading a zip', () => {
  it("lists each entry's name and unzipped size from the central directory", () => {
    const zip = aZip(
      [
        { name: 'src/handlers/a.mjs', content: 'x'.repeat(5000) },
        { name: 'src/handlers/a.mjs.map', content: '{}' },
      ],
      'an archive comment',
    )

    assert.deepEqual(
      zipEntries(zip).map((entry) => [entry.name, entry.size]),
      [
        ['src/handlers/a.mjs', 5000],
        ['src/handlers/a.mjs.map', 2],
      ],
    )
    assert.ok((zipEntries(zip)[0]?.compressedSize ?? 0) < 5000)
  })

  it('refuses what is not a zip', () => {
    assert.throws(() => zipEntries(Buffer.from('not a zip, but long enough to be searched')), /not a zip/)
  })
})
