// A campaign's baseline (#21, the app side): the last certification package is verified with the trust list
// before it can be one (an altered or untrusted package is refused, saying why), its link names the package and its
// statement by digest, and what the campaign keeps follows the scope option.
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../shared/codec';
import { MANIFEST_FILE, verifyPackage, type TrustedKey } from '../../shared/package';
import { EVERYTHING, inScope, type CampaignScope } from '../../shared/review';
import type { Suggestion } from '../../shared/suggest';
import { campaignBaseline, keptItemIds, verifiedBaseline, type VerifiedBaseline } from '../../renderer/backend/campaign-baseline';
import { compareWithBaseline, type ComparableItem } from '../../shared/review';
import { bytesOf, entriesOf, replaceEntry, rezip, samplePackage, text, type SamplePackage } from '../fixtures/packages/package-kit';

const verify = (bytes: Uint8Array, keys: TrustedKey[]) => verifyPackage(bytes, { trustedKeys: keys });
let sample: SamplePackage;
let baseline: VerifiedBaseline;

beforeAll(async () => {
  sample = await samplePackage({ items: 24, seed: 21 });
  baseline = await verifiedBaseline(sample.built.bytes, sample.trustedKeys, verify);
});

describe('a baseline package', () => {
  it('is linked by the digest of its bytes and of its statement, with its decisions as the prior ones', () => {
    expect(baseline.link).toEqual({
      packageDigest: `sha256:${sha256Hex(sample.built.bytes)}`,
      statementDigest: `sha256:${sha256Hex(sample.built.files[MANIFEST_FILE]!)}`,
      campaignId: sample.input.campaign.id,
      campaignName: sample.input.campaign.name,
      certifiedAt: sample.built.manifest.predicate.period.to,
    });
    expect(baseline.items).toHaveLength(24);
    const first = sample.input.items[0]!;
    const read = baseline.items.find((i) => i.itemId === first.itemId)!;
    expect(read.decision).toMatchObject({
      action: first.decision!.action,
      reviewerId: first.decision!.reviewerId,
      at: first.decision!.at,
      rationale: first.decision!.rationale,
    });
  });

  it('is refused when a byte of decisions.json changed, naming the verdict', async () => {
    const entries = await entriesOf(sample.built.bytes);
    const decisions = text(entries.find((e) => e.name === 'decisions.json')!.bytes).replace('"keep"', '"kee p"');
    const altered = await rezip(replaceEntry(entries, 'decisions.json', bytesOf(decisions)));
    await expect(verifiedBaseline(altered, sample.trustedKeys, verify)).rejects.toThrow(/does not verify \(INVALID\).*decisions\.json/);
  });

  it('is refused when this machine trusts none of its signers (a valid package signed by anybody is no baseline)', async () => {
    await expect(verifiedBaseline(sample.built.bytes, [], verify)).rejects.toThrow(
      /does not verify \(INVALID\): signer "alice-2026" .* is not in the trust list/,
    );
    await expect(verifiedBaseline(sample.built.bytes, sample.trustedKeys.slice(0, 1), verify)).rejects.toThrow(
      /signer "bob-2026" .* is not in the trust list/,
    );
    // Even where a verification pinned nothing (valid, with warnings), an unpinned signer is refused.
    await expect(verifiedBaseline(sample.built.bytes, sample.trustedKeys, (b) => verifyPackage(b))).rejects.toThrow(
      /signed by a key this machine does not trust \(alice/,
    );
  });

  it('is refused when it is not a package at all', async () => {
    await expect(verifiedBaseline(bytesOf('not a zip'), sample.trustedKeys, verify)).rejects.toThrow(/does not verify/);
  });
});

describe('what a campaign keeps of the comparison', () => {
  const current = (): ComparableItem[] => baseline.items.map(({ decision: _d, ...item }) => item);

  it('with "everything": every current item, none of the removed ones, the link with its scope', () => {
    const items = current();
    const gone = items.pop()!;
    const comparison = compareWithBaseline(baseline.items, items, { asOf: Date.parse('2026-12-01T00:00:00Z') });
    expect(keptItemIds(comparison, 'all')).toBeNull();
    const kept = campaignBaseline(comparison, { ...baseline.link, scope: 'all' }, null);
    expect(kept.items.map((i) => i.itemId)).toEqual(items.map((i) => i.itemId));
    expect(kept.changes.rows.find((r) => r.itemId === gone.itemId)?.kind).toBe('removed');
    expect(kept.changes.link.scope).toBe('all');
    // Only a keep carries; every other prior decision on a grant still there needs a fresh look.
    for (const i of kept.items) expect(i.kind === 'unchanged').toBe(i.prior?.action === 'keep' && !i.prior.keepUntil);
  });

  it('with "changed or new, plus every high and critical": only those items, and the scope admits exactly them', () => {
    const comparison = compareWithBaseline(baseline.items, current(), { asOf: Date.parse('2026-12-01T00:00:00Z') });
    const ids = keptItemIds(comparison, 'changed-and-high')!;
    const expected = comparison.items
      .filter((e) => e.kind !== 'unchanged' || ['high', 'critical'].includes(e.current?.suggestion?.riskTier ?? ''))
      .map((e) => e.itemId);
    expect(ids).toEqual(expected);
    expect(ids.length).toBeLessThan(comparison.items.length);
    const kept = campaignBaseline(comparison, { ...baseline.link, scope: 'changed-and-high' }, new Set(ids));
    expect(kept.items.map((i) => i.itemId)).toEqual(ids);
    // All comparison rows stay with the campaign for the record, whatever the scope.
    expect(kept.changes.rows).toHaveLength(comparison.items.length);
    const scope: CampaignScope = { ...EVERYTHING, itemIds: ids };
    const s = (itemId: string) => ({ itemId, identityId: 'x' }) as Suggestion;
    expect(comparison.items.map((e) => inScope(scope, s(e.itemId), { specialAccount: true } as never, undefined))).toEqual(
      comparison.items.map((e) => ids.includes(e.itemId)),
    );
  });
});
