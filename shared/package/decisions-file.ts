// decisions.json and decisions.csv: one row per review item, the assistant's suggestion and the human's decision
// side by side in clearly separate fields ("suggested_*" and "decision_*").
import type { CarriedDecision, RemediationLink, SuggestionSnapshot } from '../review';
import type { Suggestion } from '../suggest';
import { csvCell, writeCsvCell } from '../codec';
import { DECISIONS_SCHEMA } from './package-layout';
import { ByteWriter, SIZE_CHECKPOINT } from '../codec';
import type { CellValue, ColumnKind, Pacer, Table } from '../codec';
import type { CertificationInput, CertificationItemInput, DecisionsDocument, HumanDecision, PackageItem } from './types';

export function suggestionSnapshot(s: Suggestion): SuggestionSnapshot {
  return {
    action: s.action,
    confidence: s.confidence,
    riskTier: s.riskTier,
    decisionClass: s.decisionClass,
    signals: s.signals,
    engine: s.engine,
    policyDigest: s.policyDigest,
  };
}

/** The items as decisions.json holds them, in the order given. */
export function packageItems(input: CertificationInput): PackageItem[] {
  // An identity's several grants, and an entitlement's many holders, share one copy (a million items otherwise make a
  // million of each, kept for the whole export): equal in every member, so the file's bytes are the same.
  const identities = new SharedCopies<PackageItem['identity']>(
    (a, b) => a.displayName === b.displayName && a.type === b.type && a.status === b.status,
  );
  const targets = new SharedCopies<NonNullable<PackageItem['target']>>(
    (a, b) => a.kind === b.kind && a.name === b.name && a.application === b.application && a.privilege === b.privilege,
  );
  return input.items.map((item) => ({
    itemId: item.itemId,
    identity: identities.of(item.identity.id, item.identity, (i) => ({
      id: i.id,
      displayName: i.displayName,
      type: i.type,
      status: i.status,
    })),
    target: item.target
      ? targets.of(item.target.id, item.target, (t) => ({
          kind: t.kind,
          id: t.id,
          name: t.name,
          application: t.application,
          privilege: t.privilege,
        }))
      : null,
    suggestion: item.suggestion ? suggestionSnapshot(item.suggestion) : null,
    decision: item.decision ? packageDecision(item.decision) : null,
  }));
}

/** Copies made once per id while their members stay the same (bounded: ids seen once cost a map entry each). */
class SharedCopies<T extends object> {
  private readonly byId = new Map<string, T>();
  private last: T | null = null;
  private lastId = '';

  constructor(private readonly same: (copy: T, source: T) => boolean) {}

  of<S extends T>(id: string, source: S, copy: (source: S) => T): T {
    if (this.last && this.lastId === id && this.same(this.last, source)) return this.last;
    let made = this.byId.get(id);
    if (!made || !this.same(made, source)) {
      made = copy(source);
      if (this.byId.size < SHARED_COPIES) this.byId.set(id, made);
    }
    this.last = made;
    this.lastId = id;
    return made;
  }
}

const SHARED_COPIES = 1 << 16;

/**
 * The decision as decisions.json holds it. A decision that already has exactly that form (its members in that order,
 * no member undefined, no carried decision: what the app hands over) is used as it is: a million items otherwise
 * keep a million copies alive for the whole export. The file's bytes are the same either way.
 */
function packageDecision(d: CertificationItemInput['decision'] & object): HumanDecision {
  if (inPackageForm(d)) return d as HumanDecision;
  return {
    action: d.action,
    reviewerId: d.reviewerId,
    at: d.at,
    rationale: d.rationale ?? null,
    acceptedSuggestion: d.acceptedSuggestion,
    approver: d.approver ? { id: d.approver.id, at: d.approver.at } : null,
    ...decisionDetail(d),
    ...(d.carried ? { carried: normalCarried(d.carried) } : {}),
  };
}

const DECISION_MEMBERS = ['action', 'reviewerId', 'at', 'rationale', 'acceptedSuggestion', 'approver'];
const DETAIL_MEMBERS = ['ownerId', 'keepUntil', 'escalatedTo', 'remediation'];
const APPROVER_MEMBERS = ['id', 'at'];

/** True when packageDecision's copy of `d` would serialise exactly as `d` does (see there). */
function inPackageForm(d: object): boolean {
  if (Object.getPrototypeOf(d) !== Object.prototype) return false;
  const record = d as Record<string, unknown>;
  let n = 0;
  let detail = 0;
  for (const key in record) {
    if (record[key] === undefined) return false;
    if (n < DECISION_MEMBERS.length) {
      if (key !== DECISION_MEMBERS[n]) return false;
    } else {
      // The optional details, each at most once and in their order (decisionDetail's); anything else is copied.
      while (detail < DETAIL_MEMBERS.length && DETAIL_MEMBERS[detail] !== key) detail++;
      if (detail === DETAIL_MEMBERS.length) return false;
      detail++;
    }
    n++;
  }
  if (n < DECISION_MEMBERS.length) return false;
  const approver = record.approver as object | null;
  if (approver === null) return true;
  if (typeof approver !== 'object' || Object.getPrototypeOf(approver) !== Object.prototype) return false;
  let a = 0;
  for (const key in approver) if (a >= APPROVER_MEMBERS.length || key !== APPROVER_MEMBERS[a++]) return false;
  return a === APPROVER_MEMBERS.length;
}

/** A carried decision with its members in a fixed order (decisions.json's bytes must not vary with the caller's). */
export function normalCarried(c: CarriedDecision): CarriedDecision {
  return {
    packageDigest: c.packageDigest,
    action: c.action,
    reviewerId: c.reviewerId,
    at: c.at,
    ...(c.keepUntil !== undefined ? { keepUntil: c.keepUntil } : {}),
  };
}

/** The optional details of a decision (owner, exception date, escalation), only those it has. */
export function decisionDetail(d: {
  ownerId?: string | undefined;
  keepUntil?: string | undefined;
  escalatedTo?: string | undefined;
  remediation?: RemediationLink | undefined;
}): Pick<HumanDecision, 'ownerId' | 'keepUntil' | 'escalatedTo' | 'remediation'> {
  return {
    ...(d.ownerId !== undefined ? { ownerId: d.ownerId } : {}),
    ...(d.keepUntil !== undefined ? { keepUntil: d.keepUntil } : {}),
    ...(d.escalatedTo !== undefined ? { escalatedTo: d.escalatedTo } : {}),
    ...(d.remediation !== undefined ? { remediation: d.remediation } : {}),
  };
}

/** Valid JSON with one item per line: readable in a text editor, diffable, and fast to write and read. */
export function decisionsJson(campaignId: string, items: readonly PackageItem[]): string {
  const lines = items.map((item) => JSON.stringify(item));
  return `${decisionsHead(campaignId)}${lines.join(',\n')}\n]}\n`;
}

/** decisionsJson as UTF-8, written line by line into one buffer (no 70 MB string to join and encode). */
export function decisionsJsonBytes(campaignId: string, items: readonly PackageItem[]): Uint8Array {
  const out = new ByteWriter(1024 + items.length * 800);
  out.utf8(decisionsHead(campaignId));
  for (let i = 0; i < items.length; i++) {
    if (i === SIZE_CHECKPOINT) out.extrapolate(i, items.length);
    if (i > 0) out.ascii(',\n');
    out.utf8(JSON.stringify(items[i]));
  }
  out.ascii('\n]}\n');
  return out.trimmedBytes();
}

/**
 * Where a file written in slices goes, a slice at a time; resolves when it can take the next. The slice is a view of
 * the writer's buffer, valid until then: a sink that keeps it must copy it.
 */
export type SliceSink = (slice: Uint8Array) => Promise<void>;

/** About this many bytes per slice of a file written in slices. */
export const SLICE_BYTES = 1 << 20;

/** decisionsJsonBytes's bytes, in slices of about a megabyte, yielding to the event loop as the pacer asks. */
export async function writeDecisionsJson(campaignId: string, items: readonly PackageItem[], sink: SliceSink, pacer: Pacer): Promise<void> {
  const out = new ByteWriter(2 * SLICE_BYTES);
  out.utf8(decisionsHead(campaignId));
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.ascii(',\n');
    out.utf8(JSON.stringify(items[i]));
    if (out.size >= SLICE_BYTES) {
      await sink(out.takeView());
      if (pacer.due()) await pacer.pace();
    }
  }
  out.ascii('\n]}\n');
  await sink(out.takeView());
}

/** decisions.json's first line: the document's head, up to the opening of its items (with the newline). */
export function decisionsHead(campaignId: string): string {
  const head: Omit<DecisionsDocument, 'items'> = { schema: DECISIONS_SCHEMA, campaignId };
  return `${JSON.stringify(head).slice(0, -1)},"items":[\n`;
}

export type ReviewerNames = ReadonlyMap<string, string>;

interface DecisionColumn {
  csv: string;
  header: string;
  kind: ColumnKind;
  width: number;
  distinct?: true;
  /** False: in decisions.csv only (ids and the engine stay out of the report's Decisions sheet, for a person). */
  sheet?: false;
  value(item: PackageItem, names: ReviewerNames): CellValue;
}

/** Signals in one cell: "unused-access: last used 212 days ago; policy window 90 days | ...". */
export function signalsText(suggestion: SuggestionSnapshot | null): string | null {
  return suggestion && suggestion.signals.length ? suggestion.signals.map((s) => `${s.id}: ${s.message}`).join(' | ') : null;
}

const DECISION_COLUMNS: DecisionColumn[] = [
  { csv: 'item_id', header: 'Item', kind: 'text', width: 34, distinct: true, value: (i) => i.itemId },
  { csv: 'identity_id', header: 'Identity id', kind: 'text', width: 18, sheet: false, value: (i) => i.identity.id },
  { csv: 'identity_name', header: 'Identity', kind: 'text', width: 24, value: (i) => i.identity.displayName },
  { csv: 'identity_type', header: 'Identity type', kind: 'text', width: 12, value: (i) => i.identity.type },
  { csv: 'identity_status', header: 'Identity status', kind: 'text', width: 12, value: (i) => i.identity.status },
  { csv: 'target_kind', header: 'Target kind', kind: 'text', width: 12, sheet: false, value: (i) => i.target?.kind ?? 'identity' },
  { csv: 'target_id', header: 'Target id', kind: 'text', width: 18, sheet: false, value: (i) => i.target?.id ?? null },
  { csv: 'target_name', header: 'Target', kind: 'text', width: 24, value: (i) => i.target?.name ?? null },
  { csv: 'application', header: 'Application', kind: 'text', width: 16, value: (i) => i.target?.application ?? null },
  { csv: 'privilege', header: 'Privilege', kind: 'text', width: 10, value: (i) => i.target?.privilege ?? null },
  { csv: 'suggested_action', header: 'Suggested action', kind: 'text', width: 14, value: (i) => i.suggestion?.action ?? null },
  {
    csv: 'suggested_confidence',
    header: 'Suggestion confidence',
    kind: 'decimal',
    width: 12,
    value: (i) => i.suggestion?.confidence ?? null,
  },
  { csv: 'suggested_risk_tier', header: 'Risk tier', kind: 'text', width: 10, value: (i) => i.suggestion?.riskTier ?? null },
  { csv: 'suggested_decision_class', header: 'Decision class', kind: 'text', width: 14, value: (i) => i.suggestion?.decisionClass ?? null },
  {
    csv: 'suggested_signals',
    header: 'Suggestion signals',
    kind: 'text',
    width: 50,
    distinct: true,
    value: (i) => signalsText(i.suggestion),
  },
  {
    csv: 'suggestion_engine',
    header: 'Suggestion engine',
    kind: 'text',
    width: 18,
    sheet: false,
    value: (i) => i.suggestion?.engine ?? null,
  },
  { csv: 'decision_action', header: 'Decision', kind: 'text', width: 12, value: (i) => i.decision?.action ?? null },
  {
    csv: 'decision_reviewer_id',
    header: 'Reviewer id',
    kind: 'text',
    width: 14,
    sheet: false,
    value: (i) => i.decision?.reviewerId ?? null,
  },
  {
    csv: 'decision_reviewer_name',
    header: 'Reviewer',
    kind: 'text',
    width: 20,
    value: (i, n) => (i.decision ? (n.get(i.decision.reviewerId) ?? null) : null),
  },
  { csv: 'decision_at', header: 'Decided at (UTC)', kind: 'date', width: 20, value: (i) => i.decision?.at ?? null },
  { csv: 'decision_rationale', header: 'Rationale', kind: 'text', width: 40, distinct: true, value: (i) => i.decision?.rationale ?? null },
  {
    csv: 'decision_accepted_suggestion',
    header: 'Accepted suggestion',
    kind: 'yes-no',
    width: 10,
    value: (i) => (i.decision ? i.decision.acceptedSuggestion : null),
  },
  { csv: 'approver_id', header: 'Approver id', kind: 'text', width: 14, sheet: false, value: (i) => i.decision?.approver?.id ?? null },
  {
    csv: 'approver_name',
    header: 'Approver',
    kind: 'text',
    width: 20,
    value: (i, n) => (i.decision?.approver ? (n.get(i.decision.approver.id) ?? null) : null),
  },
  { csv: 'approved_at', header: 'Approved at (UTC)', kind: 'date', width: 20, value: (i) => i.decision?.approver?.at ?? null },
];

/**
 * decisions.csv as UTF-8: tableToCsv(decisionsTable(items, names, 'csv')), written row by row as each row is made,
 * so no 100,000-row table stays alive for the garbage collector to trace.
 */
export function decisionsCsvBytes(items: readonly PackageItem[], names: ReviewerNames): Uint8Array {
  const out = new ByteWriter(1024 + items.length * 320);
  out.utf8(DECISION_COLUMNS.map((c) => csvCell(c.csv)).join(','));
  out.ascii('\r\n');
  for (let i = 0; i < items.length; i++) {
    if (i === SIZE_CHECKPOINT) out.extrapolate(i, items.length);
    const item = items[i]!;
    out.utf8(DECISION_COLUMNS.map((c) => csvCell(c.value(item, names))).join(','));
    out.ascii('\r\n');
  }
  return out.trimmedBytes();
}

/** decisionsCsvBytes's bytes, in slices of about a megabyte, yielding to the event loop as the pacer asks. */
export async function writeDecisionsCsv(items: readonly PackageItem[], names: ReviewerNames, sink: SliceSink, pacer: Pacer): Promise<void> {
  const csv = new DecisionsCsvWriter(names, sink);
  await csv.add(items, pacer);
  await csv.end();
}

/** decisions.csv written from the items as they come, a run at a time (the report's thread, as it reads them). */
export class DecisionsCsvWriter {
  private readonly out = new ByteWriter(2 * SLICE_BYTES);

  constructor(
    private readonly names: ReviewerNames,
    private readonly sink: SliceSink,
  ) {
    this.out.utf8(DECISION_COLUMNS.map((c) => csvCell(c.csv)).join(','));
    this.out.ascii('\r\n');
  }

  async add(items: readonly PackageItem[], pacer?: Pacer): Promise<void> {
    const { out, names } = this;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      for (let c = 0; c < DECISION_COLUMNS.length; c++) {
        if (c > 0) out.ascii(',');
        writeCsvCell(out, DECISION_COLUMNS[c]!.value(item, names));
      }
      out.ascii('\r\n');
      if (out.size >= SLICE_BYTES) {
        await this.sink(out.takeView());
        if (pacer?.due()) await pacer.pace();
      }
    }
  }

  async end(): Promise<void> {
    await this.sink(this.out.takeView());
  }
}

/** The decisions as a table: every column with `csv` headers for decisions.csv; for the report's Decisions sheet,
 * the columns a person reads, with people's headers. Its rows are made as they are read (RowSource). */
export function decisionsTable(items: readonly PackageItem[], names: ReviewerNames, headers: 'csv' | 'people'): Table {
  const columns = headers === 'csv' ? DECISION_COLUMNS : DECISION_COLUMNS.filter((c) => c.sheet !== false);
  return {
    name: 'Decisions',
    columns: columns.map((c) => ({
      header: headers === 'csv' ? c.csv : c.header,
      kind: c.kind,
      width: c.width,
      ...(c.distinct ? { distinct: true } : {}),
    })),
    rows: { length: items.length, row: (index) => columns.map((c) => c.value(items[index]!, names)) },
  };
}
