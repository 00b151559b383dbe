import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compileFilterPolicy, type FilterableAttribute } from '#local/sns/filter-policy.ts'

const string = (value: string): FilterableAttribute => ({ type: 'String', value })
const number = (value: string): FilterableAttribute => ({ type: 'Number', value })
const array = (value: unknown[]): FilterableAttribute => ({
  type: 'String.Array',
  value: JSON.stringify(value),
})

function matchesAttributes(policy: unknown, attributes: Record<string, FilterableAttribute>): boolean {
  return compileFilterPolicy(policy, undefined, 'test').matches({ attributes, body: '{}' })
}

describe('SNS filter policies on message attributes', () => {
  const cases: Array<[string, unknown, Record<string, FilterableAttribute>, boolean]> = [
    ['an exact string in the list', { kind: ['original', 'thumbnail'] }, { kind: string('original') }, true],
    ['a string not in the list', { kind: ['original'] }, { kind: string('thumbnail') }, false],
    ['an absent attribute', { kind: ['original'] }, {}, false],
    ['every key must match', { kind: ['original'], size: ['large'] }, { kind: string('original') }, false],
    ['exact numbers match Number attributes', { size: [100] }, { size: number('1e2') }, true],
    ['a number never matches a String attribute', { size: [100] }, { size: string('100') }, false],
    ['prefix', { key: [{ prefix: 'images/' }] }, { key: string('images/a.jpg') }, true],
    ['suffix', { key: [{ suffix: '.png' }] }, { key: string('images/a.jpg') }, false],
    [
      'equals-ignore-case',
      { kind: [{ 'equals-ignore-case': 'ORIGINAL' }] },
      { kind: string('Original') },
      true,
    ],
    [
      'anything-but a list',
      { kind: [{ 'anything-but': ['thumbnail'] }] },
      { kind: string('original') },
      true,
    ],
    [
      'anything-but the value itself',
      { kind: [{ 'anything-but': 'original' }] },
      { kind: string('original') },
      false,
    ],
    ['anything-but needs the attribute', { kind: [{ 'anything-but': ['thumbnail'] }] }, {}, false],
    [
      'anything-but a prefix',
      { key: [{ 'anything-but': { prefix: 'tmp/' } }] },
      { key: string('tmp/x') },
      false,
    ],
    ['numeric range', { size: [{ numeric: ['>', 0, '<=', 5] }] }, { size: number('5') }, true],
    ['numeric range, outside', { size: [{ numeric: ['>', 0, '<=', 5] }] }, { size: number('5.5') }, false],
    ['exists', { trace: [{ exists: true }] }, { trace: string('x') }, true],
    ['does not exist', { trace: [{ exists: false }] }, {}, true],
    [
      'a String.Array matches when any element does',
      { tags: ['cat'] },
      { tags: array(['dog', 'cat']) },
      true,
    ],
    ['a String.Array with numbers', { sizes: [{ numeric: ['>=', 10] }] }, { sizes: array([1, 12]) }, true],
    [
      'binary attributes are not filtered on',
      { blob: ['x'] },
      { blob: { type: 'Binary', value: 'eA==' } },
      false,
    ],
  ]
  for (const [name, policy, attributes, expected] of cases) {
    it(`${name}: ${expected ? 'delivers' : 'skips'}`, () => {
      assert.equal(matchesAttributes(policy, attributes), expected)
    })
  }
})

describe('SNS filter policies on the message body', () => {
  const policy = compileFilterPolicy(
    { Records: { s3: { object: { key: [{ prefix: 'images/' }] } } }, source: ['upload'] },
    'MessageBody',
    'test',
  )
  const body = (key: string, source = 'upload') =>
    JSON.stringify({ source, Records: [{ s3: { object: { key } } }] })

  it('follows nested keys, into lists of objects', () => {
    assert.equal(policy.matches({ attributes: {}, body: body('images/a.jpg') }), true)
    assert.equal(policy.matches({ attributes: {}, body: body('docs/a.pdf') }), false)
    assert.equal(policy.matches({ attributes: {}, body: body('images/a.jpg', 'import') }), false)
  })

  it('skips a body that is not JSON', () => {
    assert.equal(policy.matches({ attributes: {}, body: 'plain text' }), false)
  })
})

describe('SNS filter policies the local cloud cannot honour', () => {
  const refused: Array<[string, unknown, unknown, RegExp]> = [
    ['$or', { $or: [{ a: ['x'] }, { b: ['y'] }] }, undefined, /"\$or" filter policies are not supported/],
    ['cidr', { ip: [{ cidr: '10.0.0.0/24' }] }, undefined, /is not supported by the local cloud/],
    ['anything-but suffix', { k: [{ 'anything-but': { suffix: '.x' } }] }, undefined, /not supported/],
    ['an empty list', { kind: [] }, undefined, /an empty list matches nothing/],
    ['nesting on attributes', { a: { b: ['x'] } }, undefined, /test\.a: expected a list of values$/],
    [
      'another scope',
      { a: ['x'] },
      'MessageGroup',
      /filterPolicyScope must be MessageAttributes or MessageBody/,
    ],
    ['a malformed numeric', { n: [{ numeric: ['>>', 1] }] }, undefined, /not supported/],
  ]
  for (const [name, policy, scope, message] of refused) {
    it(`refuses ${name} at startup`, () => {
      assert.throws(() => compileFilterPolicy(policy, scope, 'test'), message)
    })
  }
})
