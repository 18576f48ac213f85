// A campaign started from the last certification (#21): the baseline package is verified here, in the backend worker, with
// this machine's trust list; its decisions become BaselineItems and are compared with the new campaign's items.
import { reviewItems, type PackageItem, type TrustedKey, type VerifyReport } from '../../shared/package';
import { sha256Hex } from '../../shared/codec';
import {
  baselineChangesOf,
  bulkConfirmEligible,
  compareWithBaseline,
  needsFreshReview,
  reviewLoad,
  type BaselineComparison,
  type BaselineItem,
  type BaselineLink,
  type ChangeKind,
  type ComparableItem,
} from '../../shared/review';
import type { Snapshot } from '../../shared/model';
import type { Suggestion } from '../../shared/suggest';
import type { CampaignBaseline, CarriedItem } from '../db';

export type BaselineScope = BaselineLink['scope'];

/** A verified baseline: its link (the scope is the new campaign's choice) and its items with their decisions. */
export interface VerifiedBaseline {
  link: Omit<BaselineLink, 'scope'>;
  items: BaselineItem[];
}

/** What the creation form shows before anything is created. */
export interface BaselinePreview {
  link: Omit<BaselineLink, 'scope'>;
  counts: Record<ChangeKind, number>;
  /** Items in the campaign with each scope option. */
  items: Record<BaselineScope, number>;
  load: ReturnType<typeof reviewLoad>;
}

/**
 * Verifies the package and reads its decisions, or throws saying why it cannot be a baseline: only a package that
 * verifies as VALID, every signature by a key this machine trusts, can be one.
 */
export async function verifiedBaseline(
  bytes: Uint8Array,
  trustedKeys: TrustedKey[],
  verify: (bytes: Uint8Array, keys: TrustedKey[]) => Promise<VerifyReport>,
): Promise<VerifiedBaseline> {
  const packageDigest = `sha256:${sha256Hex(bytes)}`;
  // The verifier may read from the bytes while it works: it gets its own copy.
  const report = await verify(bytes.slice(), trustedKeys);
  if (report.verdict !== 'valid') {
    const why =
      report.verdict === 'incomplete'
        ? `${report.undecidedCount} item(s) have no final decision`
        : report.reasons.map((r) => r.message).join('; ');
    throw new Error(`the package does not verify (${report.verdict.toUpperCase()}): ${why || 'no reason given'}`);
  }
  const untrusted = report.signers.filter((s) => !s.pinned);
  if (untrusted.length)
    throw new Error(
      `signed by a key this machine does not trust (${untrusted.map((s) => `${s.reviewerId ?? s.keyid} ${s.fingerprint ?? ''}`.trim()).join(', ')}): pin the signer's key in Settings first`,
    );
  const statement = report.statement;
  if (!statement || !report.statementDigest) throw new Error('the package has no readable certification statement');
  return {
    link: {
      packageDigest,
      statementDigest: report.statementDigest,
      campaignId: statement.predicate.campaign.id,
      campaignName: statement.predicate.campaign.name,
      certifiedAt: statement.predicate.period.to,
    },
    items: report.decisions.map(baselineItem),
  };
}

function baselineItem(p: PackageItem): BaselineItem {
  const d = p.decision;
  return {
    itemId: p.itemId,
    identity: p.identity,
    target: p.target,
    suggestion: p.suggestion,
    decision: d
      ? {
          action: d.action,
          reviewerId: d.reviewerId,
          at: d.at,
          rationale: d.rationale,
          ...(d.keepUntil ? { keepUntil: d.keepUntil } : {}),
          approver: d.approver,
        }
      : null,
  };
}

/** The campaign's items as a package lists them, so the same grant compares equal. */
export function comparableItems(snapshot: SnapshotRecords, suggestions: readonly Suggestion[]): ComparableItem[] {
  // reviewItems reads the records (identities, entitlements, credentials), never the assignments.
  return reviewItems({ ...snapshot, assignments: [] }, suggestions);
}

/** A snapshot's records: what the comparison reads (a columnar snapshot, its assignments left as columns, is one). */
export type SnapshotRecords = Omit<Snapshot, 'assignments'>;

export function compareCampaign(
  baseline: VerifiedBaseline,
  snapshot: SnapshotRecords,
  inCampaign: readonly Suggestion[],
  asOf: string,
): BaselineComparison {
  return compareWithBaseline(baseline.items, comparableItems(snapshot, inCampaign), { asOf: Date.parse(`${asOf}T00:00:00Z`) });
}

export function previewOf(baseline: VerifiedBaseline, comparison: BaselineComparison): BaselinePreview {
  const kept = comparison.items.filter(needsFreshReview).length;
  const all = comparison.items.length - comparison.counts.removed;
  return { link: baseline.link, counts: { ...comparison.counts }, items: { all, 'changed-and-high': kept }, load: reviewLoad(comparison) };
}

/** The item ids a campaign with this scope option covers. */
export function keptItemIds(comparison: BaselineComparison, scope: BaselineScope): string[] | null {
  if (scope === 'all') return null;
  return comparison.items.filter(needsFreshReview).map((e) => e.itemId);
}

/** What the campaign keeps of the comparison: the link, the rows for the package and report, and per item what review shows. */
export function campaignBaseline(comparison: BaselineComparison, link: BaselineLink, kept: ReadonlySet<string> | null): CampaignBaseline {
  const items: CarriedItem[] = [];
  for (const e of comparison.items) {
    if (e.kind === 'removed' || (kept && !kept.has(e.itemId))) continue;
    items.push({
      itemId: e.itemId,
      kind: e.kind,
      prior: e.baseline?.decision ?? null,
      changes: e.changes,
      reason: e.reason,
      bulk: bulkConfirmEligible(e),
    });
  }
  return { link, changes: baselineChangesOf(comparison, link), items };
}
