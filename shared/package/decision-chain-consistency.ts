// decisions.json must say what the audit log says: for every item, its decision is the standing (last, not undone)
// decision event of the chain, with the same reviewer, time, rationale, acceptance and step-up approval.
import { isOverride } from '../review';
import { StandingDecisionLog, type ItemDecision } from '../review';
import type { AuditEvent, DecisionAction } from '../review';
import type { SuggestedAction } from '../suggest';
import type { HumanDecision, PackageItem } from './types';

export interface ItemMismatch {
  itemId: string;
  message: string;
}

export function decisionChainMismatches(items: readonly PackageItem[], events: readonly AuditEvent[]): ItemMismatch[] {
  return mismatchesWithStanding(items, standingDecisions(events));
}

/** What decisions.json must say of an item's decision: the log's standing decision, flat (it crosses threads). */
export interface StandingDecision {
  seq: number;
  action: DecisionAction;
  acceptedSuggestion: boolean;
  rationale: string | null;
  reviewerId: string;
  at: string;
  approverId: string | null;
  approvalAt: string | null;
  /** Owner, exception date and escalation (detailKey), '' when the decision has none. */
  detail: string;
}

/** A decision's optional details as one comparable string. */
export function detailKey(d: { ownerId?: string | undefined; keepUntil?: string | undefined; escalatedTo?: string | undefined }): string {
  return d.ownerId === undefined && d.keepUntil === undefined && d.escalatedTo === undefined
    ? ''
    : JSON.stringify([d.ownerId ?? null, d.keepUntil ?? null, d.escalatedTo ?? null]);
}

export function standingDecision(d: ItemDecision | null): StandingDecision | null {
  if (!d) return null;
  return {
    seq: d.seq,
    action: d.action,
    acceptedSuggestion: d.acceptedSuggestion,
    rationale: d.rationale ?? null,
    reviewerId: d.reviewer.id,
    at: d.at,
    approverId: d.approval?.approver.id ?? null,
    approvalAt: d.approval?.at ?? null,
    detail: detailKey(d),
  };
}

/** Each item the log speaks of, with its standing decision (null once every decision about it was undone). */
export function standingDecisions(events: readonly AuditEvent[]): Map<string, StandingDecision | null> {
  const log = new StandingDecisionLog();
  for (const e of events) log.apply(e);
  return standingOf(log);
}

export function standingOf(log: StandingDecisionLog): Map<string, StandingDecision | null> {
  const out = new Map<string, StandingDecision | null>();
  for (const [itemId, d] of log.standing()) out.set(itemId, standingDecision(d));
  return out;
}

/** What the comparison reads of an item of decisions.json (a PackageItem is one). */
export interface ComparedItem {
  itemId: string;
  suggestion: { action: SuggestedAction } | null;
  decision: HumanDecision | null;
}

/**
 * The log's standing decision of each item it speaks of: a Map, or a view over a StandingDecisionLog that makes each
 * on demand (standingLookup).
 */
export interface StandingLookup {
  /** Undefined for an item the log never speaks of; null for one whose every decision was undone. */
  get(itemId: string): StandingDecision | null | undefined;
  /** Every item the log speaks of, in the order it first does. */
  keys(): Iterable<string>;
}

/** The standing decisions of a log, made as they are asked for. */
export function standingLookup(log: StandingDecisionLog): StandingLookup {
  return {
    get(itemId) {
      const d = log.current(itemId);
      return d === undefined ? undefined : standingDecision(d);
    },
    keys: () => log.itemIds(),
  };
}

/** decisionChainMismatches, given the log's standing decisions. */
export function mismatchesWithStanding(items: readonly ComparedItem[], states: StandingLookup): ItemMismatch[] {
  return consistencyFindings(items, states).mismatches;
}

/** What the verifier finds comparing decisions.json with the audit log. */
export interface ConsistencyFindings {
  /** Each item id listed again after its first time in decisions.json, in file order. */
  repeated: string[];
  mismatches: ItemMismatch[];
}

/** Ids listed more than once in decisions.json: each time after the first, in file order. */
export function repeatedItemIds(items: readonly { itemId: string }[]): string[] {
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const item of items) {
    if (seen.has(item.itemId)) repeated.push(item.itemId);
    seen.add(item.itemId);
  }
  return repeated;
}

/** repeatedItemIds and mismatchesWithStanding in one pass. */
export function consistencyFindings(items: Iterable<ComparedItem>, states: StandingLookup): ConsistencyFindings {
  const mismatches: ItemMismatch[] = [];
  const repeated: string[] = [];
  const listed = new Set<string>();
  for (const item of items) {
    if (listed.has(item.itemId)) repeated.push(item.itemId);
    listed.add(item.itemId);
    const standing = states.get(item.itemId) ?? null;
    const message = decisionMismatch(item.decision, standing);
    if (message) mismatches.push({ itemId: item.itemId, message });
    if (item.decision && item.decision.acceptedSuggestion === isOverride(item.suggestion?.action ?? null, item.decision.action)) {
      mismatches.push({
        itemId: item.itemId,
        message: `the decision says the suggestion was ${item.decision.acceptedSuggestion ? '' : 'not '}accepted, but it ${item.decision.acceptedSuggestion ? 'differs from' : 'equals'} the suggested action`,
      });
    }
  }
  for (const itemId of states.keys()) {
    if (listed.has(itemId)) continue;
    const current = states.get(itemId);
    if (current)
      mismatches.push({ itemId, message: `the audit log decides this item (event ${current.seq}) but decisions.json does not list it` });
  }
  return { repeated, mismatches };
}

/**
 * The items as the comparison reads them, as one string (to post to the thread that holds the log): a JSON row per
 * line, so the other thread can compare them a row at a time, never holding them all as objects.
 */
export function packComparedItems(items: readonly ComparedItem[]): string {
  // Joined in blocks: no array of a million row strings at once.
  const blocks: string[] = [];
  const BLOCK = 4096;
  let rows: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const { itemId, suggestion, decision: d } = items[i]!;
    const suggested = suggestion ? suggestion.action : null;
    const detail = d ? detailKey(d) : '';
    const row = d
      ? [
          itemId,
          suggested,
          d.action,
          d.reviewerId,
          d.at,
          d.rationale,
          d.acceptedSuggestion,
          d.approver ? d.approver.id : null,
          d.approver ? d.approver.at : null,
        ]
      : [itemId, suggested];
    if (detail) row.push(detail);
    rows.push(JSON.stringify(row));
    if (rows.length === BLOCK) {
      blocks.push(rows.join('\n'));
      rows = [];
    }
  }
  if (rows.length) blocks.push(rows.join('\n'));
  return blocks.join('\n');
}

type ComparedRow =
  | [string, SuggestedAction | null]
  | [string, SuggestedAction | null, DecisionAction, string, string, string | null, boolean, string | null, string | null, string?];

/** packComparedItems' items, made one at a time as they are iterated (once). */
export function* unpackComparedItems(text: string): Generator<ComparedItem> {
  for (let at = 0; at < text.length;) {
    const end = text.indexOf('\n', at);
    const line = text.slice(at, end < 0 ? text.length : end);
    at = end < 0 ? text.length : end + 1;
    yield comparedItemOf(JSON.parse(line) as ComparedRow);
  }
}

function comparedItemOf(r: ComparedRow): ComparedItem {
  return {
    itemId: r[0],
    suggestion: r[1] === null ? null : { action: r[1] },
    decision:
      r.length === 2
        ? null
        : {
            action: r[2],
            reviewerId: r[3],
            at: r[4],
            rationale: r[5],
            acceptedSuggestion: r[6],
            approver: r[7] === null ? null : { id: r[7], at: r[8]! },
            ...detailOf(r[9]),
          },
  };
}

function detailOf(key: string | undefined): Pick<HumanDecision, 'ownerId' | 'keepUntil' | 'escalatedTo'> {
  if (!key) return {};
  const [ownerId, keepUntil, escalatedTo] = JSON.parse(key) as [string | null, string | null, string | null];
  return {
    ...(ownerId !== null ? { ownerId } : {}),
    ...(keepUntil !== null ? { keepUntil } : {}),
    ...(escalatedTo !== null ? { escalatedTo } : {}),
  };
}

function decisionMismatch(decision: HumanDecision | null, standing: StandingDecision | null): string | null {
  if (!decision && !standing) return null;
  if (!decision)
    return `decisions.json has no decision, but the audit log's standing decision is ${standing!.action} (event ${standing!.seq})`;
  if (!standing) return `decisions.json holds a decision (${decision.action}) that the audit log does not`;
  const rationale = decision.rationale ?? null;
  const approverId = decision.approver?.id ?? null;
  const approvalAt = decision.approver?.at ?? null;
  const detail = detailKey(decision);
  // The common case, every field equal, allocates nothing.
  if (
    decision.action === standing.action &&
    decision.reviewerId === standing.reviewerId &&
    decision.at === standing.at &&
    rationale === standing.rationale &&
    decision.acceptedSuggestion === standing.acceptedSuggestion &&
    approverId === standing.approverId &&
    approvalAt === standing.approvalAt &&
    detail === standing.detail
  ) {
    return null;
  }
  const differences: string[] = [];
  const compare = (field: string, inFile: unknown, inLog: unknown) => {
    if (inFile !== inLog) differences.push(`${field} ${JSON.stringify(inFile)} ≠ ${JSON.stringify(inLog)}`);
  };
  compare('action', decision.action, standing.action);
  compare('reviewer', decision.reviewerId, standing.reviewerId);
  compare('time', decision.at, standing.at);
  compare('rationale', rationale, standing.rationale);
  compare('acceptedSuggestion', decision.acceptedSuggestion, standing.acceptedSuggestion);
  compare('approver', approverId, standing.approverId);
  compare('approval time', approvalAt, standing.approvalAt);
  compare('owner / exception / escalation', detail, standing.detail);
  return `the decision differs from the audit log's standing decision (event ${standing.seq}): ${differences.join('; ')}`;
}
