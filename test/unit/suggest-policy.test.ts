import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../shared/codec/digest';
import { DEFAULT_POLICY, parsePolicy, policyDigest, stricterDecisionClass, type Policy } from '../../shared/suggest';

function errorsOf(input: unknown): string[] {
  const r = parsePolicy(input);
  if (r.ok) throw new Error('expected the policy to be rejected');
  return r.errors;
}

describe('parsePolicy', () => {
  it('accepts the default policy unchanged', () => {
    const r = parsePolicy(JSON.parse(JSON.stringify(DEFAULT_POLICY)));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.policy).toEqual(DEFAULT_POLICY);
  });

  it('fills every omitted section and field from the defaults, so a minimal file has the default digest', () => {
    const r = parsePolicy('{"schema":"arw-policy","version":1}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy).toEqual(DEFAULT_POLICY);
    expect(policyDigest(r.policy)).toBe(policyDigest(DEFAULT_POLICY));
  });

  it('keeps a changed field and defaults its siblings', () => {
    const r = parsePolicy({ schema: 'arw-policy', version: 1, unusedAccess: { windowDays: 45 }, nonHuman: { rotationDays: 30 } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.unusedAccess.windowDays).toBe(45);
    expect(r.policy.unusedAccess.graceDays).toBe(DEFAULT_POLICY.unusedAccess.graceDays);
    expect(r.policy.nonHuman.rotationDays).toBe(30);
    expect(r.policy.nonHuman.unusedCredentialDays).toBe(DEFAULT_POLICY.nonHuman.unusedCredentialDays);
  });

  it('names the field of each error', () => {
    const errors = errorsOf({ schema: 'arw-policy', version: 1, unusedAccess: { windowDays: '90' }, peerOutlier: { rareShare: 1.5 } });
    expect(errors.some((e) => e.startsWith('unusedAccess.windowDays:'))).toBe(true);
    expect(errors.some((e) => e.startsWith('peerOutlier.rareShare:'))).toBe(true);
  });

  it('rejects unknown keys (typos) and names them', () => {
    const errors = errorsOf({ schema: 'arw-policy', version: 1, peerOutlier: { rareshare: 0.2 } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^peerOutlier: .*rareshare/);
  });

  it('rejects a rare share that is not below the common share', () => {
    expect(errorsOf({ schema: 'arw-policy', version: 1, peerOutlier: { rareShare: 0.8, commonShare: 0.7 } })).toContain(
      'peerOutlier.rareShare: rareShare must be below commonShare',
    );
  });

  it('names the index inside lists', () => {
    const errors = errorsOf({ schema: 'arw-policy', version: 1, separationOfDuties: { pairs: [{ id: 'x', a: 'one' }] } });
    expect(errors.some((e) => e.startsWith('separationOfDuties.pairs[0].b:'))).toBe(true);
  });

  it('rejects duplicate toxic-pair ids, bad decision classes, a wrong schema or version, and broken JSON', () => {
    const pair = { id: 'same', a: 'a', b: 'b' };
    expect(errorsOf({ schema: 'arw-policy', version: 1, separationOfDuties: { pairs: [pair, pair] } })).toContain(
      'separationOfDuties.pairs: pair ids must be unique',
    );
    expect(
      errorsOf({ schema: 'arw-policy', version: 1, decisionClasses: { high: 'rubber-stamp' } }).some((e) =>
        e.startsWith('decisionClasses.high:'),
      ),
    ).toBe(true);
    expect(errorsOf({ schema: 'other', version: 1 }).some((e) => e.startsWith('schema:'))).toBe(true);
    expect(errorsOf({ schema: 'arw-policy', version: 2 }).some((e) => e.startsWith('version:'))).toBe(true);
    expect(errorsOf('{"schema":')[0]).toMatch(/not valid JSON/);
  });

  it('has the drift threshold of the brief: 20 accepts in a row under 3 s', () => {
    expect(DEFAULT_POLICY.drift).toEqual({ fastAcceptStreak: 20, fastAcceptSeconds: 3 });
  });
});

describe('policyDigest', () => {
  it('is the SHA-256 of the canonical JSON, independent of key order', () => {
    const reordered = JSON.parse(JSON.stringify(DEFAULT_POLICY, Object.keys(DEFAULT_POLICY).reverse())) as Policy;
    expect(policyDigest(DEFAULT_POLICY)).toBe(`sha256:${sha256Hex(canonicalJson(DEFAULT_POLICY))}`);
    const r = parsePolicy(reordered);
    expect(r.ok && policyDigest(r.policy)).toBe(policyDigest(DEFAULT_POLICY));
  });

  it('changes when any threshold changes', () => {
    const changed: Policy = { ...DEFAULT_POLICY, peerOutlier: { ...DEFAULT_POLICY.peerOutlier, minPeers: 6 } };
    expect(policyDigest(changed)).not.toBe(policyDigest(DEFAULT_POLICY));
  });
});

describe('stricterDecisionClass', () => {
  it('orders suggest < step-up < never-delegate', () => {
    expect(stricterDecisionClass('suggest', 'step-up')).toBe('step-up');
    expect(stricterDecisionClass('never-delegate', 'step-up')).toBe('never-delegate');
    expect(stricterDecisionClass('suggest', 'suggest')).toBe('suggest');
  });
});

describe('policies/default-policy.json', () => {
  it('is the engine default, valid, with the same digest', async () => {
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const text = readFileSync(resolve(import.meta.dirname, '../../policies/default-policy.json'), 'utf8');
    const r = parsePolicy(text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(policyDigest(r.policy)).toBe(policyDigest(DEFAULT_POLICY));
  });
});
