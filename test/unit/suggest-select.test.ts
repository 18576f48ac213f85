// The engine's item selection (SuggestOptions.select): the items accepted are computed exactly as in the whole run,
// in its order, alone; parts split the accepted items.
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../shared/import';
import { utf8 } from '../../shared/codec/digest';
import type { Entitlement, Identity } from '../../shared/model';
import { DEFAULT_POLICY, suggest } from '../../shared/suggest';
import { generateOrganisation } from '../bench/org-generator';

function load(seed: number) {
  const org = generateOrganisation({ seed, identities: 800, shape: 'balanced' });
  const { data } = importFiles(org.files.map((f) => ({ name: f.name, bytes: utf8(f.text) })));
  return { data, asOf: Date.parse(org.truth.asOf) };
}

describe('suggest with select', () => {
  it('gives the accepted items of the whole run, in order, byte for byte, also in parts', () => {
    const { data, asOf } = load(46);
    const whole = suggest(data, DEFAULT_POLICY, { asOf });
    const apps = [...new Set(data.entitlements.map((e) => e.application))].sort().slice(0, 2);
    const identities = new Map(data.identities.map((i) => [i.id, i]));
    const entitlements = new Map(data.entitlements.map((e) => [e.id, e]));
    // Entitlement items of two applications, and the credentials of service accounts: every kind takes part.
    const select = (identity: Identity | undefined, entitlement: Entitlement | undefined, credentialId?: string) =>
      entitlement
        ? apps.includes(entitlement.application)
        : credentialId !== undefined
          ? identity?.type === 'service'
          : identity?.type === 'service';
    const expected = whole.filter((s) => {
      const identity = identities.get(s.identityId);
      if (s.entitlementId) return select(identity, entitlements.get(s.entitlementId));
      return select(identity, undefined, s.credentialId);
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(whole.length);
    expect(expected.some((s) => s.credentialId)).toBe(true);
    expect(expected.some((s) => !s.entitlementId && !s.credentialId)).toBe(true);
    const selected = suggest(data, DEFAULT_POLICY, { asOf, select });
    expect(JSON.stringify(selected)).toBe(JSON.stringify(expected));
    const progress: [number, number][] = [];
    const parts = [0, 1, 2].map((index) =>
      suggest(data, DEFAULT_POLICY, { asOf, select, part: { index, of: 3 }, onProgress: (d, t) => progress.push([d, t]) }),
    );
    expect(parts.every((p) => p.length > 0)).toBe(true);
    expect(JSON.stringify(parts.flat())).toBe(JSON.stringify(expected));
    // Each part's total counts the accepted items alone.
    expect(progress.filter(([d, t]) => d === t).reduce((n, [, t]) => n + t, 0)).toBe(expected.length);
  });

  it('computes nothing where nothing is accepted', () => {
    const { data, asOf } = load(47);
    expect(suggest(data, DEFAULT_POLICY, { asOf, select: () => false })).toEqual([]);
  });
});
