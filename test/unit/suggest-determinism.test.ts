// Same input and policy → byte-identical output (canonical JSON), on a generated organisation with every signal.
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { canonicalJson, sha256Hex, utf8 } from '../../shared/codec/digest';
import { DEFAULT_POLICY, suggest, type Policy } from '../../shared/suggest';
import { generateOrganisation } from '../bench/org-generator';

function load(seed: number) {
  const org = generateOrganisation({ seed, identities: 800, shape: 'balanced' });
  const { data } = importFiles(org.files.map((f) => ({ name: f.name, bytes: utf8(f.text) })));
  return { data, asOf: Date.parse(org.truth.asOf) };
}

describe('determinism', () => {
  it('gives byte-identical canonical JSON for the same snapshot, policy and as-of date', () => {
    const { data, asOf } = load(42);
    const first = canonicalJson(suggest(data, DEFAULT_POLICY, { asOf }));
    const again = canonicalJson(suggest(structuredClone(data), structuredClone(DEFAULT_POLICY), { asOf }));
    expect(sha256Hex(again)).toBe(sha256Hex(first));
    // A fresh import of the same files as well.
    expect(sha256Hex(canonicalJson(suggest(load(42).data, DEFAULT_POLICY, { asOf })))).toBe(sha256Hex(first));
    // JSON.stringify (what the CLI and the worker use) is stable too.
    expect(JSON.stringify(suggest(data, DEFAULT_POLICY, { asOf }))).toBe(JSON.stringify(suggest(data, DEFAULT_POLICY, { asOf })));
  });

  it('changes when the as-of date or the policy changes, and says which policy in every suggestion', () => {
    const { data, asOf } = load(43);
    const base = suggest(data, DEFAULT_POLICY, { asOf });
    const later = suggest(data, DEFAULT_POLICY, { asOf: asOf + 200 * 86_400_000 });
    expect(canonicalJson(later)).not.toBe(canonicalJson(base));
    const strict: Policy = { ...DEFAULT_POLICY, unusedAccess: { ...DEFAULT_POLICY.unusedAccess, windowDays: 30 } };
    const other = suggest(data, strict, { asOf });
    expect(other[0]!.policyDigest).not.toBe(base[0]!.policyDigest);
    expect(other.filter((s) => s.action === 'revoke').length).toBeGreaterThan(base.filter((s) => s.action === 'revoke').length);
  });

  it('computes in parts whose concatenation is the whole output, byte for byte', () => {
    const { data, asOf } = load(44);
    const whole = JSON.stringify(suggest(data, DEFAULT_POLICY, { asOf }));
    for (const of of [2, 3]) {
      const parts = Array.from({ length: of }, (_, index) => suggest(data, DEFAULT_POLICY, { asOf, part: { index, of } }));
      expect(parts.every((p) => p.length > 0)).toBe(true);
      expect(JSON.stringify(parts.flat())).toBe(whole);
    }
    expect(() => suggest(data, DEFAULT_POLICY, { asOf, part: { index: 2, of: 2 } })).toThrow(/not a part/);
  });
});
