// An item's standing and a campaign's counts: ONE definition, used by the review header, the export screen, the
// dashboard, the package builder and the verifier. A can't-decide is an escalation, never a decision.
import type { DecisionClass } from '../suggest';
import { requiresApproval } from './rules';
import type { DecisionAction } from './types';

export type ItemStanding = 'open' | 'escalated' | 'awaiting-approval' | 'decided';

/** What the standing needs of an item's current decision (an ItemDecision or a package's HumanDecision fit). */
export interface StandingInput {
  action: DecisionAction;
  /** True when a second person approved the decision. */
  approved: boolean;
}

/**
 * open: no standing decision (never decided, undone, or sent back); escalated: can't-decide, waiting for the person it
 * went to; awaiting-approval: decided, the policy wants a second person who has not approved yet; decided: final.
 */
export function itemStanding(decisionClass: DecisionClass | null | undefined, current: StandingInput | null | undefined): ItemStanding {
  if (!current) return 'open';
  if (current.action === 'cant-decide') return 'escalated';
  if (requiresApproval(decisionClass) && !current.approved) return 'awaiting-approval';
  return 'decided';
}

export interface CampaignCounts {
  items: number;
  /** Final decisions only (approved where the policy wants a second person). */
  decided: number;
  /** No standing decision. */
  open: number;
  escalated: number;
  awaitingApproval: number;
  /** Everything not final: open + escalated + awaitingApproval. */
  undecided: number;
  /** Whole percent of items decided (rounded down: 100 only when every item is). */
  percentDecided: number;
}

/** The counts of a campaign: `standingOf` gives each item's standing decision (undefined / null: none). */
export function campaignCounts<T>(
  items: Iterable<T>,
  decisionClassOf: (item: T) => DecisionClass | null | undefined,
  currentOf: (item: T) => StandingInput | null | undefined,
): CampaignCounts {
  const c: CampaignCounts = { items: 0, decided: 0, open: 0, escalated: 0, awaitingApproval: 0, undecided: 0, percentDecided: 0 };
  for (const item of items) {
    c.items++;
    const s = itemStanding(decisionClassOf(item), currentOf(item));
    if (s === 'decided') c.decided++;
    else if (s === 'open') c.open++;
    else if (s === 'escalated') c.escalated++;
    else c.awaitingApproval++;
  }
  c.undecided = c.items - c.decided;
  c.percentDecided = c.items ? Math.floor((100 * c.decided) / c.items) : 0;
  return c;
}

/** An ItemDecision (review/state) as the standing reads it. */
export function standingInputOf(d: { action: DecisionAction; approval?: unknown } | null | undefined): StandingInput | null {
  return d ? { action: d.action, approved: d.approval !== undefined && d.approval !== null } : null;
}
