// Streaming import: the chunked reading gives exactly what the whole-file reading gives, wherever the chunks end.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../shared/model';
import { HEAD_BYTES, bytesSource, decodeText, importFiles, importSources, type ImportFile, type StreamedFile } from '../../shared/import';
import { CsvReader, readCsv } from '../../shared/import/csv-table';
import { decodeFile } from '../../shared/import/decode';
import { workbenchCsv } from '../../shared/import/formats/workbench-csv';
import { ldif } from '../../shared/import/formats/ldif';
import { pairList } from '../../shared/import/formats/pair-list';
import { awsCredentialReport } from '../../shared/import/formats/aws';
import { mappedFormat, presetFor, suggestMapping } from '../../shared/import';
import { ldifDirectory } from '../bench/workbench-data';
import { TextReading } from '../../shared/import/chunked-text';
import { sha256Hex } from '../../shared/codec/digest';

const dir = resolve(__dirname, '../fixtures/workbench-csv');
const fixture = (): ImportFile[] => readdirSync(dir).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }));
const enc = (text: string) => new TextEncoder().encode(text);
const SIZES = [1, 2, 3, 7];

async function readText(bytes: Uint8Array, chunk: number, legacy = false): Promise<{ text: string; encoding: string; sha256?: string }> {
  const reading = new TextReading(bytesSource('f', bytes, chunk), { legacy });
  let text = '';
  for await (const c of reading) text += c;
  return { text, encoding: reading.encoding, sha256: reading.sha256 };
}

/** A file held whole, handed to parseStream with its bytes cut every `chunk` bytes. */
function streamed(file: ImportFile, chunk: number): StreamedFile {
  const decoded = decodeFile(file);
  return {
    ...decoded,
    async *chunks() {
      yield* new TextReading(bytesSource(file.name, file.bytes, chunk));
    },
  };
}

// Quoted newlines, CRLF, doubled quotes, multi-byte characters (2, 3 and 4 bytes), a malformed quote, a short row.
const TRICKY_IDENTITIES = [
  'id,displayName,email,type,status,department,title,managerId,ownerId,createdAt',
  'u1,"Zoë ""Z"" Åberg",z@x,human,active,Zürich,"Line one\r\nline two",,,2024-01-01',
  'u2,Bob 😀 Smith,,service,active,Ops,,,u1,',
  'u3,"Multi',
  'line, ""quoted""",,human,disabled,€ Finance,,u1,,2025-02-03',
  'u5,short,,human',
  'u6,日本語の名前,,agent,active,,,,,2023-12-31T10:00:00Z',
  '',
].join('\r\n');
const TRICKY_ENTITLEMENTS =
  'id,name,application,privilege,description,ownerId\ne1,"Admin, all",App é,high,"desc\nwith newline",u1\ne2,Read,App,low,,\n';
const TRICKY_ASSIGNMENTS =
  'identityId,entitlementId,grantedAt,lastUsedAt,source\nu1,e1,2024-01-01,2026-01-01,\nu2,e2,,,"src ""x"""\nu6,e1,2024-13-01,,\nu9,e1,,,\n';
const tricky = (): ImportFile[] => [
  { name: 'identities.csv', bytes: enc(TRICKY_IDENTITIES) },
  { name: 'entitlements.csv', bytes: enc(TRICKY_ENTITLEMENTS) },
  { name: 'assignments.csv', bytes: enc(TRICKY_ASSIGNMENTS) },
];

describe('chunked decoding', () => {
  const samples: [string, Uint8Array][] = [
    ['utf-8 with 2-, 3- and 4-byte characters and CRLF', enc(TRICKY_IDENTITIES)],
    ['utf-8 with BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...enc('a,b\r\nü,😀\r\n')])],
    ['utf-16le with BOM', new Uint8Array([0xff, 0xfe, ...utf16('id,name\r\nü,😀\r\n', true)])],
    ['utf-16be with BOM', new Uint8Array([0xfe, 0xff, ...utf16('id,name\nü,😀\n', false)])],
    ['utf-16le without BOM', utf16('id,name\nü,x\n', true)],
    ['utf-16be without BOM', utf16('id,name\nü,x\n', false)],
    ['three bytes', enc('a,b')],
    ['empty', new Uint8Array(0)],
  ];
  for (const [label, bytes] of samples) {
    it(`${label}: the same text, encoding and SHA-256 in chunks of ${SIZES.join(', ')} bytes`, async () => {
      const whole = decodeText(bytes);
      for (const size of SIZES) {
        const r = await readText(bytes, size);
        expect(r.text, `chunks of ${size}`).toBe(whole.text);
        expect(r.encoding).toBe(whole.encoding);
        expect(r.sha256).toBe(sha256Hex(bytes));
      }
    });
  }

  it('Windows-1252: a UTF-8 failure after the first chunks asks for a second reading, which matches the whole decoder', async () => {
    const bytes = new Uint8Array([...enc('id,name\n'.repeat(10)), 0x41, 0xe9, 0x0a]);
    expect(decodeText(bytes).encoding).toBe('windows-1252');
    await expect(readText(bytes, 7)).rejects.toThrow(/not UTF-8/);
    const legacy = await readText(bytes, 7, true);
    expect(legacy.text).toBe(decodeText(bytes).text);
    expect(legacy.encoding).toBe('windows-1252');
  });
});

describe('CSV reader', () => {
  const texts: [string, string][] = [
    ['CRLF, quoted CRLF and LF, doubled quotes, multi-byte', TRICKY_IDENTITIES],
    ['LF, quoted newlines', TRICKY_ENTITLEMENTS],
    ['no quotes, CRLF, no final newline', 'a,b,c\r\n1,2,3\r\n\r\n4,5,6'],
    ['CR only', 'a,b\r1,"x\ry"\r2,3\r'],
    ['unterminated quote', 'a,b\n1,"open\n2,3\n'],
    ['malformed quote', 'a,b\n1,"bad"quote\n2,3\n"x",y\n'],
  ];
  const collect = (chunks: string[], sample: number) => {
    const rows: [string[], number][] = [];
    const errors: [number, string][] = [];
    const r = new CsvReader(
      ',',
      (row, line) => rows.push([row, line]),
      (line, m) => errors.push([line, m]),
      sample,
    );
    for (const c of chunks) r.push(c);
    r.end();
    return { rows, errors };
  };
  for (const [label, text] of texts) {
    it(`${label}: the same rows, lines and errors split at every position and in chunks of ${SIZES.join(', ')}`, () => {
      const whole = collect([text], Infinity);
      // Guessing the line break needs the first one; past it, the reader parses every chunk as it comes.
      const sample = text.search(/[\r\n]/) + 3;
      expect(whole.rows.length).toBeGreaterThan(1);
      const table = readCsv(text);
      expect(table.rows).toEqual(
        whole.rows
          .filter(([row]) => !(row.length === 1 && row[0] === ''))
          .slice(1)
          .map(([row]) => row),
      );
      for (let i = 0; i <= text.length; i++) expect(collect([text.slice(0, i), text.slice(i)], sample), `split at ${i}`).toEqual(whole);
      for (const size of SIZES) {
        const chunks: string[] = [];
        for (let o = 0; o < text.length; o += size) chunks.push(text.slice(o, o + size));
        expect(collect(chunks, sample), `chunks of ${size}`).toEqual(whole);
      }
    });
  }

  it('numbers lines as the file shows them (a quoted newline makes a row span two lines)', () => {
    const t = readCsv('h1,h2\n"a\nb",c\nd,e\n');
    expect(t.rows).toEqual([
      ['a\nb', 'c'],
      ['d', 'e'],
    ]);
    expect(t.lines).toEqual([2, 4]);
  });
});

describe('workbench CSV, streamed', () => {
  for (const [label, files] of [
    ['the sample files in test/fixtures', fixture],
    ['quoted newlines, CRLF, multi-byte characters and bad rows', tricky],
  ] as const) {
    it(`${label}: parseStream in chunks of ${SIZES.join(', ')} bytes gives what parse gives`, async () => {
      const whole = workbenchCsv.parse(files().map(decodeFile), {});
      expect(whole.data.identities.length).toBeGreaterThan(0);
      for (const size of SIZES) {
        const got = await workbenchCsv.parseStream!(
          files().map((f) => streamed(f, size)),
          {},
        );
        expect(got, `chunks of ${size}`).toEqual(whole);
      }
    });
  }

  it('errors name file, line and field when streamed', async () => {
    const got = await workbenchCsv.parseStream!(
      tricky().map((f) => streamed(f, 3)),
      {},
    );
    const errors = got.files.flatMap((f) => f.errors);
    expect(errors).toContainEqual({ file: 'assignments.csv', line: 4, field: 'grantedAt', message: expect.stringContaining('2024-13-01') });
    expect(errors).toContainEqual({ file: 'assignments.csv', line: 5, field: 'identityId', message: expect.stringContaining('u9') });
    expect(errors).toContainEqual({ file: 'identities.csv', line: 7, message: 'expected 10 fields, found 4' });
  });
});

describe('LDIF, AWS credential report and mapped CSV, streamed', () => {
  const header = ['Login', 'Email', 'Role'];
  const mapped = mappedFormat(presetFor('App roles', header, suggestMapping(header)));
  const REPORT_HEADER =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const report = [
    '',
    '',
    REPORT_HEADER,
    '<root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,2024-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    'svc-ci,arn:aws:iam::1:user/svc-ci,2021-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2022-01-01T00:00:00+00:00,2024-05-01T00:00:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    'bad,arn:aws:iam::1:user/bad,yesterday,maybe,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    '',
  ].join('\n');
  const directory = [
    'version: 1',
    '',
    '# people',
    'dn: uid=ann,ou=People,dc=ex,dc=com',
    'objectClass: inetOrgPerson',
    'cn: Ann Ünal',
    'description: a long',
    '  folded value 😀',
    'memberOf: cn=admins,ou=Groups,dc=ex,dc=com',
    '',
    'dn:: dWlkPWJvYixvdT1QZW9wbGUsZGM9ZXgsZGM9Y29t',
    'objectClass: person',
    'cn: Bob',
    '',
    'broken line',
    '',
    'dn: cn=admins,ou=Groups,dc=ex,dc=com',
    'objectClass: groupOfNames',
    'member: uid=ann,ou=People,dc=ex,dc=com',
    '',
  ].join('\r\n');
  const cases = [
    ['LDIF with folded lines, base64, comments, CRLF and a bad record', ldif, [{ name: 'dir.ldif', bytes: enc(directory) }]],
    [
      'a user–permission pair list with CRLF, blank lines and a bad line',
      pairList,
      [{ name: 'pairs.txt', bytes: enc('1 10\r\n2 10\r\n\r\n2  11\n3 x y\n4 12') }],
    ],
    ['a generated LDIF directory', ldif, [{ name: 'gen.ldif', bytes: enc(ldifDirectory(60, 5)) }]],
    [
      'an AWS credential report with a BOM, blank lines first and a bad row',
      awsCredentialReport,
      [{ name: 'credential_report.csv', bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...enc(report)]) }],
    ],
    [
      'a mapped CSV with quoted newlines and a short row',
      mapped,
      [
        {
          name: 'app-roles.csv',
          bytes: enc('login,EMAIL,role\r\nann,ann@x.com,"Approver\r\nof ünïcödé"\r\nbob,bob@x.com\r\n"cy ""c""",c@x.com,Viewer\r\n\r\n'),
        },
      ],
    ],
  ] as const;
  for (const [label, parser, files] of cases) {
    it(`${label}: parseStream in chunks of ${SIZES.join(', ')} bytes gives what parse gives`, async () => {
      const whole = parser.parse(files.map(decodeFile), {});
      expect(whole.files.every((f) => !f.fatal) && whole.data.identities.length > 0, JSON.stringify(whole.files)).toBe(true);
      expect(whole.files.some((f) => f.errors.length > 0) || label.startsWith('a generated')).toBe(true);
      for (const size of SIZES)
        expect(
          await parser.parseStream!(
            files.map((f) => streamed(f, size)),
            {},
          ),
          `chunks of ${size}`,
        ).toEqual(whole);
    });
  }
});

describe('importSources', () => {
  const now = () => new Date('2026-11-22T00:00:00Z');
  const sources = (files: ImportFile[], chunk?: number) => files.map((f) => bytesSource(f.name, f.bytes, chunk));

  it('small files: the same outcome as importFiles, evidence digests included', async () => {
    for (const files of [fixture(), tricky()]) {
      expect(await importSources(sources(files, 5), { now })).toEqual(importFiles(files, { now }));
    }
  });

  it(`large files (over ${HEAD_BYTES / 1024} KiB) stream through the parser with the same outcome and digests`, async () => {
    const files = largeSet(6000);
    expect(files.find((f) => f.name === 'assignments.csv')!.bytes.byteLength).toBeGreaterThan(HEAD_BYTES);
    const streamedProgress: number[] = [];
    const got = await importSources(sources(files, 65_537), {
      now,
      onProgress: (p) => p.phase === 'parse' && streamedProgress.push(p.bytesDone),
    });
    const whole = importFiles(files, { now });
    expect(got).toEqual(whole);
    expect(got.data.assignments.length).toBe(12_000 - 1);
    expect(got.sources.find((s) => s.file === 'assignments.csv')!.sha256).toBe(
      sha256Hex(files.find((f) => f.name === 'assignments.csv')!.bytes),
    );
    // Bytes are reported while the large file is read, not only at the end.
    expect(new Set(streamedProgress).size).toBeGreaterThan(3);
  });

  it('a large file that is not UTF-8 past its head is read again as Windows-1252, as the whole decoder reads it', async () => {
    const files = largeSet(6000);
    const a = files.find((f) => f.name === 'assignments.csv')!;
    a.bytes = new Uint8Array([
      ...a.bytes,
      ...new Uint8Array([0x75, 0x31, 0x2c, 0x65, 0x31, 0x2c, 0x2c, 0x2c, 0x43, 0x61, 0x66, 0xe9, 0x0a]),
    ]);
    const got = await importSources(sources(files), { now });
    expect(got).toEqual(importFiles(files, { now }));
  });

  it('refuses a JSON file above the whole-file limit, naming it', async () => {
    const big = enc(`[${'{"a":1},'.repeat(40_000)}{"a":1}]`);
    const got = await importSources([bytesSource('big.json', big)], { wholeFileLimit: 200_000 });
    expect(got.refused).toEqual([
      {
        file: 'big.json',
        line: 0,
        message: expect.stringMatching(/^big\.json is 0 MiB: files in this format \(JSON, YAML\) are read whole/),
      },
    ]);
  });

  it('cancel mid-stream stops the reading with CancelledError', async () => {
    const files = largeSet(6000);
    let reads = 0;
    const counting = sources(files, 16_384).map((s) => ({
      ...s,
      read: (limit?: number) => ({
        async *[Symbol.asyncIterator]() {
          for await (const c of s.read(limit)) {
            reads++;
            yield c;
          }
        },
      }),
    }));
    let polls = 0;
    await expect(importSources(counting, { isCancelled: () => reads > 30 && ++polls > 0 })).rejects.toBeInstanceOf(CancelledError);
    expect(reads).toBeLessThan(40);
  });
});

const DATASETS = process.env.ARW_DATASETS ?? resolve(__dirname, '../../../shared/datasets');
const present = existsSync(DATASETS);
if (!present) console.warn(`import-stream: real-dataset comparison skipped, dataset folder ${DATASETS} not found (set ARW_DATASETS)`);

describe.skipIf(!present)('importSources on the real datasets', () => {
  const all = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) =>
      statSync(join(dir, n)).isDirectory() ? all(join(dir, n)) : /\.(csv|tsv|txt|json|ldif|ldf|yaml|yml)$/i.test(n) ? [join(dir, n)] : [],
    );
  it('every file: the same outcome (detection, evidence, rows, errors) as importFiles, large ones streamed', async () => {
    const now = () => new Date('2026-11-22T00:00:00Z');
    const paths = all(DATASETS);
    expect(paths.length).toBeGreaterThan(20);
    let streamedFiles = 0;
    for (const path of paths) {
      const file = { name: relative(DATASETS, path), bytes: new Uint8Array(readFileSync(path)) };
      const whole = importFiles([file], { now });
      const got = await importSources([bytesSource(file.name, file.bytes, 65_536)], { now });
      expect(got, file.name).toEqual(whole);
      if (
        file.bytes.byteLength > HEAD_BYTES &&
        whole.sources[0] &&
        ['ldif', 'workbench-csv', 'aws-credential-report', 'mapped-table', 'user-permission-pairs'].includes(whole.sources[0].format)
      )
        streamedFiles++;
    }
    expect(streamedFiles).toBeGreaterThan(0);
  });
});

/** A workbench set whose assignments file is larger than the head. */
function largeSet(people: number): ImportFile[] {
  const ids = ['id,displayName,email,type,status,department,title,managerId,ownerId,createdAt'];
  for (let i = 0; i < people; i++) ids.push(`u${i},"Person ${i}, Ünïcödé 😀",p${i}@x,human,active,"Dept\r\n${i % 7}",,,,2024-01-01`);
  const ents = ['id,name,application,privilege,description,ownerId', 'e1,One,App,low,,', 'e2,Two,App,high,,'];
  const asg = ['identityId,entitlementId,grantedAt,lastUsedAt,source'];
  for (let i = 0; i < people; i++) asg.push(`u${i},e1,2024-01-01,2026-0${1 + (i % 9)}-01,src é`, `u${i},e2,,,`);
  asg[asg.length - 1] = 'u0,e1,,,';
  return [
    { name: 'identities.csv', bytes: enc(ids.join('\r\n')) },
    { name: 'entitlements.csv', bytes: enc(ents.join('\n')) },
    { name: 'assignments.csv', bytes: enc(asg.join('\n') + '\n') },
  ];
}

function utf16(text: string, le: boolean): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i * 2 + (le ? 0 : 1)] = c & 0xff;
    out[i * 2 + (le ? 1 : 0)] = c >> 8;
  }
  return out;
}
