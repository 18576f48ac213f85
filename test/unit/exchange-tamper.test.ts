// Generated mutations of a valid work package and decision set: every one is detected with a reason, the originals
// verify. Mutations: a byte flipped in each file's content (re-zipped), in the archive's own bytes, a file removed,
// added, renamed, entries reordered, the signature removed or swapped, a truncated archive.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrustedKeys } from '../../shared/package';
import { verifyDecisionSet, verifyWorkPackage } from '../../shared/exchange';
import type { TrustedKey } from '../../shared/package/types';
import type { ArchiveEntry } from '../../shared/codec';
import { entriesOf, flipByte, rezip, text, bytesOf } from '../fixtures/packages/package-kit';

const DIR = resolve('test/fixtures/packages');
const WP = new Uint8Array(readFileSync(resolve(DIR, 'sample-work-package.arwwork')));
const DS = new Uint8Array(readFileSync(resolve(DIR, 'sample-decision-set.arwdec')));
const keys = parseTrustedKeys(JSON.parse(readFileSync(resolve(DIR, 'trusted-keys.json'), 'utf8')));
const trustedKeys: TrustedKey[] = keys.ok ? keys.keys : [];

type Verify = (bytes: Uint8Array) => Promise<{ verdict: string; reasons: unknown[] }>;
const verifiers: Array<[string, Uint8Array, Verify]> = [
  ['work package', WP, (b) => verifyWorkPackage(b, { trustedKeys })],
  ['decision set', DS, (b) => verifyDecisionSet(b, { trustedKeys, workPackage: WP })],
];

async function mutations(original: Uint8Array): Promise<Array<[string, Uint8Array]>> {
  const entries = await entriesOf(original);
  const out: Array<[string, Uint8Array]> = [];
  for (const [i, e] of entries.entries()) {
    const positions = new Set([
      0,
      1,
      Math.floor(e.bytes.length / 3),
      Math.floor(e.bytes.length / 2),
      Math.floor((2 * e.bytes.length) / 3),
      e.bytes.length - 2,
    ]);
    for (let k = 0; k < 14; k++) positions.add(Math.floor((((k * 7919) % 1000) / 1000) * e.bytes.length));
    for (const at of positions) {
      if (at < 0 || at >= e.bytes.length) continue;
      const changed = entries.map((x, j) => (j === i ? { name: x.name, bytes: flipByte(x.bytes, at) } : x));
      out.push([`${e.name}: byte ${at} flipped`, await rezip(changed)]);
    }
    out.push([`${e.name} removed`, await rezip(entries.filter((_, j) => j !== i))]);
    out.push([`${e.name} renamed`, await rezip(entries.map((x, j) => (j === i ? { name: `${x.name}.bak`, bytes: x.bytes } : x)))]);
    if (i > 0) out.push([`${e.name} moved first`, await rezip([e, ...entries.filter((_, j) => j !== i)])]);
  }
  out.push(['a file added', await rezip([...entries, { name: 'notes.txt', bytes: bytesOf('hello') }])]);
  const envelope = entries.find((e) => e.name === 'manifest.dsse.json')!;
  const env = JSON.parse(text(envelope.bytes)) as {
    payloadType: string;
    payload: string;
    signatures: Array<{ keyid: string; sig: string }>;
  };
  const withEnvelope = (value: unknown): Promise<Uint8Array> =>
    rezip(
      entries.map((x): ArchiveEntry =>
        x.name === 'manifest.dsse.json' ? { name: x.name, bytes: bytesOf(`${JSON.stringify(value, null, 2)}\n`) } : x,
      ),
    );
  out.push(['signature removed', await withEnvelope({ ...env, signatures: [] })]);
  out.push(['signature doubled', await withEnvelope({ ...env, signatures: [...env.signatures, ...env.signatures] })]);
  out.push([
    'signature keyid changed',
    await withEnvelope({ ...env, signatures: env.signatures.map((s) => ({ ...s, keyid: `${s.keyid}x` })) }),
  ]);
  for (const cut of [10, 100, Math.floor(original.length / 2), original.length - 1])
    out.push([`truncated to ${cut} bytes`, original.slice(0, cut)]);
  for (let k = 0; k < 40; k++) {
    const at = Math.floor((((k * 104729) % 10007) / 10007) * original.length);
    out.push([`archive byte ${at} flipped`, flipByte(original, at)]);
  }
  return out;
}

describe.each(verifiers)('tampering with the sample %s', (_name, original, verify) => {
  it('the original verifies', async () => {
    const r = await verify(original);
    expect(r.reasons).toEqual([]);
    expect(r.verdict).toBe('valid');
  });

  it('every mutation is detected with a reason', async () => {
    const all = await mutations(original);
    expect(all.length).toBeGreaterThan(80);
    const missed: string[] = [];
    for (const [what, bytes] of all) {
      const r = await verify(bytes);
      if (r.verdict !== 'invalid' || r.reasons.length === 0) missed.push(what);
    }
    expect(missed).toEqual([]);
  });
});
