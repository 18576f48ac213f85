// The campaign dashboard's figures, computed from the items and the audit log alone.
import { RISK_TIERS, SUGGESTED_ACTIONS, type DecisionClass, type RiskTier, type SuggestedAction } from '../suggest';
import type { AuditEvent } from './types';
import type { ItemState } from './state';
import { itemStanding, standingInputOf } from './counts';

export interface DashboardItem {
  itemId: string;
  riskTier: RiskTier;
  action: SuggestedAction;
  decisionClass: DecisionClass;
  assignedReviewerId?: string;
}

export interface CampaignDashboard {
  byTierAndAction: ({ tier: RiskTier } & Record<SuggestedAction, number>)[];
  /** Decision events per day (UTC), undo events subtracted on the day they happen. */
  decisionsPerDay: { day: string; decisions: number }[];
  perReviewer: { reviewerId: string; name: string; accepted: number; overridden: number; remaining: number }[];
  totals: { items: number; decided: number; pendingApproval: number; escalated: number; open: number; noSuggestion: number };
}

export function campaignDashboard(
  items: readonly DashboardItem[],
  states: ReadonlyMap<string, ItemState>,
  events: readonly AuditEvent[],
  names: ReadonlyMap<string, string>,
): CampaignDashboard {
  const byTier = new Map<RiskTier, Record<SuggestedAction, number>>();
  for (const t of RISK_TIERS) byTier.set(t, Object.fromEntries(SUGGESTED_ACTIONS.map((a) => [a, 0])) as Record<SuggestedAction, number>);
  const perReviewer = new Map<string, { accepted: number; overridden: number; remaining: number }>();
  const reviewerRow = (id: string) => {
    let row = perReviewer.get(id);
    if (!row) perReviewer.set(id, (row = { accepted: 0, overridden: 0, remaining: 0 }));
    return row;
  };
  let decided = 0;
  let pendingApproval = 0;
  let escalated = 0;
  let noSuggestion = 0;
  for (const item of items) {
    byTier.get(item.riskTier)![item.action]++;
    if (item.action === 'none') noSuggestion++;
    const current = states.get(item.itemId)?.current;
    if (!current) {
      if (item.assignedReviewerId) reviewerRow(item.assignedReviewerId).remaining++;
      continue;
    }
    const standing = itemStanding(item.decisionClass, standingInputOf(current));
    if (standing === 'awaiting-approval') pendingApproval++;
    else if (standing === 'escalated') escalated++;
    else decided++;
    const row = reviewerRow(current.reviewer.id);
    if (current.acceptedSuggestion) row.accepted++;
    else row.overridden++;
  }
  const perDay = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'decision' && e.type !== 'undo') continue;
    const day = e.at.slice(0, 10);
    perDay.set(day, (perDay.get(day) ?? 0) + (e.type === 'decision' ? 1 : -1));
  }
  return {
    byTierAndAction: RISK_TIERS.map((tier) => ({ tier, ...byTier.get(tier)! })),
    decisionsPerDay: [...perDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, decisions]) => ({ day, decisions })),
    perReviewer: [...perReviewer.entries()]
      .map(([reviewerId, r]) => ({ reviewerId, name: names.get(reviewerId) ?? reviewerId, ...r }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    totals: {
      items: items.length,
      decided,
      pendingApproval,
      escalated,
      open: items.length - decided - pendingApproval - escalated,
      noSuggestion,
    },
  };
}
