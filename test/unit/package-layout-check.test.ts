// docs/package-format.md fixes the archive layout: every entry deflated but report.xlsx (stored), signatures in the
// manifest's signer order. A re-zipped package that departs from it fails verification with a clear finding.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrustedKeys, verifyPackage, writeZip } from '../../shared/package';
import { entriesOf } from '../fixtures/packages/package-kit';

const bytes = new Uint8Array(readFileSync(resolve('test/fixtures/packages/sample.arwpkg')));
const parsed = parseTrustedKeys(JSON.parse(readFileSync(resolve('test/fixtures/packages/trusted-keys.json'), 'utf8')));
const trustedKeys = parsed.ok ? parsed.keys : [];

async function reasons(archive: Uint8Array) {
  const r = await verifyPackage(archive, { trustedKeys });
  return { verdict: r.verdict, messages: r.reasons.map((x) => `[${x.check}] ${x.message}`) };
}

describe('the documented archive layout is enforced', () => {
  it('the committed sample, as written, is valid', async () => expect((await reasons(bytes)).verdict).toBe('valid'));

  it('every entry stored instead of deflated', async () => {
    const entries = await entriesOf(bytes);
    const r = await reasons(await writeZip(entries.map((e) => ({ name: e.name, bytes: e.bytes, store: true }))));
    expect(r.verdict).toBe('invalid');
    expect(r.messages).toContain(
      '[archive] decisions.json is stored, but a package keeps it deflated (docs/package-format.md, Archive layout): the archive was re-zipped or edited',
    );
  });

  it('report.xlsx deflated', async () => {
    const entries = await entriesOf(bytes);
    const r = await reasons(await writeZip(entries.map((e) => ({ name: e.name, bytes: e.bytes }))));
    expect(r).toEqual({
      verdict: 'invalid',
      messages: [
        '[archive] report.xlsx is deflated, but a package keeps it stored (docs/package-format.md, Archive layout): the archive was re-zipped or edited',
      ],
    });
  });

  it('signatures reordered in the envelope', async () => {
    const entries = await entriesOf(bytes);
    const env = JSON.parse(new TextDecoder().decode(entries.find((e) => e.name === 'manifest.dsse.json')!.bytes)) as {
      signatures: unknown[];
    };
    env.signatures.reverse();
    const envelope = new TextEncoder().encode(`${JSON.stringify(env, null, 2)}\n`);
    const r = await reasons(
      await writeZip(
        entries.map((e) => ({
          name: e.name,
          bytes: e.name === 'manifest.dsse.json' ? envelope : e.bytes,
          store: e.name === 'report.xlsx',
        })),
      ),
    );
    expect(r.verdict).toBe('invalid');
    expect(r.messages).toEqual([
      expect.stringMatching(
        /^\[envelope\] the signatures are not in the order of the manifest's signers \(found bob-2026, alice-2026; the manifest lists alice-2026, bob-2026\)/,
      ),
    ]);
  });
});
