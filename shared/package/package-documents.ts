// The JSON documents of a package, read from untrusted bytes: parsed, shape-checked, with problems in words.
import { IDENTITY_STATUSES, IDENTITY_TYPES, PRIVILEGES } from '../model';
import { fromUtf8, Utf8Lines } from '../codec';
import { DECISION_ACTIONS } from '../review';
import { DECISION_CLASSES, RISK_TIERS, SUGGESTED_ACTIONS } from '../suggest';
import { isInstant, shapeProblem, type Shape } from './document-shapes';
import { DECISIONS_SCHEMA, PREDICATE_TYPE, STATEMENT_TYPE } from './package-layout';
import { decisionsHead } from './decisions-file';
import { CARRIED_DECISION_SHAPE, LINK_SHAPE } from './baseline-link';
import type { DecisionsDocument, PackageItem, Statement } from './types';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

export const MAX_PROBLEMS_PER_FILE = 20;

export function readJson(bytes: Uint8Array, file: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(fromUtf8(bytes)) };
  } catch (error) {
    return { ok: false, problems: [`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
}

function readShaped<T>(bytes: Uint8Array, file: string, shape: Shape): Parsed<T> {
  const json = readJson(bytes, file);
  if (!json.ok) return json;
  const problem = shapeProblem(json.value, shape, file);
  return problem ? { ok: false, problems: [problem] } : { ok: true, value: json.value as T };
}

const STATEMENT_SHAPE: Shape = {
  object: {
    _type: { oneOf: [STATEMENT_TYPE] },
    subject: { array: { object: { name: 'string', digest: { object: { sha256: 'string' } } } } },
    predicateType: { oneOf: [PREDICATE_TYPE] },
    predicate: {
      object: {
        formatVersion: { oneOf: [1] },
        campaign: { object: { id: 'string', name: 'string', scope: 'string', createdAt: 'instant', dueDate: { nullable: 'string' } } },
        period: { object: { from: 'instant', to: 'instant' } },
        reviewers: {
          array: { object: { id: 'string', name: 'string', email: { nullable: 'string' }, fingerprint: 'string', publicKey: 'string' } },
        },
        signers: { array: { object: { keyid: 'string', fingerprint: 'string', publicKey: 'string', reviewerId: { nullable: 'string' } } } },
        counts: {
          object: {
            items: 'number',
            decided: 'number',
            overridden: 'number',
            stepUpApproved: 'number',
            open: 'number',
            noSuggestion: { optional: 'number' },
          },
        },
        policyDigest: 'string',
        engineVersion: 'string',
        auditChain: { object: { head: 'string', length: 'number' } },
        importEvidence: { array: { object: { name: 'string', sha256: 'string', format: 'string', rows: 'number', size: 'number' } } },
        decisionSets: {
          optional: { array: { object: { file: 'string', statementDigest: 'string', reviewerId: 'string', fingerprint: 'string' } } },
        },
        baseline: { optional: LINK_SHAPE },
      },
    },
  },
};

export function readStatement(bytes: Uint8Array): Parsed<Statement> {
  return readShaped<Statement>(bytes, 'manifest', STATEMENT_SHAPE);
}

const REMEDIATION_LINK_SHAPE: Shape = {
  object: {
    kind: { oneOf: ['membership', 'group-link', 'rule', 'direct'] },
    member: 'string',
    group: 'string',
    entitlement: 'string',
    blastRadius: { object: { identities: 'number', entitlements: 'number' } },
    memberName: { optional: 'string' },
    groupName: { optional: 'string' },
  },
};

const SIGNAL_SHAPE: Shape = { object: { id: 'string', message: 'string' }, open: true };

export const ITEM_SHAPE: Shape = {
  object: {
    itemId: 'string',
    identity: { object: { id: 'string', displayName: 'string', type: { oneOf: IDENTITY_TYPES }, status: { oneOf: IDENTITY_STATUSES } } },
    target: {
      nullable: {
        object: {
          kind: { oneOf: ['entitlement', 'credential'] },
          id: 'string',
          name: 'string',
          application: 'string',
          privilege: { oneOf: PRIVILEGES },
        },
      },
    },
    suggestion: {
      nullable: {
        object: {
          action: { oneOf: SUGGESTED_ACTIONS },
          confidence: 'number',
          riskTier: { oneOf: RISK_TIERS },
          decisionClass: { oneOf: DECISION_CLASSES },
          signals: { array: SIGNAL_SHAPE },
          engine: 'string',
          policyDigest: 'string',
        },
      },
    },
    decision: {
      nullable: {
        object: {
          action: { oneOf: DECISION_ACTIONS },
          reviewerId: 'string',
          at: 'instant',
          rationale: { nullable: 'string' },
          acceptedSuggestion: 'boolean',
          approver: { nullable: { object: { id: 'string', at: 'instant' } } },
          ownerId: { optional: 'string' },
          keepUntil: { optional: 'string' },
          escalatedTo: { optional: 'string' },
          carried: { optional: CARRIED_DECISION_SHAPE },
          remediation: { optional: REMEDIATION_LINK_SHAPE },
        },
      },
    },
  },
};

// ITEM_SHAPE, hand-written: the check each of 100,000 items goes through (a few times faster than the compiled
// shape, whose calls and keyed reads vary from member to member). It only says whether an item fits; the shape says
// how one does not. Tests hold the two equal on any value.
const IDENTITY_TYPE_SET: ReadonlySet<unknown> = new Set(IDENTITY_TYPES);
const IDENTITY_STATUS_SET: ReadonlySet<unknown> = new Set(IDENTITY_STATUSES);
const TARGET_KIND_SET: ReadonlySet<unknown> = new Set(['entitlement', 'credential']);
const PRIVILEGE_SET: ReadonlySet<unknown> = new Set(PRIVILEGES);
const SUGGESTED_ACTION_SET: ReadonlySet<unknown> = new Set(SUGGESTED_ACTIONS);
const RISK_TIER_SET: ReadonlySet<unknown> = new Set(RISK_TIERS);
const DECISION_CLASS_SET: ReadonlySet<unknown> = new Set(DECISION_CLASSES);
const DECISION_ACTION_SET: ReadonlySet<unknown> = new Set(DECISION_ACTIONS);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The number of enumerable keys: with every one of a closed shape's n members present, n means no other. */
function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

function isText(v: unknown): v is string {
  return typeof v === 'string';
}

/** True exactly when shapeProblem(v, ITEM_SHAPE) is null. */
export function itemFitsShape(v: unknown): boolean {
  if (!isRecord(v) || !isText(v.itemId)) return false;
  const identity = v.identity;
  if (
    !isRecord(identity) ||
    !isText(identity.id) ||
    !isText(identity.displayName) ||
    !IDENTITY_TYPE_SET.has(identity.type) ||
    !IDENTITY_STATUS_SET.has(identity.status) ||
    keyCount(identity) !== 4
  )
    return false;
  const target = v.target;
  if (target !== null) {
    if (
      !isRecord(target) ||
      !TARGET_KIND_SET.has(target.kind) ||
      !isText(target.id) ||
      !isText(target.name) ||
      !isText(target.application) ||
      !PRIVILEGE_SET.has(target.privilege) ||
      keyCount(target) !== 5
    )
      return false;
  }
  const s = v.suggestion;
  if (s !== null) {
    if (
      !isRecord(s) ||
      !SUGGESTED_ACTION_SET.has(s.action) ||
      !isFiniteNumber(s.confidence) ||
      !RISK_TIER_SET.has(s.riskTier) ||
      !DECISION_CLASS_SET.has(s.decisionClass)
    )
      return false;
    const signals = s.signals;
    if (!Array.isArray(signals)) return false;
    for (let i = 0; i < signals.length; i++) {
      const signal: unknown = signals[i];
      if (!isRecord(signal) || !isText(signal.id) || !isText(signal.message)) return false;
    }
    if (!isText(s.engine) || !isText(s.policyDigest) || keyCount(s) !== 7) return false;
  }
  const d = v.decision;
  if (d !== null) {
    if (
      !isRecord(d) ||
      !DECISION_ACTION_SET.has(d.action) ||
      !isText(d.reviewerId) ||
      !isInstant(d.at) ||
      (d.rationale !== null && !isText(d.rationale)) ||
      typeof d.acceptedSuggestion !== 'boolean'
    )
      return false;
    const approver = d.approver;
    if (approver !== null && (!isRecord(approver) || !isText(approver.id) || !isInstant(approver.at) || keyCount(approver) !== 2))
      return false;
    let optional = 0;
    if (d.ownerId !== undefined) {
      if (!isText(d.ownerId)) return false;
      optional++;
    }
    if (d.keepUntil !== undefined) {
      if (!isText(d.keepUntil)) return false;
      optional++;
    }
    if (d.escalatedTo !== undefined) {
      if (!isText(d.escalatedTo)) return false;
      optional++;
    }
    if (d.carried !== undefined) {
      if (!carriedFits(d.carried)) return false;
      optional++;
    }
    if (d.remediation !== undefined) {
      if (!remediationLinkFits(d.remediation)) return false;
      optional++;
    }
    if (keyCount(d) !== 6 + optional) return false;
  }
  return keyCount(v) === 5;
}

/** True exactly when shapeProblem(v, CARRIED_DECISION_SHAPE) is null. */
function carriedFits(c: unknown): boolean {
  if (!isRecord(c) || !isText(c.packageDigest) || !DECISION_ACTION_SET.has(c.action) || !isText(c.reviewerId) || !isInstant(c.at))
    return false;
  if (c.keepUntil !== undefined && !isText(c.keepUntil)) return false;
  return keyCount(c) === (c.keepUntil !== undefined ? 5 : 4);
}

const LINK_KIND_SET: ReadonlySet<unknown> = new Set(['membership', 'group-link', 'rule', 'direct']);

function remediationLinkFits(r: unknown): boolean {
  if (!isRecord(r) || !LINK_KIND_SET.has(r.kind) || !isText(r.member) || !isText(r.group) || !isText(r.entitlement)) return false;
  const b = r.blastRadius;
  if (!isRecord(b) || !isFiniteNumber(b.identities) || !isFiniteNumber(b.entitlements) || keyCount(b) !== 2) return false;
  let optional = 0;
  if (r.memberName !== undefined) {
    if (!isText(r.memberName)) return false;
    optional++;
  }
  if (r.groupName !== undefined) {
    if (!isText(r.groupName)) return false;
    optional++;
  }
  return keyCount(r) === 5 + optional;
}

function isFiniteNumber(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Why item i does not fit ITEM_SHAPE, or null. */
export function itemProblem(item: unknown, index: number): string | null {
  return itemFitsShape(item) ? null : shapeProblem(item, ITEM_SHAPE, `decisions.json items[${index}]`);
}

export function readDecisions(bytes: Uint8Array): Parsed<DecisionsDocument> {
  const json = readJson(bytes, 'decisions.json');
  if (!json.ok) return json;
  const head = shapeProblem(json.value, DECISIONS_HEAD_SHAPE, 'decisions.json');
  if (head) return { ok: false, problems: [head] };
  const doc = json.value as DecisionsDocument;
  const problems: string[] = [];
  for (let i = 0; i < doc.items.length && problems.length < MAX_PROBLEMS_PER_FILE; i++) {
    const problem = itemProblem(doc.items[i], i);
    if (problem) problems.push(problem);
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: doc };
}

export const DECISIONS_HEAD_SHAPE: Shape = {
  object: { schema: { oneOf: [DECISIONS_SCHEMA] }, campaignId: 'string', items: { array: 'any' } },
};

/**
 * readDecisions, one item at a time: each item, shape-checked, is handed to `visit` once the whole file has read
 * (never when it does not). Returns the campaign and the number of items, or the problems (exactly readDecisions').
 *
 * A file laid out as decisionsJsonBytes writes it (its head line, one item per line, the closing line) is parsed a
 * line at a time: every line a JSON value and the separators exactly those, the file is the JSON document whose items
 * those values are. Any other layout, and any line that is not JSON, is read whole by readDecisions instead (which
 * also words a syntax error as JSON.parse does for the whole file).
 */
export function readDecisionItems(bytes: Uint8Array, visit: (item: PackageItem) => void): Parsed<{ campaignId: string; count: number }> {
  const lines = decisionsByLine(bytes, visit);
  if (lines) return lines;
  const whole = readDecisions(bytes);
  if (!whole.ok) return whole;
  for (const item of whole.value.items) visit(item);
  return { ok: true, value: { campaignId: whole.value.campaignId, count: whole.value.items.length } };
}

/**
 * readDecisionItems for a file in decisionsJsonBytes' layout; null when it is not (or a line is not JSON). Decoded a
 * run of lines at a time (Utf8Lines): 1,000,000 items make a file longer than one string can hold.
 */
function decisionsByLine(bytes: Uint8Array, visit: (item: PackageItem) => void): Parsed<{ campaignId: string; count: number }> | null {
  const lines = new Utf8Lines(bytes);
  const headLine = lines.next();
  if (headLine === null) return null;
  let head: unknown;
  try {
    head = JSON.parse(`${headLine}]}`);
  } catch {
    return null;
  }
  if (shapeProblem(head, DECISIONS_HEAD_SHAPE, 'decisions.json') !== null) return null;
  const campaignId = (head as DecisionsDocument).campaignId;
  // The head exactly as written (no white space, no repeated or reordered member), so it holds nothing else.
  if (`${headLine}\n` !== decisionsHead(campaignId)) return null;
  const problems: string[] = [];
  // Visited only once the whole file is known to be in this layout (else it is read whole, and visited then).
  const items: PackageItem[] = [];
  let count = 0;
  if (lines.rest(4) === '\n]}\n') return { ok: true, value: { campaignId, count } };
  for (;;) {
    const line = lines.next();
    if (line === null) return null;
    const more = line.charCodeAt(line.length - 1) === 0x2c;
    let item: unknown;
    try {
      item = JSON.parse(more ? line.slice(0, -1) : line);
    } catch {
      return null;
    }
    if (problems.length < MAX_PROBLEMS_PER_FILE) {
      const problem = itemProblem(item, count);
      if (problem) problems.push(problem);
      else if (!problems.length) items.push(item as PackageItem);
    }
    count++;
    if (!more) break;
  }
  if (lines.rest(3) !== ']}\n') return null;
  if (problems.length) return { ok: false, problems };
  for (const item of items) visit(item);
  return { ok: true, value: { campaignId, count } };
}
