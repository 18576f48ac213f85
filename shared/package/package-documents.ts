// The JSON documents of a package, read from untrusted bytes: parsed, shape-checked, with problems in words.
import { IDENTITY_STATUSES, IDENTITY_TYPES, PRIVILEGES } from '../model';
import { fromUtf8 } from '../model/digest';
import { DECISION_ACTIONS, type AuditEvent } from '../review/types';
import { DECISION_CLASSES, RISK_TIERS, SUGGESTED_ACTIONS } from '../suggest/types';
import type { AuditLogSource } from './audit-chain-check';
import { shapeProblem, type Shape } from './document-shapes';
import { DECISIONS_SCHEMA, PREDICATE_TYPE, STATEMENT_TYPE } from './package-layout';
import type { DecisionsDocument, Statement } from './types';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

const MAX_PROBLEMS_PER_FILE = 20;

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
        reviewers: { array: { object: { id: 'string', name: 'string', email: { nullable: 'string' }, fingerprint: 'string', publicKey: 'string' } } },
        signers: { array: { object: { keyid: 'string', fingerprint: 'string', publicKey: 'string', reviewerId: { nullable: 'string' } } } },
        counts: { object: { items: 'number', decided: 'number', overridden: 'number', stepUpApproved: 'number', open: 'number' } },
        policyDigest: 'string',
        engineVersion: 'string',
        auditChain: { object: { head: 'string', length: 'number' } },
        importEvidence: { array: { object: { name: 'string', sha256: 'string', format: 'string', rows: 'number', size: 'number' } } },
        decisionSets: { optional: { array: { object: { file: 'string', statementDigest: 'string', reviewerId: 'string', fingerprint: 'string' } } } },
      },
    },
  },
};

export function readStatement(bytes: Uint8Array): Parsed<Statement> {
  return readShaped<Statement>(bytes, 'manifest', STATEMENT_SHAPE);
}

const SIGNAL_SHAPE: Shape = { object: { id: 'string', message: 'string' }, open: true };

const ITEM_SHAPE: Shape = {
  object: {
    itemId: 'string',
    identity: { object: { id: 'string', displayName: 'string', type: { oneOf: IDENTITY_TYPES }, status: { oneOf: IDENTITY_STATUSES } } },
    target: { nullable: { object: { kind: { oneOf: ['entitlement', 'credential'] }, id: 'string', name: 'string', application: 'string', privilege: { oneOf: PRIVILEGES } } } },
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
        },
      },
    },
  },
};

export function readDecisions(bytes: Uint8Array): Parsed<DecisionsDocument> {
  const json = readJson(bytes, 'decisions.json');
  if (!json.ok) return json;
  const head = shapeProblem(json.value, { object: { schema: { oneOf: [DECISIONS_SCHEMA] }, campaignId: 'string', items: { array: 'any' } } }, 'decisions.json');
  if (head) return { ok: false, problems: [head] };
  const doc = json.value as DecisionsDocument;
  const problems: string[] = [];
  for (let i = 0; i < doc.items.length && problems.length < MAX_PROBLEMS_PER_FILE; i++) {
    const problem = shapeProblem(doc.items[i], ITEM_SHAPE, `decisions.json items[${i}]`);
    if (problem) problems.push(problem);
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: doc };
}

const ACTOR_SHAPE: Shape = { object: { id: 'string', name: 'string', keyFingerprint: 'string' }, open: true };
const EVENT_SHAPE: Shape = {
  object: {
    seq: 'number',
    prevHash: 'string',
    hash: 'string',
    campaignId: 'string',
    type: { oneOf: ['campaign-created', 'decision', 'undo', 'approval', 'reclassification', 'note'] },
    at: 'instant',
    actor: ACTOR_SHAPE,
    itemId: { optional: 'string' },
    action: { optional: { oneOf: DECISION_ACTIONS } },
    acceptedSuggestion: { optional: 'boolean' },
    rationale: { optional: 'string' },
    refersTo: { optional: 'number' },
    secondsOnScreen: { optional: 'number' },
  },
  open: true,
};

/** Why a parsed line of audit-log.jsonl is not an audit event, or null. */
export function auditEventProblem(value: unknown, lineNumber: number): string | null {
  return shapeProblem(value, EVENT_SHAPE, `audit-log.jsonl line ${lineNumber}`);
}

export const MAX_AUDIT_LOG_PROBLEMS = MAX_PROBLEMS_PER_FILE;

export interface AuditLogRead {
  events: AuditEvent[];
  source: AuditLogSource;
}

/** One line of audit-log.jsonl, parsed and shape-checked: the event, its text, and where it lies in the file. */
export type AuditLineVisitor = (event: AuditEvent, line: string, byteStart: number, byteEnd: number) => void;

/**
 * Walks audit-log.jsonl (UTF-8, one JSON event per line, final newline; an empty file is an empty log) line by
 * line, handing each event to `visit` while every line so far has read. Returns the number of lines, or the
 * problems (at most MAX_AUDIT_LOG_PROBLEMS): then the log is unreadable and what was visited does not count.
 */
export function walkAuditLog(bytes: Uint8Array, visit: AuditLineVisitor): Parsed<number> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { ok: false, problems: ['audit-log.jsonl is not valid UTF-8'] };
  }
  if (text !== '' && !text.endsWith('\n')) return { ok: false, problems: ['audit-log.jsonl does not end with a newline (truncated?)'] };
  const problems: string[] = [];
  // `start` in the text, `byteStart` in the file (a newline byte is never inside a UTF-8 sequence).
  let lineNumber = 0;
  let byteStart = 0;
  for (let start = 0; start < text.length && problems.length < MAX_PROBLEMS_PER_FILE; ) {
    const end = text.indexOf('\n', start);
    const byteEnd = bytes.indexOf(0x0a, byteStart);
    const line = text.slice(start, end);
    lineNumber++;
    let value: unknown;
    let parsed = true;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`audit-log.jsonl line ${lineNumber} is not valid JSON`);
      parsed = false;
    }
    if (parsed) {
      const problem = auditEventProblem(value, lineNumber);
      if (problem) problems.push(problem);
      else if (!problems.length) visit(value as AuditEvent, line, byteStart, byteEnd);
    }
    start = end + 1;
    byteStart = byteEnd + 1;
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: lineNumber };
}

/** The whole log in memory: its events, and the lines and offsets they were read from (see walkAuditLog). */
export function readAuditLog(bytes: Uint8Array): Parsed<AuditLogRead> {
  const events: AuditEvent[] = [];
  const lines: string[] = [];
  const lineStarts: number[] = [];
  const walked = walkAuditLog(bytes, (event, line, byteStart) => {
    events.push(event);
    lines.push(line);
    lineStarts.push(byteStart);
  });
  if (!walked.ok) return walked;
  if (lines.length) lineStarts.push(bytes.length);
  return { ok: true, value: { events, source: { bytes, lines, lineStarts } } };
}
