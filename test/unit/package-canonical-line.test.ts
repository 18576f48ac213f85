// isCanonicalJson (shared/package/canonical-line.ts), the one-pass proof that a line of audit-log.jsonl is exactly
// the RFC 8785 canonical JSON of the value it holds, against the reference canonicaliser (canonicalJson):
// soundness (true only for canonical text) on canonical, unsorted, whitespace-padded, alternatively escaped and
// oddly numbered texts; completeness (true for every canonical text without the constructs it leaves to the
// reference path); the same answer on a sub-range of a larger buffer; and named cases. canonicalObjectMembers:
// the same answer for objects, and each member where it lies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, fromUtf8, utf8 } from '../../shared/codec/digest';
import {
  canonicalObjectMembers,
  isCanonicalJson,
  MEMBER_ESCAPED,
  MEMBER_FIELDS,
  MEMBER_NAME_END,
  MEMBER_NAME_START,
  MEMBER_VALUE_END,
  MEMBER_VALUE_START,
} from '../../shared/package/canonical-line';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const canonical = (text: string): boolean => {
  const bytes = utf8(text);
  return isCanonicalJson(bytes, 0, bytes.length);
};

/** What the reference says: the text parses and is its value's canonical JSON. */
function referenceCanonical(text: string): boolean {
  try {
    // canonicalJson throws on a number JSON.parse read as ±Infinity (1e400): not canonical either.
    return canonicalJson(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- generators

/** Member names the scanner must accept: printable ASCII without a quote or backslash, never "__proto__". */
const plainKey = fc
  .string({
    unit: fc.constantFrom(...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((c) => c !== '"' && c !== '\\')),
    maxLength: 8,
  })
  .filter((k) => k !== '__proto__');

const numberArb = fc.oneof(
  fc.integer(),
  fc.integer({ min: -1e15, max: 1e15 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, 1e-7, 123456789012345680000, 0.1, 5e-324, Number.MAX_VALUE, -1.5e300, 2 ** 53, 1e15, 1e16),
);

const stringArb = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: fc.constantFrom('"', '\\', '/', '\u001f', '\u007f', '\u2028', '\n', 'a', 'é', '😀', '\u0000', '\b'), maxLength: 8 }),
);

/** JSON values whose object keys the scanner accepts (so their canonical JSON must be recognised). */
const { value: plainValue } = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'json' },
    fc.constant(null),
    fc.boolean(),
    numberArb,
    stringArb,
    fc.array(tie('value'), { maxLength: 5, depthIdentifier: 'json' }),
    fc.dictionary(plainKey, tie('value'), { maxKeys: 5, depthIdentifier: 'json' }),
  ),
}));

/** Any JSON value, keys of every kind included (non-ASCII, escaped, "__proto__"). */
const anyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json>,
  fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }) as fc.Arbitrary<Json>,
  fc.jsonValue({ maxDepth: 3, stringUnit: 'binary-ascii' }) as fc.Arbitrary<Json>,
  plainValue,
  fc.dictionary(fc.constantFrom('__proto__', 'a', 'é', 'a"b', '\n', '10', '9', 'b'), plainValue, { maxKeys: 4 }),
);

/**
 * A JSON text of `value` written with deviations drawn from `choices` (each < 100; most choices keep the canonical
 * form): unsorted or duplicated members, white space, alternative string escapes, other spellings of numbers.
 * Some deviations are not JSON at all (a leading zero, a raw control character).
 */
function noisyText(value: Json, choices: readonly number[]): string {
  let next = 0;
  const pick = (): number => choices[next++ % choices.length]!;
  const ws = (): string => {
    const c = pick();
    return c < 92 ? '' : ([' ', '\n', '\t', '\r', '  ', ' \n', '\u00a0', '\u2028'] as const)[c - 92]!;
  };
  const number = (n: number): string => {
    const text = JSON.stringify(n);
    const c = pick();
    if (c < 80) return text;
    if (Object.is(n, 0) && c < 84) return '-0';
    if (c < 84) return Number.isInteger(n) && !text.includes('e') ? `${text}.0` : text.replace('e', 'E');
    if (c < 88) return n.toExponential();
    if (c < 90) return text.replace('e+', 'e');
    if (c < 92) return text.startsWith('-') ? `-0${text.slice(1)}` : `0${text}`;
    if (c < 94) return `${text}e0`;
    if (c < 96) return text.includes('.') ? `${text}0` : `${text}.00`;
    if (c < 98) return n.toFixed(3);
    return `+${text}`;
  };
  const string = (s: string): string => {
    let out = '"';
    for (const ch of s) {
      const plain = JSON.stringify(ch).slice(1, -1);
      const c = pick();
      const unit = (u: number, upper: boolean) => `\\u${u.toString(16).padStart(4, '0')[upper ? 'toUpperCase' : 'toLowerCase']()}`;
      if (c < 85) out += plain;
      else if (c < 89) out += [...Array(ch.length).keys()].map((k) => unit(ch.charCodeAt(k), false)).join('');
      else if (c < 93) out += [...Array(ch.length).keys()].map((k) => unit(ch.charCodeAt(k), true)).join('');
      else if (c < 95 && ch === '/') out += '\\/';
      else if (c < 97 && ch.length === 1 && ch.charCodeAt(0) < 0x20)
        out += ch; // a raw control character: not JSON
      else if (c < 99 && ch === '\n') out += '\\u000a';
      else out += plain;
    }
    return `${out}"`;
  };
  const write = (v: Json): string => {
    if (v === null || typeof v === 'boolean') return JSON.stringify(v);
    if (typeof v === 'number') return number(v);
    if (typeof v === 'string') return string(v);
    if (Array.isArray(v)) return `[${ws()}${v.map((x) => `${write(x)}${ws()}`).join(`,${ws()}`)}]`;
    let keys = Object.keys(v).sort();
    const c = pick();
    if (c >= 80 && c < 88) keys = Object.keys(v);
    else if (c >= 88 && c < 94) keys = [...keys].reverse();
    else if (c >= 94 && keys.length) keys = [...keys, keys[0]!];
    return `{${ws()}${keys.map((k) => `${string(k)}${ws()}:${ws()}${write(v[k]!)}${ws()}`).join(`,${ws()}`)}}`;
  };
  return `${ws()}${write(value)}${ws()}`;
}

const choicesArb = fc.array(fc.nat(99), { minLength: 1, maxLength: 48 });

/**
 * Texts of every kind the properties need: canonical ones, and ones that differ from canonical in small ways. Each
 * goes through UTF-8 and back (a cut surrogate pair becomes U+FFFD), since the scanner sees valid UTF-8 bytes only.
 */
const textArb: fc.Arbitrary<string> = fc
  .oneof(
    anyValue.map((v) => canonicalJson(v)),
    plainValue.map((v) => canonicalJson(v)),
    anyValue.map((v) => JSON.stringify(v)),
    fc.tuple(anyValue, choicesArb).map(([v, c]) => noisyText(v, c)),
    fc.tuple(plainValue, choicesArb).map(([v, c]) => noisyText(v, c)),
    // A canonical text with a character inserted, removed or replaced anywhere.
    fc
      .tuple(plainValue, fc.nat(), fc.constantFrom(' ', ',', '"', '\\', '0', '-', '.', 'e', '}', ']', '{', '[', ':', 'x', ''), fc.boolean())
      .map(([v, at, ch, replace]) => {
        const t = canonicalJson(v);
        const i = at % (t.length + 1);
        return t.slice(0, i) + ch + t.slice(replace ? i + 1 : i);
      }),
    // Short texts of JSON tokens in any order.
    fc
      .array(
        fc.constantFrom(
          '{',
          '}',
          '[',
          ']',
          ',',
          ':',
          '"a"',
          '"b"',
          '"\\u001f"',
          '"\\/"',
          '0',
          '-0',
          '1',
          '1.0',
          '1e21',
          '1e+21',
          'true',
          'null',
          ' ',
          '"',
        ),
        { maxLength: 10 },
      )
      .map((parts) => parts.join('')),
  )
  .map((text) => fromUtf8(utf8(text)));

// ---------------------------------------------------------------- properties

describe('isCanonicalJson', () => {
  it('is sound: whenever it says true, the text is its value’s canonical JSON (RFC 8785, per canonicalJson)', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(textArb, (text) => {
        if (canonical(text)) {
          accepted++;
          expect(referenceCanonical(text), text).toBe(true);
        } else refused++;
      }),
      { numRuns: 4000 },
    );
    // The generators reach both answers, so the property is not vacuous.
    expect(accepted).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(200);
  });

  it('is sound on texts that are almost canonical (one deviation at a time), and refuses each deviation', () => {
    fc.assert(
      fc.property(plainValue, choicesArb, (value, choices) => {
        const text = noisyText(value, choices);
        const answer = canonical(text);
        expect(answer, text).toBe(referenceCanonical(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('is complete: the canonical JSON of any value with plain ASCII member names is recognised', () => {
    fc.assert(
      fc.property(plainValue, (value) => {
        const text = canonicalJson(value);
        expect(canonical(text), text).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('answers the same on a sub-range of a larger buffer, whatever lies around it', () => {
    fc.assert(
      fc.property(
        textArb,
        fc.uint8Array({ maxLength: 16 }),
        fc.uint8Array({ maxLength: 16 }),
        fc.constantFrom('', '\n', '"', '}', ']', '0', 'e', ',', 'true', '"x"}'),
        (text, before, after, glued) => {
          const inner = utf8(text);
          const suffix = new Uint8Array([...utf8(glued), ...after]);
          const buffer = new Uint8Array([...before, ...inner, ...suffix]);
          expect(isCanonicalJson(buffer, before.length, before.length + inner.length), text).toBe(isCanonicalJson(inner, 0, inner.length));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a range cut short inside a canonical text is judged on the bytes inside the range only', () => {
    fc.assert(
      fc.property(plainValue, fc.nat(), (value, at) => {
        const text = canonicalJson(value);
        // ASCII texts only, so a byte prefix is a string prefix.
        fc.pre(/^[\x20-\x7e]*$/.test(text) && text.length > 0);
        const bytes = utf8(text);
        const end = at % bytes.length;
        const prefix = text.slice(0, end);
        expect(isCanonicalJson(bytes, 0, end), prefix).toBe(referenceCanonical(prefix));
        // And a range starting inside it.
        const start = (at % bytes.length) + 1;
        const suffix = text.slice(start);
        if (isCanonicalJson(bytes, start, bytes.length)) expect(referenceCanonical(suffix), suffix).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('audit-event-like lines: canonical as written by canonicalJson, refused once keys are reordered or spaced', () => {
    const event = {
      seq: 12,
      prevHash: 'a'.repeat(64),
      hash: 'b'.repeat(64),
      campaignId: 'campaign-1',
      type: 'decision',
      at: '2026-10-01T08:00:01.000Z',
      actor: { id: 'alice', name: 'Alice Ångström', email: 'alice@example.com', keyFingerprint: 'SHA256:aa' },
      itemId: 'a:u1\u001fent-1',
      action: 'revoke',
      acceptedSuggestion: false,
      rationale: 'Owner said "no" — ticket CHG-1\\2',
      secondsOnScreen: 12.5,
      suggestion: { action: 'keep', confidence: 0.93, signals: [{ id: 'unused-access', value: 120, threshold: 90 }] },
    };
    const line = canonicalJson(event);
    expect(canonical(line)).toBe(true);
    expect(canonical(JSON.stringify(event))).toBe(false);
    expect(canonical(JSON.stringify(JSON.parse(line), null, 1))).toBe(false);
    expect(canonical(line.replace('"seq":12', '"seq":12.0'))).toBe(false);
    expect(canonical(`${line}\n`)).toBe(false);
    expect(canonical(` ${line}`)).toBe(false);
  });
});

describe('isCanonicalJson: named cases', () => {
  const cases: Array<[string, boolean]> = [
    ['{"a":2,"b":1}', true],
    ['{"b":1,"a":2}', false],
    ['{"a":1,"a":1}', false],
    ['{"a":-0}', false],
    ['{"a":0}', true],
    ['-0', false],
    ['0', true],
    ['01', false],
    ['-01', false],
    ['1.0', false],
    ['1.5', true],
    ['1e5', false],
    ['100000', true],
    ['1E+21', false],
    ['1e21', false],
    ['{"a":1e+21}', true],
    ['1e-7', true],
    ['0.0000001', false],
    ['123456789012345680000', true],
    ['12345678901234567890', false],
    ['9007199254740993', false],
    ['"\\u001f"', true],
    ['"\\u001F"', false],
    ['"\\n"', true],
    ['"\\u000a"', false],
    ['"\\u0008"', false],
    ['"\\b"', true],
    ['"\\u0000"', true],
    ['"\\/"', false],
    ['"/"', true],
    ['"\\u0041"', false],
    ['"A"', true],
    ['"\u2028"', true],
    ['"\\u2028"', false],
    ['"\u007f"', true],
    ['"é😀"', true],
    ['"\\ud83d\\ude00"', false],
    ['"\\""', true],
    ['"\\\\"', true],
    ['"\\x"', false],
    ['"a', false],
    ['"\t"', false],
    ['[]', true],
    ['{}', true],
    ['[ ]', false],
    ['[1,]', false],
    ['[1 ]', false],
    ['{"a":1,}', false],
    ['{"a" :1}', false],
    ['{"10":1,"9":2}', true],
    ['{"9":2,"10":1}', false],
    ['{"A":1,"a":2}', true],
    ['{"a":1,"A":2}', false],
    ['{"a":1,"ab":2}', true],
    ['{"ab":1,"a":2}', false],
    ['true', true],
    ['tru', false],
    ['truee', false],
    ['null', true],
    ['nul', false],
    ['false', true],
    ['', false],
    [' ', false],
    ['1 ', false],
    ['[1][2]', false],
    ['+1', false],
    ['.5', false],
    ['0.50', false],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} is ${expected ? '' : 'not '}canonical`, () => {
      expect(canonical(text)).toBe(expected);
      // Every named answer agrees with the reference where the scanner is meant to be exact.
      expect(referenceCanonical(text)).toBe(expected);
    });
  }

  it('is conservative where the brief says so: escaped or non-ASCII member names and "__proto__" are left to the reference path', () => {
    for (const text of ['{"é":1}', '{"a\\nb":1}', '{"a\\"b":1}', '{"__proto__":1}', '{"a":{"__proto__":[]}}']) {
      expect(referenceCanonical(text), text).toBe(true);
      expect(canonical(text), text).toBe(false);
    }
  });

  it('nesting: 64 levels are recognised; deeper texts are refused without exhausting the stack', () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(canonical(deep(64))).toBe(true);
    expect(canonical(`${'{"a":'.repeat(64)}1${'}'.repeat(64)}`)).toBe(true);
    expect(() => canonical(deep(200_000))).not.toThrow();
    expect(canonical(deep(200_000))).toBe(false);
  });

  it('a sub-range: the middle line of three, and an empty range', () => {
    const lines = ['{"b":1,"a":2}', '{"a":[1,"x",null],"b":{"c":true}}', '[1.0]'];
    const bytes = utf8(lines.join('\n'));
    const start = lines[0]!.length + 1;
    const end = start + lines[1]!.length;
    expect(isCanonicalJson(bytes, start, end)).toBe(true);
    expect(isCanonicalJson(bytes, 0, lines[0]!.length)).toBe(false);
    expect(isCanonicalJson(bytes, end + 1, bytes.length)).toBe(false);
    expect(isCanonicalJson(bytes, start, end + 1)).toBe(false);
    expect(isCanonicalJson(bytes, start, end - 1)).toBe(false);
    expect(isCanonicalJson(bytes, start, start)).toBe(false);
  });
});

describe('canonicalObjectMembers', () => {
  /** The members as recorded: name, the value JSON.parse reads from its range, the escape flag (and the range's text). */
  function recorded(
    bytes: Uint8Array,
    start: number,
    end: number,
    room = 64,
  ): { count: number; members: [string, unknown, boolean][]; raws: string[] } {
    const out = new Int32Array(room * MEMBER_FIELDS);
    const count = canonicalObjectMembers(bytes, start, end, out);
    const members: [string, unknown, boolean][] = [];
    const raws: string[] = [];
    for (let i = 0; i < Math.max(count, 0); i++) {
      const at = i * MEMBER_FIELDS;
      const name = fromUtf8(bytes.subarray(out[at + MEMBER_NAME_START]!, out[at + MEMBER_NAME_END]!));
      const raw = fromUtf8(bytes.subarray(out[at + MEMBER_VALUE_START]!, out[at + MEMBER_VALUE_END]!));
      raws.push(raw);
      members.push([name, JSON.parse(raw), out[at + MEMBER_ESCAPED] === 1]);
    }
    return { count, members, raws };
  }

  it('says what isCanonicalJson says for objects (-1 for anything else), and records each member: name, value, escape', () => {
    let objects = 0;
    fc.assert(
      fc.property(textArb, fc.uint8Array({ maxLength: 8 }), (text, before) => {
        const inner = utf8(text);
        const bytes = new Uint8Array([...before, ...inner, 0x7d]);
        const start = before.length;
        const end = start + inner.length;
        const { count, members, raws } = recorded(bytes, start, end);
        const isObject = inner[0] === 0x7b;
        expect(count >= 0, text).toBe(isObject && isCanonicalJson(bytes, start, end));
        if (count < 0) return;
        objects++;
        const parsed = JSON.parse(text) as Record<string, unknown>;
        expect(members.map(([name]) => name)).toStrictEqual(Object.keys(parsed).sort());
        members.forEach(([name, value, escaped], i) => {
          expect(value, name).toStrictEqual(parsed[name]);
          // The flag is set for a string value with an escape in it, and only then (for objects and arrays it says
          // nothing; other values have no escapes).
          if (typeof value === 'string') expect(escaped, `${name} in ${text}`).toBe(raws[i]!.includes('\\'));
          else if (typeof value !== 'object' || value === null) expect(escaped).toBe(false);
        });
      }),
      { numRuns: 4000 },
    );
    expect(objects).toBeGreaterThan(200);
  });

  it('an event line: every top-level member where it lies; nested objects are one member; escapes flagged', () => {
    const line =
      '{"actor":{"id":"alice","name":"A"},"at":"2026-10-01T08:00:01.000Z","hash":"bb","itemId":"a:u1\\u001fent-1","n":-1.5e-7,"ok":true,"rationale":null,"x":[1,{"y":"\\n"}]}';
    const bytes = utf8(line);
    const { count, members } = recorded(bytes, 0, bytes.length);
    expect(count).toBe(8);
    expect(members).toStrictEqual([
      ['actor', { id: 'alice', name: 'A' }, false],
      ['at', '2026-10-01T08:00:01.000Z', false],
      ['hash', 'bb', false],
      ['itemId', 'a:u1\u001fent-1', true],
      ['n', -1.5e-7, false],
      ['ok', true, false],
      ['rationale', null, false],
      ['x', [1, { y: '\n' }], true],
    ]);
  });

  it('refuses an object with more members than the room given, and anything not an object', () => {
    const bytes = utf8('{"a":1,"b":2,"c":3}');
    expect(recorded(bytes, 0, bytes.length, 3).count).toBe(3);
    expect(recorded(bytes, 0, bytes.length, 2).count).toBe(-1);
    for (const text of ['[1]', '"a"', '1', 'null', '{"b":1,"a":2}', '{"a":1} ', '{}']) {
      const b = utf8(text);
      expect(recorded(b, 0, b.length).count, text).toBe(text === '{}' ? 0 : -1);
    }
  });
});
