// Decision rules: what a reviewer must give for a decision to stand, who may approve it, which actions apply.
// Pure functions, used alike by the review screen, the merge of decision sets and the verifier (docs/review-rules.md).
import type { DecisionClass, RiskTier, SuggestedAction } from '../suggest';
import { rationaleProblem, sameRationale, type RationaleItemContext } from './rationale';
import { REASON_CATEGORIES, type DecisionAction, type ReasonCategory, type ReviewerRef } from './types';

export { PASTED_RATIONALE_LIMIT } from './rationale';

export function isOverride(suggested: SuggestedAction | null, chosen: DecisionAction): boolean {
  return suggested === null || suggested !== chosen;
}

/** Every class above "suggest" needs a second person; "never-delegate" is the stricter (critical by default). */
export function requiresApproval(decisionClass: DecisionClass | null | undefined): boolean {
  return decisionClass === 'step-up' || decisionClass === 'never-delegate';
}

/** A rationale is required for an override, a can't-decide, a time-bound exception and every never-delegate decision. */
export function rationaleRequired(ctx: {
  suggested: SuggestedAction | null;
  chosen: DecisionAction;
  decisionClass: DecisionClass | null;
  keepUntil?: string | undefined;
}): boolean {
  return (
    isOverride(ctx.suggested, ctx.chosen) ||
    ctx.decisionClass === 'never-delegate' ||
    ctx.chosen === 'cant-decide' ||
    ctx.keepUntil !== undefined
  );
}

export interface RationaleContext {
  suggested: SuggestedAction | null;
  chosen: DecisionAction;
  decisionClass: DecisionClass | null;
  /** How many times this reviewer already used exactly this rationale in this campaign (legacy; prefer recentRationales). */
  sameTextCount?: number;
  recentRationales?: readonly string[];
  item?: RationaleItemContext;
  keepUntil?: string;
}

/** Null when the rationale is acceptable for this decision (or none is needed and none was given). */
export function checkRationale(text: string, ctx: RationaleContext): string | null {
  const t = text.trim();
  if (!t) {
    if (!rationaleRequired(ctx)) return null;
    if (ctx.chosen === 'cant-decide') return 'Say what is missing to decide, so the escalation can be answered.';
    if (ctx.keepUntil !== undefined) return 'A time-bound exception needs a rationale: say why the access must stay until then.';
    if (isOverride(ctx.suggested, ctx.chosen)) return 'An override needs a rationale: say why the suggestion is wrong for this item.';
    return `This item is ${ctx.decisionClass}: a rationale is always required.`;
  }
  const recent = [...(ctx.recentRationales ?? [])];
  if (ctx.sameTextCount) for (let i = 0; i < ctx.sameTextCount; i++) recent.push(t);
  return rationaleProblem(t, {
    action: ctx.chosen,
    decisionClass: ctx.decisionClass,
    recentRationales: recent,
    ...(ctx.item ? { item: ctx.item } : {}),
  });
}

// ---------------------------------------------------------------- applicable actions

export type ItemKind = 'entitlement' | 'credential' | 'identity';

/** The kind of a review item, from its id (see model: assignmentItemId, credentialItemId, identityItemId). */
export function itemKind(itemId: string): ItemKind {
  return itemId.startsWith('c:') ? 'credential' : itemId.startsWith('i:') ? 'identity' : 'entitlement';
}

export interface ActionItem {
  itemId: string;
  /** The identity's class (owners are for non-human identities). */
  identityType?: string;
  suggested?: SuggestedAction | null;
}

const ACTIONS_BY_KIND: Record<ItemKind, DecisionAction[]> = {
  // A grant (group membership, role, permission): kept, removed or narrowed; never rotated.
  entitlement: ['keep', 'revoke', 'reduce', 'cant-decide'],
  // A key, secret or certificate: kept, rotated or revoked.
  credential: ['keep', 'rotate', 'revoke', 'cant-decide'],
  // The identity itself: kept, its login disabled, removed, or (non-human) given an accountable owner.
  identity: ['keep', 'disable-login', 'assign-owner', 'revoke', 'cant-decide'],
};

/** Only the actions that apply to the item, in display order; the suggested action is always among them. */
export function applicableActions(item: ActionItem): DecisionAction[] {
  const kind = itemKind(item.itemId);
  let actions = ACTIONS_BY_KIND[kind];
  if (kind === 'identity' && item.identityType === 'human') actions = actions.filter((a) => a !== 'assign-owner');
  if (item.suggested && item.suggested !== 'none' && !actions.includes(item.suggested)) actions = [item.suggested, ...actions];
  return [...actions];
}

// ---------------------------------------------------------------- recording a decision

export interface DecisionDraftInput {
  action: DecisionAction;
  rationale: string;
  reasonCategory?: ReasonCategory | undefined;
  /** assign-owner: the owner chosen (identity id). */
  ownerId?: string | undefined;
  /** keep as a time-bound exception: YYYY-MM-DD. */
  keepUntil?: string | undefined;
  /** cant-decide: the person it goes to (escalationTarget). */
  escalatedTo?: string | undefined;
}

export interface DecisionContext {
  item: ActionItem & RationaleItemContext;
  suggested: SuggestedAction | null;
  decisionClass: DecisionClass | null;
  actor: ReviewerRef;
  /** The item's standing decision, if any (an escalated item is decided only by the person it went to). */
  current?: { action: DecisionAction; escalatedTo?: string | undefined; reviewer: ReviewerRef } | null;
  recentRationales?: readonly string[];
  /** Today, YYYY-MM-DD (a time-bound exception must end after it). */
  today?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Null when the decision may be recorded; else why not, in words. */
export function decisionProblem(draft: DecisionDraftInput, ctx: DecisionContext): string | null {
  if (!applicableActions({ ...ctx.item, suggested: ctx.suggested }).includes(draft.action))
    return `"${draft.action}" does not apply to this item.`;
  if (
    ctx.current?.action === 'cant-decide' &&
    ctx.current.escalatedTo &&
    ctx.current.escalatedTo !== ctx.actor.id &&
    ctx.current.reviewer.id !== ctx.actor.id
  ) {
    return `This item is escalated to ${ctx.current.escalatedTo}: only they decide it now.`;
  }
  if (draft.reasonCategory !== undefined && !REASON_CATEGORIES.includes(draft.reasonCategory))
    return `"${String(draft.reasonCategory)}" is not a reason category.`;
  if (draft.action === 'assign-owner' && !draft.ownerId?.trim()) return 'Choose the owner to assign.';
  if (draft.action === 'cant-decide' && !draft.escalatedTo)
    return "A can't-decide goes to a named person: the campaign has no owner or fallback reviewer to escalate to.";
  if (draft.action === 'cant-decide' && draft.escalatedTo === ctx.actor.id) return 'You cannot escalate an item to yourself.';
  if (draft.keepUntil !== undefined) {
    if (draft.action !== 'keep') return 'Only a keep can be a time-bound exception.';
    if (!ISO_DATE.test(draft.keepUntil) || Number.isNaN(Date.parse(`${draft.keepUntil}T00:00:00Z`)))
      return 'Give the date until which the access is kept (YYYY-MM-DD).';
    if (ctx.today && draft.keepUntil <= ctx.today) return 'The exception must end after today.';
  }
  const problem = checkRationale(draft.rationale, {
    suggested: ctx.suggested,
    chosen: draft.action,
    decisionClass: ctx.decisionClass,
    ...(ctx.recentRationales ? { recentRationales: ctx.recentRationales } : {}),
    item: ctx.item,
    ...(draft.keepUntil !== undefined ? { keepUntil: draft.keepUntil } : {}),
  });
  if (problem) return problem;
  if (
    draft.rationale.trim() &&
    rationaleRequired({ suggested: ctx.suggested, chosen: draft.action, decisionClass: ctx.decisionClass, keepUntil: draft.keepUntil }) &&
    !draft.reasonCategory
  ) {
    return 'Choose a reason category for the rationale.';
  }
  return null;
}

/** Who a can't-decide goes to: the campaign owner, else the policy's fallback reviewer (never the reviewer themself). */
export function escalationTarget(
  reviewerId: string,
  campaign: { ownerId?: string | null; fallbackReviewerId?: string | null },
): string | null {
  for (const id of [campaign.ownerId, campaign.fallbackReviewerId]) if (id && id !== reviewerId) return id;
  return null;
}

// ---------------------------------------------------------------- approval and reject

/**
 * Why two people cannot be reviewer and approver of one decision: the same person, or the same key (one key acting as
 * two people). The one self-approval rule: the review screen, the work packages, the merge and the verifier call it.
 */
export function sameActorProblem(
  decider: { id: string; keyFingerprint: string },
  approver: { id: string; keyFingerprint: string },
): string | null {
  if (decider.id === approver.id)
    return `self-approval: ${approver.id} cannot approve their own decision; a second, different person must approve`;
  if (decider.keyFingerprint === approver.keyFingerprint)
    return `one key acting as two people: ${approver.id} would approve with the key ${approver.keyFingerprint} that made ${decider.id}'s decision`;
  return null;
}

export interface ApprovalInput {
  decision: { reviewer: { id: string; keyFingerprint: string }; action: DecisionAction };
  approver: { id: string; keyFingerprint: string };
  decisionClass: DecisionClass | null;
  /** The approver's own rationale (required on never-delegate items). */
  rationale?: string;
  reasonCategory?: ReasonCategory;
  recentRationales?: readonly string[];
  item?: RationaleItemContext;
}

/** Null when the approver may approve this decision; else why not. */
export function approvalProblem(input: ApprovalInput): string | null {
  if (input.decision.action === 'cant-decide') return "A can't-decide is not a decision to approve: decide the item instead.";
  if (!requiresApproval(input.decisionClass)) return 'This item needs no approval.';
  const same = sameActorProblem(input.decision.reviewer, input.approver);
  if (same) return same;
  const text = input.rationale?.trim() ?? '';
  if (input.decisionClass === 'never-delegate' && !text) return 'This item is never-delegate: the approver gives their own rationale.';
  if (text) {
    const problem = rationaleProblem(text, {
      decisionClass: input.decisionClass,
      action: input.decision.action,
      ...(input.recentRationales ? { recentRationales: input.recentRationales } : {}),
      ...(input.item ? { item: input.item } : {}),
    });
    if (problem) return problem;
  }
  return null;
}

/** Null when the approver may send the decision back with this reason. */
export function rejectProblem(input: {
  decision: { reviewer: { id: string; keyFingerprint: string } };
  approver: { id: string; keyFingerprint: string };
  reason: string;
}): string | null {
  const same = sameActorProblem(input.decision.reviewer, input.approver);
  if (same) return same.replace('approve their own decision', 'send back their own decision');
  if (!input.reason.trim()) return 'Say why the decision goes back to the reviewer.';
  return rationaleProblem(input.reason);
}

/** Only the person who recorded a decision undoes it (an undo is a new event, never an erase). */
export function undoProblem(current: { reviewer: { id: string; name?: string } } | null | undefined, actor: { id: string }): string | null {
  if (!current) return 'There is no decision to undo.';
  if (current.reviewer.id !== actor.id) return `Only ${current.reviewer.name ?? current.reviewer.id} can undo their own decision.`;
  return null;
}

// ---------------------------------------------------------------- bulk and drift

/**
 * Whether an open item may be accepted in bulk: only where the policy's decision class for it is "suggest" (one
 * person, no rationale for an accept) and there is a suggestion to accept. Tiers the policy puts above "suggest"
 * (high and critical by default) never are.
 */
export function bulkEligible(item: { decisionClass: DecisionClass | null; suggested: SuggestedAction | null; decided: boolean }): boolean {
  return !item.decided && item.suggested !== null && item.suggested !== 'none' && item.decisionClass === 'suggest';
}

/** A fast accept, as the policy's drift rule counts it. */
export function isFastAccept(accepted: boolean, secondsOnScreen: number | undefined, drift: { fastAcceptSeconds: number }): boolean {
  return accepted && typeof secondsOnScreen === 'number' && secondsOnScreen < drift.fastAcceptSeconds;
}

/** The streak after one more decision, and whether it just reached the policy's warning threshold. */
export function nextFastStreak(streak: number, fast: boolean, drift: { fastAcceptStreak: number }): { streak: number; warn: boolean } {
  const next = fast ? streak + 1 : 0;
  return { streak: next, warn: next === drift.fastAcceptStreak };
}

// ---------------------------------------------------------------- keyboard order

/**
 * The position of the next undecided item after `fromIndex` in the view's own order (the ids as the view lists
 * them, whatever its filter, sort and grouping); it wraps round to the start, and is -1 when every item is decided.
 * `fromIndex` itself is looked at last (it may still be undecided, e.g. after a failed save).
 */
export function nextUndecided(
  orderedItemIds: ArrayLike<string>,
  isDecided: (itemId: string) => boolean,
  fromIndex: number,
  options: { wrap?: boolean } = {},
): number {
  const n = orderedItemIds.length;
  const wrap = options.wrap ?? true;
  for (let step = 1; step <= n; step++) {
    const i = fromIndex + step;
    if (!wrap && i >= n) return -1;
    const at = ((i % n) + n) % n;
    if (!isDecided(orderedItemIds[at]!)) return at;
  }
  return -1;
}

/** Tiers in order of risk (for filters and reports). */
export const TIER_ORDER: readonly RiskTier[] = ['low', 'medium', 'high', 'critical'];

/** Reason categories a rationale may carry, for the UI's select. */
export { REASON_CATEGORIES };

/** The same text as one of the reviewer's recent rationales (near-duplicates too). */
export function reusedRationale(text: string, recent: readonly string[]): boolean {
  return recent.some((r) => sameRationale(text, r));
}
