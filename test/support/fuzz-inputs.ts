import fc from 'fast-check';

/*
 * fast-check arbitraries for hostile HTTP input: bodies (arbitrary JSON, mutations of a valid
 * fixture, non-JSON bytes, oversize), path parameters and headers. Used by the route fuzz in
 * test/security/fuzz-routes.test.ts; kept apart so other security tests can reuse them.
 */

/** A JSON value; `__proto__` and friends may be own keys (built through JSON.parse / defineProperty). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One request body as sent: raw text or bytes, or none, with the Content-Type header to send. */
export interface FuzzBody {
  /** What produced it, for the figures (e.g. `mutated`, `bytes`, `oversize`). */
  readonly kind: string;
  readonly payload: string | Uint8Array | undefined;
  readonly contentType: string | undefined;
}

/** Strings that have broken parsers, validators and loggers elsewhere. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  '\u0000abc',
  // Full-width, Arabic-Indic and mathematical digits: look like digits, are not ASCII digits.
  '１３８００１３８０００',
  '１１０１０５１９４９１２３１００２Ｘ',
  '١٣٨٠٠١٣٨٠٠٠',
  '𝟏𝟑𝟖𝟎𝟎𝟏𝟑𝟖𝟎𝟎𝟎',
  // Right-to-left override, zero-width characters, BOM.
  '\u202E0008310083\u202C',
  '138\u200B0013\u200C8000',
  '\uFEFF5411',
  '\u200D',
  // Lone surrogates (sent as U+FFFD once UTF-8 encoded) and combining marks.
  '\uD800',
  '\uDFFF\uD800',
  'Z̸̢̛͎̈́a̷l̶g̵o̴',
  '👩‍👩‍👧‍👦',
  // Numbers and other values as strings.
  'NaN',
  '-NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e309',
  '0x1F',
  '0b101',
  '9007199254740993',
  '00000000000000000000000000',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '[object Object]',
  // Prototype and injection classics.
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the Log4Shell probe is meant literally.
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '%00',
  '%2F..%2F',
  'APP#01ARZ3NDEKTSV4RRFFQ69G5FAV',
  'İıßﬃ',
];

/** Keys that try to reach the prototype or set server-owned fields. */
export const DANGEROUS_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'status',
  'merchantNo',
  'version',
  'applicationId',
  'tokenHash',
  'pk',
  'sk',
  'terminalId',
  '',
  '\u0000',
  '１',
];

/** Sets an own property even for `__proto__` (plain assignment would call the setter). */
export function setOwn(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Deep copy that keeps own `__proto__` keys as own keys. */
export function cloneJson<T extends Json>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Every path (list of keys / indexes) of a JSON value, the root included. */
export function jsonPaths(value: Json, prefix: readonly (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [[...prefix]];
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) out.push(...jsonPaths(item, [...prefix, index]));
  } else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) out.push(...jsonPaths(item, [...prefix, key]));
  return out;
}

function getAt(root: Json, path: readonly (string | number)[]): Json | undefined {
  let node: Json | undefined = root;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[step as number] : Object.getOwnPropertyDescriptor(node, step)?.value;
  }
  return node;
}

/** Replaces (or, with `undefined`, deletes) the node at `path`; the root is replaced by returning it. */
function setAt(root: Json, path: readonly (string | number)[], value: Json | undefined): Json | undefined {
  if (path.length === 0) return value;
  const parent = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1] as string | number;
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(last as number, 1);
    else parent[last as number] = value;
  } else if (parent !== null && typeof parent === 'object') {
    if (value === undefined) delete parent[last as string];
    else setOwn(parent, String(last), value);
  }
  return root;
}

/** `depth` nested arrays or objects around a leaf, as JSON text (JSON.stringify would recurse). */
export function deeplyNested(depth: number, objects: boolean): string {
  return objects
    ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** Replaces ASCII digits by their full-width forms (０-９). */
export function fullWidthDigits(text: string): string {
  return text.replace(/[0-9]/g, (digit) => String.fromCharCode(0xff10 + Number(digit)));
}

const nastyString = fc.constantFrom(...NASTY_STRINGS);

/** Values of every JSON type, small and odd ones preferred. */
export const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, -0.0001, 1e308, -1e308, 2 ** 53 + 1, [], {}, [null], {
    a: null,
  }),
  nastyString,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

/** One change to a valid body; applied to the node at `pathIndex % paths.length`. */
type Mutation =
  | { op: 'delete'; pathIndex: number }
  | { op: 'replace'; pathIndex: number; value: Json }
  | { op: 'numberAsString'; pathIndex: number }
  | { op: 'stringAsNumber'; pathIndex: number }
  | { op: 'fullWidth'; pathIndex: number }
  | { op: 'insertInvisible'; pathIndex: number; char: string; at: number }
  | { op: 'longString'; pathIndex: number; length: number; char: string }
  | { op: 'extraKey'; pathIndex: number; key: string; value: Json }
  | { op: 'wrapInArray'; pathIndex: number }
  | { op: 'nest'; pathIndex: number; depth: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), pathIndex: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), pathIndex: fc.nat(), value: oddValue }),
  fc.record({ op: fc.constant('numberAsString' as const), pathIndex: fc.nat() }),
  fc.record({ op: fc.constant('stringAsNumber' as const), pathIndex: fc.nat() }),
  fc.record({ op: fc.constant('fullWidth' as const), pathIndex: fc.nat() }),
  fc.record({
    op: fc.constant('insertInvisible' as const),
    pathIndex: fc.nat(),
    char: fc.constantFrom(
      '\u200B',
      '\u200C',
      '\u200D',
      '\u2060',
      '\uFEFF',
      '\u202E',
      '\u202B',
      '\u00AD',
      '\u0000',
    ),
    at: fc.nat(),
  }),
  fc.record({
    op: fc.constant('longString' as const),
    pathIndex: fc.nat(),
    length: fc.integer({ min: 100, max: 12_000 }),
    char: fc.constantFrom('a', '9', '张', '\u200B', '𝟎'),
  }),
  fc.record({
    op: fc.constant('extraKey' as const),
    pathIndex: fc.nat(),
    key: fc.oneof(fc.constantFrom(...DANGEROUS_KEYS), fc.string({ maxLength: 12 })),
    value: oddValue,
  }),
  fc.record({ op: fc.constant('wrapInArray' as const), pathIndex: fc.nat() }),
  fc.record({
    op: fc.constant('nest' as const),
    pathIndex: fc.nat(),
    depth: fc.integer({ min: 50, max: 3000 }),
  }),
);

/** Applies mutations to a copy of `fixture`; returns JSON text (deep nesting is spliced in as text). */
export function applyMutations(fixture: Json, mutations: readonly Mutation[]): string {
  let root: Json | undefined = cloneJson(fixture);
  const nested: { marker: string; text: string }[] = [];
  for (const m of mutations) {
    if (root === undefined) root = {};
    const paths = jsonPaths(root);
    const path = paths[m.pathIndex % paths.length] ?? [];
    const node = getAt(root, path);
    switch (m.op) {
      case 'delete':
        root = setAt(root, path, undefined);
        break;
      case 'replace':
        root = setAt(root, path, m.value);
        break;
      case 'numberAsString':
        root = setAt(root, path, typeof node === 'number' ? String(node) : JSON.stringify(node ?? null));
        break;
      case 'stringAsNumber':
        root = setAt(root, path, typeof node === 'string' && /^\d{1,15}$/.test(node) ? Number(node) : 12345);
        break;
      case 'fullWidth':
        root = setAt(
          root,
          path,
          fullWidthDigits(typeof node === 'string' ? node : JSON.stringify(node ?? 0)),
        );
        break;
      case 'insertInvisible': {
        // JSON text, not String(): an object without a prototype (a `__proto__` key) has no toString.
        const text = typeof node === 'string' ? node : JSON.stringify(node ?? null);
        const at = m.at % (text.length + 1);
        root = setAt(root, path, text.slice(0, at) + m.char + text.slice(at));
        break;
      }
      case 'longString':
        root = setAt(root, path, m.char.repeat(m.length));
        break;
      case 'extraKey':
        if (node !== null && typeof node === 'object' && !Array.isArray(node)) setOwn(node, m.key, m.value);
        else if (root !== null && typeof root === 'object' && !Array.isArray(root))
          setOwn(root, m.key, m.value);
        break;
      case 'wrapInArray':
        root = setAt(root, path, [node ?? null]);
        break;
      case 'nest': {
        const marker = `__NEST_${nested.length}__`;
        nested.push({ marker, text: deeplyNested(m.depth, m.depth % 2 === 0) });
        root = setAt(root, path, marker);
        break;
      }
    }
  }
  let text = root === undefined ? '' : JSON.stringify(root);
  for (const { marker, text: replacement } of nested) text = text.replace(`"${marker}"`, replacement);
  return text;
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'];
const OTHER_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/xml',
  'application/json; charset=latin1',
  'image/png',
  '*/*',
  'garbage',
  '',
];

/** Mostly JSON content types, sometimes wrong ones, sometimes none at all. */
export const contentTypeArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...JSON_TYPES) },
  { weight: 2, arbitrary: fc.constantFrom(...OTHER_TYPES) },
  { weight: 2, arbitrary: fc.constant(undefined) },
);

/**
 * Request bodies for a route whose valid body is `fixture` (undefined for routes without one).
 * `hostile` leaves out the unmodified fixture, so a batch of them should be rejected in full.
 */
export function bodyArb(fixture: Json | undefined, options: { hostile: boolean }): fc.Arbitrary<FuzzBody> {
  const base = fixture ?? {};
  const withType = (kind: string, payload: fc.Arbitrary<string | Uint8Array | undefined>) =>
    fc.record({ kind: fc.constant(kind), payload, contentType: contentTypeArb });
  const fixtureText = JSON.stringify(base);
  const arbs: fc.WeightedArbitrary<FuzzBody>[] = [
    {
      weight: 30,
      arbitrary: withType(
        'mutated',
        fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => applyMutations(base, ms)),
      ),
    },
    {
      weight: 8,
      arbitrary: withType(
        'json',
        (fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json>).map((value) => JSON.stringify(value)),
      ),
    },
    {
      weight: 6,
      arbitrary: withType(
        'prototype',
        fc
          .tuple(
            fc.constantFrom('__proto__', 'constructor', 'prototype'),
            fc.constantFrom('', 'status', 'isAdmin'),
          )
          .map(([key, inner]) => {
            // Spliced as text: JSON.parse makes `__proto__` an own key, which is what an attacker sends.
            const payload =
              inner === '' ? '{"polluted":true}' : `{"${inner}":"APPROVED","prototype":{"x":1}}`;
            const body = fixtureText === '{}' ? '{' : `${fixtureText.slice(0, -1)},`;
            return `${body}"${key}":${payload}}`;
          }),
      ),
    },
    {
      weight: 4,
      arbitrary: withType(
        'deep',
        fc
          .tuple(fc.integer({ min: 100, max: 12_000 }), fc.boolean())
          .map(([depth, objects]) => deeplyNested(depth, objects)),
      ),
    },
    {
      weight: 6,
      arbitrary: withType(
        'not-json',
        fc.oneof(
          fc.constantFrom(
            'undefined',
            'NaN',
            "{'a':1}",
            '{"a":1,}',
            '{"a":01}',
            '{"a":NaN}',
            '[1,2',
            '\uFEFF{}',
            'a=1&b=2',
            '<?xml version="1.0"?><a/>',
            '{"a":"\\ud800"}',
            '{"a":1}{"b":2}',
            '\u0000',
            ' ',
          ),
          fc.string({ maxLength: 200 }),
          fc.nat({ max: Math.max(0, fixtureText.length - 1) }).map((cut) => fixtureText.slice(0, cut)),
        ),
      ),
    },
    {
      weight: 5,
      arbitrary: withType(
        'bytes',
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          // Invalid UTF-8 inside otherwise valid JSON.
          fc.constant(
            Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d]),
          ),
          fc.constant(Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d])),
        ),
      ),
    },
    {
      weight: 4,
      arbitrary: withType(
        'oversize',
        fc
          .tuple(fc.integer({ min: 32 * 1024 + 1, max: 96 * 1024 }), fc.constantFrom('a', '张'), fc.boolean())
          .map(([bytes, char, asJson]) => {
            const filler = char.repeat(Math.ceil(bytes / Buffer.byteLength(char)));
            return asJson
              ? `${fixtureText.slice(0, -1) || '{'}${fixtureText === '{}' ? '' : ','}"x":"${filler}"}`
              : filler;
          }),
      ),
    },
    {
      weight: 1,
      // Past the local gateway's 1 MB cut-off (API Gateway's own limit is 10 MB).
      arbitrary: withType('over-1mb', fc.constant(`"${'b'.repeat(1024 * 1024 + 16)}"`)),
    },
    { weight: 5, arbitrary: withType('none', fc.constant(undefined)) },
  ];
  if (!options.hostile && fixture !== undefined)
    arbs.push({ weight: 12, arbitrary: withType('valid', fc.constant(fixtureText)) });
  return fc.oneof(...arbs);
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A syntactically valid ULID (what every id of the product looks like) that names nothing. */
export const ulidArb: fc.Arbitrary<string> = fc
  .array(fc.integer({ min: 0, max: 31 }), { minLength: 26, maxLength: 26 })
  .map((digits) => digits.map((d, i) => (i === 0 ? CROCKFORD[d % 8] : CROCKFORD[d])).join(''));

/**
 * A path parameter as it appears in the URL (already encoded where it needs to be): the real one,
 * look-alikes, encoded slashes and dots, invalid escapes, unicode, very long values.
 */
export function pathParamArb(valid: readonly string[]): fc.Arbitrary<{ kind: string; raw: string }> {
  const kind = (name: string, arb: fc.Arbitrary<string>) => arb.map((raw) => ({ kind: name, raw }));
  return fc.oneof(
    { weight: 12, arbitrary: kind('valid', fc.constantFrom(...valid)) },
    { weight: 4, arbitrary: kind('ulid', ulidArb) },
    {
      weight: 4,
      arbitrary: kind(
        'random',
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((s) => encodeURIComponent(s)),
      ),
    },
    {
      weight: 3,
      arbitrary: kind(
        'encoded',
        fc.constantFrom(
          '..%2F..%2Fhealth',
          'a%2Fb',
          '%2F',
          '%2e%2e',
          '%252F',
          '%00',
          '%',
          '%zz',
          '%C0%AF',
          '%E4%B8',
          '%F0%9F%98%80',
          '%20',
          '%EF%BC%91%EF%BC%92',
          '%E2%80%AE123',
          'null',
          'undefined',
          '__proto__',
          'constructor',
          '%5B%5D',
          '*',
          '-1',
          '0',
        ),
      ),
    },
    {
      weight: 2,
      arbitrary: kind(
        'look-alike',
        fc
          .tuple(fc.constantFrom(...valid), fc.constantFrom('lower', 'fullwidth', 'suffix', 'prefix', 'zwsp'))
          .map(([value, how]) => {
            if (how === 'lower') return value.toLowerCase();
            if (how === 'fullwidth') return encodeURIComponent(fullWidthDigits(value));
            if (how === 'suffix') return `${value}%2Fx`;
            if (how === 'prefix') return `%20${value}`;
            return encodeURIComponent(`${value}\u200B`);
          }),
      ),
    },
    {
      weight: 2,
      arbitrary: kind(
        'long',
        fc
          .tuple(fc.integer({ min: 200, max: 4_000 }), fc.constantFrom('A', '9', '%E5%BC%A0'))
          .map(([length, unit]) => unit.repeat(unit.length > 1 ? Math.ceil(length / 9) : length)),
      ),
    },
  );
}

/** Header values fetch (undici) will send: tab, visible ASCII and 0x80–0xFF; anything else becomes `?`. */
export function headerSafe(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0x3f;
    out += code === 0x09 || (code >= 0x20 && code <= 0x7e) || (code >= 0x80 && code <= 0xff) ? char : '?';
  }
  return out;
}

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  maxLength: 64,
});
const latin1 = fc.string({
  unit: fc.integer({ min: 0x01, max: 0xff }).map((code) => String.fromCharCode(code)),
  maxLength: 64,
});

/** Idempotency-Key values: none, empty, too short, valid, too long, control characters. */
export const idempotencyKeyArb: fc.Arbitrary<{ kind: string; value: string | undefined }> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'missing', value: undefined }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'empty', value: '' }) },
  {
    weight: 2,
    arbitrary: fc.string({ maxLength: 7 }).map((value) => ({ kind: 'short', value: headerSafe(value) })),
  },
  {
    weight: 8,
    arbitrary: fc
      .string({
        unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'),
        minLength: 8,
        maxLength: 128,
      })
      .map((value) => ({ kind: 'valid', value })),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'reused', value: 'fuzz-reused-key-0001' }) },
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: 129, max: 6_000 })
      .map((length) => ({ kind: 'overlong', value: 'k'.repeat(length) })),
  },
  {
    weight: 2,
    arbitrary: latin1.map((value) => ({ kind: 'latin1', value: headerSafe(`key-${value}-key`) })),
  },
  { weight: 1, arbitrary: printable.map((value) => ({ kind: 'printable', value })) },
);

/** `Authorization` values that are not a valid credential of anybody. */
export function invalidAuthorizationArb(context: {
  /** An existing application id, for merchant-shaped tokens with a wrong secret. */
  readonly applicationId: string;
  /** JWTs of the right shape that must fail: foreign key, `alg: none`, expired, tampered. */
  readonly forgedJwts: readonly string[];
}): fc.Arbitrary<{ kind: string; value: string | undefined }> {
  const secret = fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
    minLength: 43,
    maxLength: 43,
  });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: 'missing', value: undefined }) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer  x', 'Bearer a b', 'null')
        .map((value) => ({ kind: 'garbage', value })),
    },
    { weight: 2, arbitrary: latin1.map((value) => ({ kind: 'garbage', value: headerSafe(value) })) },
    { weight: 2, arbitrary: printable.map((value) => ({ kind: 'bearer-random', value: `Bearer ${value}` })) },
    {
      weight: 3,
      arbitrary: secret.map((s) => ({
        kind: 'merchant-wrong-secret',
        value: `Bearer ${context.applicationId}.${s}`,
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(ulidArb, secret)
        .map(([id, s]) => ({ kind: 'merchant-unknown-app', value: `Bearer ${id}.${s}` })),
    },
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(...context.forgedJwts)
        .map((jwt) => ({ kind: 'forged-jwt', value: `Bearer ${jwt}` })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(printable, printable, printable)
        .map(([a, b, c]) => ({ kind: 'jwt-shaped', value: headerSafe(`Bearer ${a}.${b}.${c}`) })),
    },
  );
}

/** Random query strings (names and values encoded), for every route. */
export const queryArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom('status', 'limit', 'cursor', '__proto__', 'constructor'),
            fc.string({ maxLength: 10 }),
          ),
          fc.oneof(
            fc.constantFrom(
              'PENDING',
              'DECIDED',
              '0',
              '-1',
              '101',
              '1e3',
              '２０',
              'NaN',
              '',
              'x'.repeat(3000),
            ),
            fc.string({ maxLength: 30 }),
          ),
        ),
        { minLength: 1, maxLength: 4 },
      )
      .map(
        (pairs) => `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`,
      ),
  },
  { weight: 1, arbitrary: fc.constantFrom('?', '?&&', '?a', '?%zz=1', '?limit=1&limit=2', '?cursor=%00') },
);

/** Extra headers with names that are Object.prototype members or spoof the gateway's own headers. */
export const extraHeadersArb: fc.Arbitrary<[string, string][]> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<[string, string][]>([]) },
  {
    weight: 2,
    arbitrary: fc.array(
      fc.tuple(
        fc.constantFrom(
          'constructor',
          'toString',
          'hasOwnProperty',
          'valueOf',
          'x-forwarded-for',
          'x-amzn-trace-id',
          'x-amzn-requestid',
          'content-length-x',
          'authorization-x',
        ),
        latin1.map(headerSafe),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  },
);
