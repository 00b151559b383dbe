import fc from 'fast-check'

/** What a request arbitrary needs from the running API: ids that exist and tokens it accepts. */
export interface FuzzWorld {
  stagePath: string
  groupId: string
  imageId: string
  /** A nextKey the groups listing really returned. */
  groupsNextKey: string
  aliceToken: string
  bobToken: string
}

export interface HostileRequest {
  method: string
  /** As sent on the wire, query included. */
  path: string
  headers: Record<string, string | string[]>
  body: string | Buffer | undefined
  [fc.toStringMethod](): string
}

/** Node's HTTP server refuses request heads over 16 KiB with a bare 431; every request stays below. */
const MAX_HEAD_BYTES = 14_000

/** Characters that break naive text handling: NUL, bidi overrides, zero-width joiners, BOM, lone surrogates. */
const SPECIAL_CHARACTERS = [
  '\u0000',
  '\u0007',
  '\n',
  '\u202e',
  '\u200f',
  '\u2066',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u00a0',
  '\u3000',
  '\ufffd',
  '\uffff',
  '\u0301',
  '😀',
  '👩‍👩‍👧‍👦',
  '🇺🇦',
  'ﷺ',
  'ẞ',
  '"',
  '\\',
  '<',
  '%',
  '/',
]

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit))

const hostileUnit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_CHARACTERS) },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
)

export const hostileText = (maxLength: number) => fc.string({ unit: hostileUnit, maxLength })

/** Percent-encodes any JS string, lone surrogates included (as the WTF-8 bytes a sloppy client sends). */
export function encodeWire(text: string): string {
  let wire = ''
  for (const character of text) {
    const point = character.codePointAt(0) ?? 0
    if (point >= 0xd800 && point <= 0xdfff) {
      wire += [0xe0 | (point >> 12), 0x80 | ((point >> 6) & 0x3f), 0x80 | (point & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('')
    } else {
      wire += encodeURIComponent(character)
    }
  }
  return wire
}

/** A path segment as sent: traversal, encoded slashes, broken escapes, control characters, huge ids. */
const oddSegment = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E%2E%2F',
      '..%2F..%2Fetc%2Fpasswd',
      '%2F',
      'a%2Fb',
      '%5C..%5C',
      '%00',
      '%0A',
      '%ZZ',
      '%',
      '%E0%A4%A',
      '%ED%A0%80',
      '%C0%AE%C0%AE',
      '%EF%BB%BF',
      '%E2%80%AE',
      '%F0%9F%98%80',
      '~',
      '%20',
      '+',
      ';',
      '*',
      '$',
      '%7BgroupId%7D',
      '{groupId}',
      '__proto__',
      'constructor',
      'null',
      'groups',
      'images',
      'dev',
    ),
  },
  { weight: 4, arbitrary: hostileText(40).map(encodeWire) },
  { weight: 1, arbitrary: fc.integer({ min: 120, max: 2000 }).map((length) => 'x'.repeat(length)) },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 140 }).map((length) => encodeWire('é'.repeat(length))) },
)

const LIMITS = [
  '',
  '0',
  '1',
  '20',
  '100',
  '101',
  '-1',
  '1e2',
  '0x10',
  '1.5',
  '%201',
  '1%00',
  'abc',
  'NaN',
  'Infinity',
  '99999999999999999999',
  encodeWire('１'),
  '[]',
]

function cursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')
}

/** Keys of the right shape with hostile values, past DynamoDB's 1024-byte sort-key limit included. */
function craftedCursor(world: FuzzWorld) {
  const value = fc.oneof(
    hostileText(700),
    fc.constantFrom('', ' ', 'group', world.groupId, '2026-01-01T00:00:00.000Z'),
  )
  return fc.oneof(
    fc.record({ id: value, kind: fc.oneof(fc.constant('group'), value), timestamp: value }).map(cursor),
    fc.record({ groupId: fc.oneof(fc.constant(world.groupId), value), timestamp: value }).map(cursor),
    fc
      .dictionary(fc.constantFrom('id', 'kind', 'timestamp', 'groupId', 'x'), fc.jsonValue({ maxDepth: 2 }))
      .map(cursor),
    fc.jsonValue({ maxDepth: 3 }).map(cursor),
  )
}

function nextKey(world: FuzzWorld) {
  return fc.oneof(
    fc.constantFrom(
      '',
      'garbage',
      'e30',
      '%7B%7D',
      world.groupsNextKey,
      `${world.groupsNextKey}=`,
      `${world.groupsNextKey}A`,
    ),
    hostileText(60).map(encodeWire),
    fc.integer({ min: 2000, max: 2500 }).map((length) => 'A'.repeat(length)),
    craftedCursor(world),
  )
}

function query(world: FuzzWorld) {
  const parameter = fc.oneof(
    fc.constantFrom(...LIMITS).map((limit) => `limit=${limit}`),
    nextKey(world).map((key) => `nextKey=${key}`),
    fc.constantFrom('limit', 'nextKey', '=', '&', '%zz=1', 'limit=1&limit=2', 'LIMIT=5', 'token=x'),
    fc
      .tuple(hostileText(10), hostileText(20))
      .map(([name, value]) => `${encodeWire(name)}=${encodeWire(value)}`),
    fc.constantFrom('constructor=1', '__proto__=x', 'toString=', 'hasOwnProperty=a&hasOwnProperty=b'),
  )
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant('') },
    {
      weight: 3,
      arbitrary: fc.array(parameter, { maxLength: 4 }).map((parameters) => `?${parameters.join('&')}`),
    },
  )
}

/** A well-formed id that names nothing (fixed, so a seed replays the same requests). */
const ABSENT_ID = '00000000-0000-4000-8000-000000000000'

/** The method and the segments after the stage: each route with its own method, sometimes another. */
function target(world: FuzzWorld) {
  const id = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(world.groupId, world.imageId, ABSENT_ID) },
    { weight: 5, arbitrary: oddSegment },
  )
  const on = (method: string) => (segments: readonly string[]) => ({ method, segments })
  const anyMethod = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS')
  const knownPath = fc.oneof(
    fc.constant(['groups']),
    id.map((groupId) => ['groups', groupId]),
    id.map((groupId) => ['groups', groupId, 'images']),
    id.map((imageId) => ['images', imageId]),
  )
  const unknownPath = fc.oneof(
    fc.array(oddSegment, { maxLength: 3 }),
    fc.constantFrom(
      ['images'],
      ['groups', '', 'images'],
      ['groups', world.groupId, 'images', world.imageId],
      ['groups', world.groupId, 'images', ''],
      ['@connections', 'x'],
      ['idp', 'nothing'],
    ),
  )
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(['groups']).map(on('GET')) },
    { weight: 4, arbitrary: fc.constant(['groups']).map(on('POST')) },
    { weight: 2, arbitrary: id.map((groupId) => ['groups', groupId]).map(on('GET')) },
    { weight: 2, arbitrary: id.map((groupId) => ['groups', groupId, 'images']).map(on('GET')) },
    { weight: 4, arbitrary: id.map((groupId) => ['groups', groupId, 'images']).map(on('POST')) },
    { weight: 2, arbitrary: id.map((imageId) => ['images', imageId]).map(on('GET')) },
    { weight: 2, arbitrary: fc.record({ method: anyMethod, segments: knownPath }) },
    { weight: 1, arbitrary: fc.record({ method: anyMethod, segments: unknownPath }) },
  )
}

const stagePrefix = (world: FuzzWorld) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(world.stagePath) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '/prod',
        '/DEV',
        '//dev',
        '/%64ev',
        `${world.stagePath}/..`,
        `/.${world.stagePath}`,
      ),
    },
  )

/** A field value for the create bodies: usually text (valid or not), sometimes the wrong type. */
const fieldValue = fc.oneof(
  { weight: 6, arbitrary: hostileText(120) },
  { weight: 1, arbitrary: fc.string({ minLength: 990, maxLength: 1010 }) },
  { weight: 1, arbitrary: fc.constantFrom(' ', '   ', '\t\n', '\u200b', '\u3000') },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
)

const CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif']
const MAX_UPLOAD_BYTES = 10_485_760

const jsonBody = fc.oneof(
  fc.record({ name: fieldValue, description: fieldValue }, { requiredKeys: [] }),
  fc.record({ name: hostileText(100), description: hostileText(100) }),
  fc.record(
    {
      title: fieldValue,
      description: fieldValue,
      contentType: fc.oneof(fc.constantFrom(...CONTENT_TYPES, 'text/html', 'IMAGE/PNG', ''), fieldValue),
      contentLength: fc.oneof(
        fc.constantFrom(0, -1, 1, MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES + 1, 1.5, 2 ** 53, '1024'),
        fieldValue,
      ),
    },
    { requiredKeys: [] },
  ),
  fc.record({
    title: hostileText(200),
    contentType: fc.constantFrom(...CONTENT_TYPES),
    contentLength: fc.integer({ min: 1, max: MAX_UPLOAD_BYTES }),
  }),
  fc
    .tuple(
      fc.record({ name: hostileText(20), description: hostileText(20) }),
      fc.constantFrom('__proto__', 'constructor', 'userId', 'id', 'extra'),
    )
    .map(([body, key]) => ({ ...body, [key]: { polluted: true } })),
  fc.jsonValue({ maxDepth: 3 }),
)

const body = fc.oneof(
  { weight: 32, arbitrary: fc.constant(undefined) },
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      '',
      '{',
      '[',
      'nul',
      '{"name":}',
      '\ufeff{}',
      '{"name":"a","description":"b"',
      'null',
      '"x"',
      '1e400',
    ),
  },
  { weight: 8, arbitrary: hostileText(100) },
  { weight: 64, arbitrary: jsonBody.map((value) => JSON.stringify(value) ?? 'undefined') },
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  {
    weight: 4,
    arbitrary: fc
      .constantFrom([0xff], [0xc0, 0xae], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80])
      .map((bytes) =>
        Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bytes), Buffer.from('","description":""}')]),
      ),
  },
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: 1000, max: 20_000 })
      .chain((depth) =>
        fc.constantFrom(
          `${'['.repeat(depth)}${']'.repeat(depth)}`,
          `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
        ),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 100_000, max: 1_000_000 }), fc.constantFrom('name', 'description', 'title'))
      .map(([length, field]) => JSON.stringify({ [field]: 'x'.repeat(length), description: '' })),
  },
)

function authorization(world: FuzzWorld) {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 8, arbitrary: fc.constantFrom(`Bearer ${world.aliceToken}`, `Bearer ${world.bobToken}`) },
    {
      weight: 3,
      arbitrary: fc.constantFrom<string | string[]>(
        'Bearer',
        'Bearer ',
        'Bearer garbage',
        `bearer ${world.aliceToken}`,
        `Bearer  ${world.aliceToken} `,
        `Bearer ${world.aliceToken}.extra`,
        `Basic ${Buffer.from('alice:secret').toString('base64')}`,
        `Bearer ${'a'.repeat(2500)}`,
        [`Bearer ${world.aliceToken}`, 'Bearer garbage'],
        ['Bearer garbage', `Bearer ${world.aliceToken}`],
      ),
    },
  )
}

const latin1Value = (maxLength: number) =>
  fc.string({
    unit: fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0xa0, max: 0xff }).map((code) => String.fromCharCode(code)),
      fc.constant('\t'),
    ),
    maxLength,
  })

const extraHeaders = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json; charset=utf-16',
      'text/plain',
      'application/octet-stream',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'image/png',
      '',
    ),
    origin: fc.constantFrom('http://localhost:5173', 'null', 'https://evil.example', ''),
    accept: fc.constantFrom('*/*', 'text/html', 'application/xml', ''),
    'x-forwarded-for': fc.constantFrom('1.2.3.4', '127.0.0.1, ::1', 'garbage'),
    'x-junk': latin1Value(100),
    'x-big': fc.integer({ min: 1000, max: 10_000 }).map((length) => 'h'.repeat(length)),
    cookie: latin1Value(60),
  },
  { requiredKeys: [] },
)

const junkHeaders = fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), latin1Value(60), { maxKeys: 4 })

function headBytes(request: Pick<HostileRequest, 'path' | 'headers'>): number {
  let bytes = request.path.length + 64
  for (const [name, value] of Object.entries(request.headers)) {
    for (const item of Array.isArray(value) ? value : [value]) bytes += name.length + item.length + 4
  }
  return bytes
}

function summarize(request: Omit<HostileRequest, typeof fc.toStringMethod>): string {
  const clip = (text: string) =>
    text.length > 300 ? `${text.slice(0, 200)}…${text.slice(-100)} (${text.length} characters)` : text
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.map(clip) : clip(value),
    ]),
  )
  const body =
    request.body === undefined
      ? 'no body'
      : Buffer.isBuffer(request.body)
        ? `bytes ${request.body.toString('hex').slice(0, 200)}`
        : JSON.stringify(clip(request.body))
  return `${request.method} ${clip(request.path)} ${JSON.stringify(headers)} ${body}`
}

/** One malformed (or, now and then, valid) request to any route of the REST API, or beside them. */
export function hostileRequest(world: FuzzWorld): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      target: target(world),
      prefix: stagePrefix(world),
      query: query(world),
      authorization: authorization(world),
      extra: extraHeaders,
      junk: junkHeaders,
      body,
    })
    .map(({ target: { method, segments }, prefix, query, authorization, extra, junk, body }) => {
      const headers: Record<string, string | string[]> = { ...junk, ...extra }
      if (authorization !== undefined) headers.authorization = authorization
      const request = {
        method,
        path: `${prefix}/${segments.join('/')}${query}`,
        headers,
        body: method === 'HEAD' ? undefined : body,
      }
      return { ...request, [fc.toStringMethod]: () => summarize(request) }
    })
    .filter((request) => headBytes(request) <= MAX_HEAD_BYTES)
}
