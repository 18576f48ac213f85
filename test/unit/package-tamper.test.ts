// The tamper suite: hundreds of generated mutations of one valid package — a byte flipped in each file, files
// removed, added, renamed, swapped, entries reordered, signatures removed, swapped or made by another key, the
// archive truncated or its headers flipped, audit events and decisions changed — every one must be detected with a
// reason, and the original must verify.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64, sha256Hex, toBase64 } from '../../shared/codec/digest';
import { DSSE_PAYLOAD_TYPE, PACKAGE_FILES, preAuthEncoding, serializeEnvelope, verifyPackage } from '../../shared/package';
import type { DsseEnvelope, PackageItem, Statement, VerifyReport } from '../../shared/package';
import type { ArchiveEntry } from '../../shared/codec';
import { chainEvent } from '../../shared/review/audit-log';
import type { AuditEvent } from '../../shared/review/types';
import { generateSigner } from '../fixtures/packages/webcrypto-signer';
import {
  DERIVED_FILE_CHANGES,
  bytesOf,
  entriesOf,
  flipByte,
  rawZip,
  replaceEntry,
  resignedWith,
  rezip,
  samplePackage,
  text,
  type SamplePackage,
} from '../fixtures/packages/package-kit';

let sample: SamplePackage;
let entries: ArchiveEntry[];
const tally = new Map<string, { count: number; checks: Set<string> }>();

beforeAll(async () => {
  sample = await samplePackage({ items: 30, seed: 21 });
  entries = await entriesOf(sample.built.bytes);
});

afterAll(() => {
  const total = [...tally.values()].reduce((n, t) => n + t.count, 0);
  const lines = [...tally].map(
    ([family, t]) => `  ${family.padEnd(34)} ${String(t.count).padStart(4)}  caught by: ${[...t.checks].sort().join(', ')}`,
  );
  console.log(`tamper suite: ${total} mutations, every one detected\n${lines.join('\n')}`);
});

type Mutation = { name: string; bytes: () => Promise<Uint8Array> };

/** Verifies every mutation against the real trust list; fails listing each one that was not detected. */
async function expectAllDetected(family: string, mutations: Mutation[]): Promise<void> {
  const missed: string[] = [];
  const checks = new Set<string>();
  for (const m of mutations) {
    let report: VerifyReport;
    try {
      report = await verifyPackage(await m.bytes(), { trustedKeys: sample.trustedKeys });
    } catch (error) {
      missed.push(`${m.name}: verifyPackage threw ${String(error)}`);
      continue;
    }
    if (report.verdict !== 'invalid' || report.reasons.length === 0 || report.reasons.some((r) => !r.message))
      missed.push(`${m.name}: ${report.verdict}`);
    for (const r of report.reasons) checks.add(r.check);
  }
  const entry = tally.get(family) ?? { count: 0, checks: new Set<string>() };
  entry.count += mutations.length;
  for (const c of checks) entry.checks.add(c);
  tally.set(family, entry);
  expect(missed, `${family}: undetected mutations`).toEqual([]);
}

const SLOW = 180_000;

function spread(length: number, count: number): number[] {
  const positions = new Set<number>([0, length - 1]);
  for (let k = 1; positions.size < Math.min(count, length); k++) positions.add(Math.floor((length * k) / count) % length);
  return [...positions];
}

function envelopeOf(list: readonly ArchiveEntry[]): DsseEnvelope {
  return JSON.parse(text(list.find((e) => e.name === 'manifest.dsse.json')!.bytes)) as DsseEnvelope;
}

function withEnvelope(list: readonly ArchiveEntry[], envelope: DsseEnvelope): ArchiveEntry[] {
  return replaceEntry(list, 'manifest.dsse.json', bytesOf(serializeEnvelope(envelope)));
}

function statementOf(list: readonly ArchiveEntry[]): Statement {
  return JSON.parse(text(list.find((e) => e.name === 'manifest.intoto.json')!.bytes)) as Statement;
}

/** The statement changed and written to both manifest files, the signatures left as they were (not re-signed). */
function withStatement(list: readonly ArchiveEntry[], statement: Statement): ArchiveEntry[] {
  const payload = bytesOf(`${JSON.stringify(statement, null, 2)}\n`);
  const envelope = { ...envelopeOf(list), payload: toBase64(payload) };
  return withEnvelope(replaceEntry(list, 'manifest.intoto.json', payload), envelope);
}

function subjectsUpdated(list: readonly ArchiveEntry[]): Statement {
  const statement = statementOf(list);
  statement.subject = statement.subject.map((s) => ({
    name: s.name,
    digest: { sha256: sha256Hex(list.find((e) => e.name === s.name)?.bytes ?? new Uint8Array()) },
  }));
  return statement;
}

describe('tamper suite', () => {
  it('the original verifies', async () => {
    const report = await verifyPackage(sample.built.bytes, { trustedKeys: sample.trustedKeys });
    expect(report.reasons).toEqual([]);
    expect(report.verdict).toBe('valid');
  });

  for (const name of PACKAGE_FILES) {
    it(
      `a byte flipped at 30 places in ${name}`,
      async () => {
        const bytes = entries.find((e) => e.name === name)!.bytes;
        await expectAllDetected(
          'byte flipped in a file',
          spread(bytes.length, 30).map((at) => ({
            name: `${name}@${at}`,
            bytes: () => rezip(replaceEntry(entries, name, flipByte(bytes, at))),
          })),
        );
      },
      SLOW,
    );
  }

  it('a file removed', async () => {
    await expectAllDetected(
      'file removed',
      PACKAGE_FILES.map((name) => ({ name, bytes: () => rezip(entries.filter((e) => e.name !== name)) })),
    );
  });

  it('a file added', async () => {
    const extra = (name: string, at: number) => {
      const list = [...entries];
      list.splice(at, 0, { name, bytes: bytesOf('{"note":"added later"}\n') });
      return list;
    };
    const stored = entries.map((e) => ({ name: e.name, data: e.bytes, method: 0 as const }));
    await expectAllDetected('file added', [
      { name: 'notes.txt at the end', bytes: () => rezip(extra('notes.txt', entries.length)) },
      { name: 'README.md first', bytes: () => rezip(extra('README.md', 0)) },
      { name: 'a second decisions file', bytes: () => rezip(extra('decisions (1).json', 3)) },
      { name: 'a file in a folder', bytes: () => rezip(extra('extra/decisions.json', 5)) },
      { name: 'a case twin of decisions.json', bytes: () => rezip(extra('Decisions.json', 4)) },
      { name: 'a path escaping the folder', bytes: async () => rawZip([...stored, { name: '../decisions.json', data: bytesOf('{}') }]) },
      { name: 'an absolute path', bytes: async () => rawZip([...stored, { name: '/etc/arw.json', data: bytesOf('{}') }]) },
      {
        name: 'a duplicate decisions.json',
        bytes: async () => rawZip([...stored, { name: 'decisions.json', data: bytesOf('{"items":[]}') }]),
      },
    ]);
  });

  it('a file renamed', async () => {
    const renamed = (from: string, to: string) => entries.map((e) => (e.name === from ? { name: to, bytes: e.bytes } : e));
    await expectAllDetected('file renamed', [
      ...PACKAGE_FILES.map((name) => ({ name: `${name} → ${name}.bak`, bytes: () => rezip(renamed(name, `${name}.bak`)) })),
      ...PACKAGE_FILES.map((name) => ({ name: `${name} → upper case`, bytes: () => rezip(renamed(name, name.toUpperCase())) })),
    ]);
  });

  it('two files swapped', async () => {
    const mutations: Mutation[] = [];
    for (let i = 0; i < PACKAGE_FILES.length; i++) {
      for (let j = i + 1; j < PACKAGE_FILES.length; j++) {
        const [a, b] = [entries[i]!, entries[j]!];
        mutations.push({
          name: `${a.name} ⇄ ${b.name}`,
          bytes: () =>
            rezip(entries.map((e) => (e === a ? { name: a.name, bytes: b.bytes } : e === b ? { name: b.name, bytes: a.bytes } : e))),
        });
      }
    }
    await expectAllDetected('files swapped', mutations);
  });

  it('entries reordered', async () => {
    const permutations: Array<[string, ArchiveEntry[]]> = [['reversed', [...entries].reverse()]];
    for (let i = 0; i + 1 < entries.length; i++) {
      const list = [...entries];
      [list[i], list[i + 1]] = [list[i + 1]!, list[i]!];
      permutations.push([`${entries[i]!.name} after ${entries[i + 1]!.name}`, list]);
    }
    for (let r = 1; r < entries.length; r++) permutations.push([`rotated by ${r}`, [...entries.slice(r), ...entries.slice(0, r)]]);
    let seed = 7;
    for (let k = 0; k < 10; k++) {
      const list = [...entries];
      for (let i = list.length - 1; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const j = seed % (i + 1);
        [list[i], list[j]] = [list[j]!, list[i]!];
      }
      if (list.some((e, i) => e !== entries[i])) permutations.push([`shuffle ${k}`, list]);
    }
    await expectAllDetected(
      'entries reordered',
      permutations.map(([name, list]) => ({ name, bytes: () => rezip(list) })),
    );
  });

  it('signatures removed, swapped, corrupted or made by another key', async () => {
    const env = envelopeOf(entries);
    const payload = fromBase64(env.payload);
    const stranger = await generateSigner('alice-2026');
    const strangerSig = toBase64(await stranger.sign(preAuthEncoding(DSSE_PAYLOAD_TYPE, payload)));
    const otherPayloadSig = toBase64(
      await sample.signers[0]!.sign(preAuthEncoding(DSSE_PAYLOAD_TYPE, bytesOf('{"_type":"something else"}'))),
    );
    const [a, b] = env.signatures as [DsseEnvelope['signatures'][0], DsseEnvelope['signatures'][0]];
    const flipChar = (sig: string) => (sig[5] === 'A' ? `${sig.slice(0, 5)}B${sig.slice(6)}` : `${sig.slice(0, 5)}A${sig.slice(6)}`);
    const variants: Array<[string, DsseEnvelope['signatures']]> = [
      ['alice removed', [b]],
      ['bob removed', [a]],
      ['all removed', []],
      [
        'signature values swapped',
        [
          { keyid: a.keyid, sig: b.sig },
          { keyid: b.keyid, sig: a.sig },
        ],
      ],
      [
        'key ids swapped',
        [
          { keyid: b.keyid, sig: a.sig },
          { keyid: a.keyid, sig: b.sig },
        ],
      ],
      ['alice twice', [a, a, b]],
      ['alice corrupted', [{ keyid: a.keyid, sig: flipChar(a.sig) }, b]],
      ['bob corrupted', [a, { keyid: b.keyid, sig: flipChar(b.sig) }]],
      ['alice truncated', [{ keyid: a.keyid, sig: a.sig.slice(0, 40) }, b]],
      ['bob emptied', [a, { keyid: b.keyid, sig: '' }]],
      ['alice replaced by another key under her key id', [{ keyid: a.keyid, sig: strangerSig }, b]],
      ['an extra signature by an unknown key', [a, b, { keyid: 'mallory', sig: strangerSig }]],
      ['alice signed a different payload', [{ keyid: a.keyid, sig: otherPayloadSig }, b]],
    ];
    await expectAllDetected(
      'signature tampered',
      variants.map(([name, signatures]) => ({ name, bytes: () => rezip(withEnvelope(entries, { ...env, signatures })) })),
    );
  });

  it('a package re-signed by other keys (detected by the trust list)', async () => {
    const forged = await samplePackage({ items: 30, seed: 21 }, [await generateSigner('alice-2026'), await generateSigner('bob-2026')]);
    const env = envelopeOf(entries);
    const forgedEnvelope = envelopeOf(await entriesOf(forged.built.bytes));
    await expectAllDetected('re-signed with different keys', [
      { name: 'the whole package made again with other keys', bytes: async () => forged.built.bytes },
      { name: 'our manifest, their envelope', bytes: () => rezip(withEnvelope(entries, forgedEnvelope)) },
      {
        name: 'their signatures on our payload',
        bytes: () => rezip(withEnvelope(entries, { ...env, signatures: forgedEnvelope.signatures })),
      },
    ]);
  });

  it('the manifest edited without re-signing', async () => {
    const edits: Array<[string, (s: Statement) => void]> = [
      ['counts raised', (s) => void (s.predicate.counts.decided += 1)],
      ['an item hidden from the counts', (s) => void (s.predicate.counts.items -= 1)],
      ['campaign renamed', (s) => void (s.predicate.campaign.name = 'Another campaign')],
      ['chain head replaced', (s) => void (s.predicate.auditChain.head = '0'.repeat(64))],
      ['policy digest replaced', (s) => void (s.predicate.policyDigest = `sha256:${'1'.repeat(64)}`)],
      ['a subject dropped', (s) => void s.subject.pop()],
      ['a digest replaced', (s) => void (s.subject[0]!.digest.sha256 = 'f'.repeat(64))],
      ['a signer dropped', (s) => void s.predicate.signers.pop()],
      ['a reviewer key replaced', (s) => void (s.predicate.reviewers[1]!.publicKey = s.predicate.reviewers[0]!.publicKey)],
    ];
    await expectAllDetected(
      'manifest edited',
      edits.map(([name, edit]) => ({
        name,
        bytes: () => {
          const statement = statementOf(entries);
          edit(statement);
          return rezip(withStatement(entries, statement));
        },
      })),
    );
  });

  it('remediation files and OSCAL documents that do not follow from the decisions, though signed with every digest right', async () => {
    for (const [file, message, change] of DERIVED_FILE_CHANGES) {
      const original = text(entries.find((e) => e.name === file)!.bytes);
      const changed = change(original);
      expect(changed, file).not.toBe(original);
      // Written and signed by the package's own signers: only the content check can tell.
      const signed = await resignedWith(entries, file, bytesOf(changed), sample.signers);
      const report = await verifyPackage(await rezip(signed), { trustedKeys: sample.trustedKeys });
      expect(
        report.reasons.map((r) => [r.check, r.message]),
        `${file}: ${changed.slice(0, 80)}`,
      ).toEqual([['consistency', message]]);
    }
  });

  it('the archive truncated', async () => {
    const bytes = sample.built.bytes;
    const cuts = [...spread(bytes.length, 40), bytes.length - 1, bytes.length - 21, bytes.length - 22, bytes.length - 23].filter(
      (n) => n > 0 && n < bytes.length,
    );
    await expectAllDetected(
      'archive truncated',
      [...new Set(cuts)].map((n) => ({ name: `first ${n} bytes`, bytes: async () => bytes.slice(0, n) })),
    );
  });

  it('a byte of the archive flipped: headers, names, sizes, CRCs, and inside compressed data', async () => {
    const bytes = sample.built.bytes;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const positions: number[] = [];
    // Every byte of every local header (with its name) and central-directory entry, and of the end record.
    let at = 0;
    const dataRanges: Array<[number, number]> = [];
    for (let i = 0; i < entries.length; i++) {
      const nameLength = view.getUint16(at + 26, true);
      const size = view.getUint32(at + 18, true);
      for (let k = 0; k < 30 + nameLength; k += 3) positions.push(at + k);
      dataRanges.push([at + 30 + nameLength, at + 30 + nameLength + size]);
      at += 30 + nameLength + size;
    }
    for (let k = at; k < bytes.length; k += 3) positions.push(k);
    // Inside each entry's data, but not its last byte: the padding bits after a deflate stream's final block carry
    // nothing, so a flip there changes no file.
    for (const [start, end] of dataRanges) for (const p of spread(end - start - 1, 6)) positions.push(start + p);
    await expectAllDetected(
      'archive byte flipped',
      positions.map((p) => ({ name: `archive byte ${p}`, bytes: async () => flipByte(bytes, p) })),
    );
  });

  it('audit events altered, removed, reordered or inserted', async () => {
    const original = text(entries.find((e) => e.name === 'audit-log.jsonl')!.bytes)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEvent);
    const write = (events: AuditEvent[]) =>
      rezip(replaceEntry(entries, 'audit-log.jsonl', bytesOf(`${events.map((e) => JSON.stringify(e)).join('\n')}\n`)));
    const rechain = (events: AuditEvent[]) => {
      const out: AuditEvent[] = [];
      for (const { seq: _s, prevHash: _p, hash: _h, ...body } of events) out.push(chainEvent(out.at(-1) ?? null, body));
      return out;
    };
    const mutations: Mutation[] = [];
    for (const k of [1, 5, 12, 20, original.length - 1]) {
      const e = original[k]!;
      const altered = {
        ...e,
        at: '2027-01-01T00:00:00.000Z',
        ...(e.action ? { action: e.action === 'keep' ? ('revoke' as const) : ('keep' as const) } : {}),
        rationale: 'changed afterwards',
      };
      const list = (replacement: AuditEvent | null) => original.flatMap((x, i) => (i === k ? (replacement ? [replacement] : []) : [x]));
      mutations.push({ name: `event ${k + 1} edited`, bytes: () => write(list(altered)) });
      mutations.push({
        name: `event ${k + 1} edited and re-hashed`,
        bytes: () => write(list({ ...altered, hash: sha256Hex(JSON.stringify(altered)) })),
      });
      mutations.push({ name: `event ${k + 1} edited, whole chain re-hashed`, bytes: () => write(rechain(list(altered))) });
      mutations.push({ name: `event ${k + 1} removed, chain re-hashed`, bytes: () => write(rechain(list(null))) });
      mutations.push({ name: `event ${k + 1} removed`, bytes: () => write(list(null)) });
      mutations.push({
        name: `event ${k + 1} actor replaced`,
        bytes: () => write(rechain(list({ ...e, actor: { ...e.actor, id: 'mallory' } }))),
      });
      if (k + 1 < original.length) {
        const swapped = [...original];
        [swapped[k], swapped[k + 1]] = [swapped[k + 1]!, swapped[k]!];
        mutations.push({ name: `events ${k + 1} and ${k + 2} swapped`, bytes: () => write(swapped) });
      }
    }
    const inserted = rechain([
      ...original.slice(0, 10),
      { ...original[9]!, at: '2026-10-01T09:00:00.000Z', type: 'undo', refersTo: original[9]!.seq },
      ...original.slice(10),
    ]);
    mutations.push({ name: 'an undo inserted, chain re-hashed', bytes: () => write(inserted) });
    mutations.push({ name: 'the log emptied', bytes: () => rezip(replaceEntry(entries, 'audit-log.jsonl', new Uint8Array())) });
    await expectAllDetected('audit event altered', mutations);
  });

  it('a decision changed in decisions.json (also with the manifest digest updated)', async () => {
    const doc = JSON.parse(text(entries.find((e) => e.name === 'decisions.json')!.bytes)) as { items: PackageItem[] };
    const edits: Array<[string, (item: PackageItem) => void]> = [
      ['action flipped', (i) => void (i.decision!.action = i.decision!.action === 'keep' ? 'revoke' : 'keep')],
      ['rationale rewritten', (i) => void (i.decision!.rationale = 'approved by the CISO')],
      ['reviewer replaced', (i) => void (i.decision!.reviewerId = 'bob')],
      ['decision removed', (i) => void (i.decision = null)],
      ['suggestion removed', (i) => void (i.suggestion = null)],
      ['approver added', (i) => void (i.decision!.approver = { id: 'bob', at: '2026-10-02T00:00:00.000Z' })],
      ['time moved', (i) => void (i.decision!.at = '2026-12-31T23:59:59.000Z')],
    ];
    const mutations: Mutation[] = [];
    for (const index of [0, 7, 29]) {
      for (const [name, edit] of edits) {
        const changed = structuredClone(doc);
        edit(changed.items[index]!);
        const list = replaceEntry(entries, 'decisions.json', bytesOf(JSON.stringify(changed)));
        mutations.push({ name: `item ${index}: ${name}`, bytes: () => rezip(list) });
        mutations.push({
          name: `item ${index}: ${name}, manifest digest updated`,
          bytes: () => rezip(withStatement(list, subjectsUpdated(list))),
        });
      }
    }
    const dropped = structuredClone(doc);
    dropped.items.splice(3, 1);
    const droppedList = replaceEntry(entries, 'decisions.json', bytesOf(JSON.stringify(dropped)));
    mutations.push({ name: 'an item dropped', bytes: () => rezip(droppedList) });
    mutations.push({
      name: 'an item dropped, manifest digest updated',
      bytes: () => rezip(withStatement(droppedList, subjectsUpdated(droppedList))),
    });
    await expectAllDetected('decision changed', mutations);
  });

  it('counts at least 500 mutations', () => {
    const total = [...tally.values()].reduce((n, t) => n + t.count, 0);
    expect(total).toBeGreaterThanOrEqual(500);
  });
});
