// Same input and policy → byte-identical output (canonical JSON), on a generated organisation with every signal.
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { canonicalJson, sha256Hex, utf8 } from '../../shared/codec/digest';
import type { Identity, SnapshotData } from '../../shared/model';
import { DEFAULT_POLICY, suggest, type Policy, type Suggestion } from '../../shared/suggest';
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

  it('splits inside the credentials and inside the identity items as well, reporting progress per part', () => {
    const { data, asOf } = load(45);
    const kind = (s: Suggestion) => (s.entitlementId !== undefined ? 'a' : s.credentialId !== undefined ? 'c' : 'i');
    const full = suggest(data, DEFAULT_POLICY, { asOf });
    const nC = full.filter((s) => kind(s) === 'c').length;
    const nI = full.filter((s) => kind(s) === 'i').length;
    expect(nC).toBeGreaterThan(4);
    expect(nI).toBeGreaterThan(4);
    // Keep nI + 2 assignments and every credential (the middle falls among the credentials), then two assignments and
    // two credentials (the middle falls among the identity items).
    for (const [keep, creds] of [
      [nI + 2, data.credentials.length],
      [2, 2],
    ] as const) {
      const cut: SnapshotData = { ...data, assignments: data.assignments.slice(0, keep), credentials: data.credentials.slice(0, creds) };
      const whole = suggest(cut, DEFAULT_POLICY, { asOf });
      expect(whole.filter((s) => kind(s) === 'a').length).toBe(keep);
      for (const of of [2, 3, 5]) {
        const totals: number[] = [];
        const parts = Array.from({ length: of }, (_, index) =>
          suggest(cut, DEFAULT_POLICY, { asOf, part: { index, of }, onProgress: (_done, total) => (totals[index] = total) }),
        );
        expect(parts.map((p) => p.length)).toEqual(totals);
        expect(JSON.stringify(parts.flat())).toBe(JSON.stringify(whole));
        if (of === 2) {
          const last = kind(parts[0]!.at(-1)!);
          const first = kind(parts[1]![0]!);
          expect(`${last}${first}`).toBe(keep === 2 ? 'ii' : 'cc');
          expect(new Set(parts[0]!.map(kind)).size).toBeGreaterThan(1);
        }
      }
    }
  });

  it('gives an item the same suggestion whichever items came before it (shared signals do not depend on order)', () => {
    // A terminated holder and an active one last used e1 the same day, past the window, while four others used it
    // last week: the active holder's figures count four others, the terminated holder's all five active holders.
    const day = (d: number) => new Date(AS_OF - d * 86_400_000).toISOString().slice(0, 10);
    const person = (id: string, status: Identity['status'] = 'active'): Identity => ({ id, displayName: id, type: 'human', status });
    const ids = ['u1', 'u2', 'u3', 'u4', 'u5'];
    const data: SnapshotData = {
      identities: [person('t1', 'terminated'), ...ids.map((id) => person(id))],
      entitlements: [{ id: 'e1', name: 'e1', application: 'App', privilege: 'low' }],
      assignments: ['t1', ...ids].map((id, k) => ({
        identityId: id,
        entitlementId: 'e1',
        source: 'src',
        lastUsedAt: day(k < 2 ? 200 : 5),
        grantedAt: day(400),
      })),
      credentials: [],
    };
    const whole = suggest(data, DEFAULT_POLICY, { asOf: AS_OF });
    const unused = (s: Suggestion) => s.signals.find((g) => g.id === 'unused-access')!.message;
    expect(unused(whole[0]!)).toBe('unused 200 days while 4 of 5 holders used it in the last 7 days; window 90 days');
    expect(unused(whole[1]!)).toBe('unused 200 days while 4 of 4 holders used it in the last 7 days; window 90 days');
    // The same items computed in another order, and in parts that start after the terminated holder.
    const reversed = suggest({ ...data, assignments: [...data.assignments].reverse() }, DEFAULT_POLICY, { asOf: AS_OF });
    expect(JSON.stringify(reversed.reverse())).toBe(JSON.stringify(whole));
    for (const of of [2, 3, 6])
      expect(
        JSON.stringify(
          Array.from({ length: of }, (_, index) => suggest(data, DEFAULT_POLICY, { asOf: AS_OF, part: { index, of } })).flat(),
        ),
      ).toBe(JSON.stringify(whole));
  });
});

const AS_OF = Date.UTC(2026, 5, 30);
