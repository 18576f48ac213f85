// report.xlsx: the package for a person. Summary, Decisions, (Changes since certification, for a campaign that started
// from a baseline), Overrides, Revocations and rotations, High-risk approvals, Reviewer metrics, Sources, Policy.
import type { SourceEvidence } from '../model';
import { createPacer, rowAt, type Pacer } from '../codec';
import { requiresApproval } from '../review';
import { isDecided, isOverridden } from './certification-rules';
import { decisionsTable, signalsText, type ReviewerNames } from './decisions-file';
import { RemediationPlanBuilder, REMEDIATION_SHEET, remediationColumns, remediationTable } from './remediation-plan';
import type { CellValue, LateTable, PreparedEntry, RowSource, StreamedTable, Table } from '../codec';
import type { CertificationPredicate, PackageItem, RemediationPlan, ReviewerMetrics } from './types';
import type { BaselineChanges } from '../review';
import { writeWorkbook } from '../codec';

export interface ReportContent {
  predicate: CertificationPredicate;
  items: readonly PackageItem[];
  names: ReviewerNames;
  remediation: RemediationPlan;
  metrics: readonly ReviewerMetrics[];
  sources: readonly SourceEvidence[];
  policy: object;
  /** The comparison with the baseline certification (only for a campaign that started from one). */
  baselineChanges?: BaselineChanges | undefined;
}

/** The predicate as it stands before the audit log is written: everything but the chain's head and length. */
export type EarlyPredicate = Omit<CertificationPredicate, 'auditChain'>;

/** What the report needs before the audit log is written (all of it but the chain's head and length). */
export interface EarlyReportContent extends Omit<ReportContent, 'predicate'> {
  predicate: EarlyPredicate;
}

/** A report being written: every sheet but the Summary, which waits for the audit chain. */
export interface ReportDraft {
  finish(auditChain: CertificationPredicate['auditChain']): Promise<Uint8Array>;
  /** The package failed: stop writing (whatever was written is dropped). */
  abandon(): void;
  /** Files the report's thread wrote besides the report (decisions.csv, when the job asked), once finish() resolved. */
  files?(): ReportFile[];
}

/** A package file written on the report's thread: its archive entry, compressed, and its SHA-256 (hex). */
export interface ReportFile {
  file: string;
  entry: PreparedEntry;
  sha256: string;
}

export async function reportWorkbook(content: ReportContent, pacer?: Pacer): Promise<Uint8Array> {
  const { auditChain, ...predicate } = content.predicate;
  return draftReport({ ...content, predicate }, pacer).finish(auditChain);
}

/**
 * Starts writing the report now, before the audit chain is known: the Decisions, Overrides, Revocations and
 * High-risk sheets (nearly all the work) do not depend on it. The bytes are the same as reportWorkbook's for the
 * same content.
 */
export function draftReport(content: EarlyReportContent, pacer: Pacer = createPacer()): ReportDraft {
  const p = content.predicate;
  const changes = content.baselineChanges ?? null;
  const baselineRows = changes ? baselineSummaryRows(changes, carriedCounts(content.items)) : [];
  const tables = [
    decisionsTable(content.items, content.names, 'people'),
    ...(changes ? [changesSheet(changes, content.items, content.names)] : []),
    overridesSheet(content.items, content.names),
    remediationTable(content.remediation, 'people'),
    highRiskSheet(content.items, content.names),
    metricsSheet(content.metrics),
    sourcesSheet(content.sources),
    policySheet(p.policyDigest, content.policy),
  ];
  return writeDraft(p, tables, Promise.resolve(baselineRows), baselineRows.length, pacer);
}

/**
 * The workbook of the Summary (written last, once the audit chain and `baselineRows` arrive) and `tables`, started
 * now; finish() brings the chain.
 */
function writeDraft(
  p: EarlyPredicate,
  tables: ReadonlyArray<Table | LateTable | StreamedTable>,
  baselineRows: Promise<CellValue[][]>,
  baselineRowCount: number,
  pacer: Pacer,
): ReportDraft {
  let chainArrived!: (chain: CertificationPredicate['auditChain']) => void;
  let abandoned: (reason: Error) => void;
  const chain = new Promise<CertificationPredicate['auditChain']>((resolve, reject) => {
    chainArrived = resolve;
    abandoned = reject;
  });
  let stop: Error | null = null;
  // The sheets are written in slices, pacing between them: an abandoned report stops at the next slice.
  const stoppable: Pacer = {
    due: () => stop !== null || pacer.due(),
    async pace() {
      if (stop) throw stop;
      await pacer.pace();
    },
  };
  const summary = Promise.all([chain, baselineRows]).then(([auditChain, rows]) => [...summaryRows({ ...p, auditChain }), ...rows]);
  // Abandoned before the writer reached the Summary: nobody awaits these any more.
  summary.catch(() => undefined);
  const workbook = writeWorkbook(
    [
      {
        ...SUMMARY_COLUMNS,
        rowCount: summaryRows({ ...p, auditChain: { head: '', length: 0 } }).length + baselineRowCount,
        rows: summary,
      },
      ...tables,
    ],
    {
      title: `Certification: ${p.campaign.name}`,
      creator: 'Access Review Workbench',
      createdAt: new Date(Date.parse(p.period.to) || 0),
    },
    stoppable,
  );
  // A failure before finish() is reported by finish(), not as an unhandled rejection meanwhile.
  workbook.catch(() => undefined);
  return {
    finish(auditChain) {
      chainArrived(auditChain);
      return workbook;
    },
    abandon() {
      stop = new Error('the report was abandoned');
      abandoned(stop);
    },
  };
}

/** How many rows the sheets after the Decisions sheet have: counted by the package's thread, checked as they come. */
export interface ReportSheetRows {
  overrides: number;
  highRisk: number;
  remediation: number;
  /** Whether the remediation plan cuts a link (its sheet then has the "Where to cut" column). */
  remediationLinks: boolean;
}

/** What a streamed report needs: the items come in runs (read from decisions.json as it inflates), never all at once. */
export interface StreamedReportContent extends Omit<EarlyReportContent, 'items' | 'remediation'> {
  itemRuns: AsyncIterable<readonly PackageItem[]>;
  sheetRows: ReportSheetRows;
}

/**
 * draftReport from items that come in runs: the Decisions sheet is written a run at a time, and only what the later
 * sheets show is kept (the overrides' and high-risk items' rows, the remediation plan, the carried items' ids). The
 * bytes are draftReport's for the same items.
 */
export function draftStreamedReport(content: StreamedReportContent, pacer: Pacer = createPacer()): ReportDraft {
  const { names, sheetRows } = content;
  const p = content.predicate;
  const changes = content.baselineChanges ?? null;
  const overrides: CellValue[][] = [];
  const highRisk: CellValue[][] = [];
  const plan = new RemediationPlanBuilder();
  const carriedIds = new Set<string>();
  const carried = { carried: 0, fresh: 0 };
  let ended!: () => void;
  let failed!: (error: unknown) => void;
  const read = new Promise<void>((resolve, reject) => {
    ended = resolve;
    failed = reject;
  });
  read.catch(() => undefined);
  const decisionColumns = decisionsTable([], names, 'people').columns;
  async function* decisionRows(): AsyncGenerator<RowSource> {
    try {
      for await (const run of content.itemRuns) {
        for (const item of run) {
          if (isOverridden(item)) overrides.push(overrideRow(item, names));
          if (isHighRisk(item)) highRisk.push(highRiskRow(item, names));
          plan.add(item);
          if (changes) {
            countCarried(carried, item);
            if (item.decision?.carried) carriedIds.add(item.itemId);
          }
        }
        yield decisionsTable(run, names, 'people').rows as RowSource;
      }
      ended();
    } catch (error) {
      failed(error);
      throw error;
    }
  }
  const later = (table: Table, rowCount: number, make: () => CellValue[][]): LateTable => {
    const rows = read.then(make);
    // Awaited when the writer reaches the sheet; a writer that failed before never does.
    rows.catch(() => undefined);
    return { name: table.name, columns: table.columns, rowCount, rows, inPlace: true };
  };
  const remediationRows = () => {
    const table = remediationTable(plan.plan(p.campaign.id), 'people');
    if (table.columns.length !== remediationColumns(sheetRows.remediationLinks, 'people').length)
      throw new Error('the remediation plan read back from decisions.json does not cut the links its count said');
    // A late sheet's rows come as arrays (the plan's table makes each row as it is read).
    return Array.from({ length: table.rows.length }, (_, i) => rowAt(table.rows, i));
  };
  const tables = [
    decisionsStreamed(decisionColumns, p.counts.items, decisionRows()),
    ...(changes
      ? [
          later(changesSheet(changes, [], names), changes.rows.length, () => {
            const rows = changesSheet(changes, [], names, carriedIds).rows as RowSource;
            return Array.from({ length: rows.length }, (_, i) => rows.row(i));
          }),
        ]
      : []),
    later(overridesSheet([], names), sheetRows.overrides, () => overrides),
    later(
      { name: REMEDIATION_SHEET, columns: remediationColumns(sheetRows.remediationLinks, 'people'), rows: [] },
      sheetRows.remediation,
      remediationRows,
    ),
    later(highRiskSheet([], names), sheetRows.highRisk, () => highRisk),
    metricsSheet(content.metrics),
    sourcesSheet(content.sources),
    policySheet(p.policyDigest, content.policy),
  ];
  return writeDraft(
    p,
    tables,
    changes ? read.then(() => baselineSummaryRows(changes, carried)) : Promise.resolve([]),
    changes ? baselineSummaryRows(changes, carried).length : 0,
    pacer,
  );
}

function decisionsStreamed(columns: Table['columns'], rowCount: number, runs: AsyncIterable<RowSource>): StreamedTable {
  return { name: 'Decisions', columns, rowCount, runs };
}

function summaryRows(p: CertificationPredicate): CellValue[][] {
  return [
    ['Campaign', p.campaign.name, null],
    ['Campaign id', p.campaign.id, null],
    ['Scope', p.campaign.scope, null],
    ['Campaign created', null, p.campaign.createdAt],
    ['Due', null, p.campaign.dueDate],
    ['Period from', null, p.period.from],
    ['Period to', null, p.period.to],
    ['Items', p.counts.items, null],
    ['Decided', p.counts.decided, null],
    ['Overridden', p.counts.overridden, null],
    ['Step-up approved', p.counts.stepUpApproved, null],
    ['Open', p.counts.open, null],
    ...(p.counts.noSuggestion === undefined ? [] : [['No suggestion', p.counts.noSuggestion, null] as CellValue[]]),
    ['Policy digest', p.policyDigest, null],
    ['Engine version', p.engineVersion, null],
    ['Audit-chain length', p.auditChain.length, null],
    ['Audit-chain head', p.auditChain.head, null],
    ...p.reviewers.map((r): CellValue[] => ['Reviewer', `${r.name} (${r.id}) ${r.fingerprint}`, null]),
    ...p.signers.map((s): CellValue[] => ['Signed by', `${s.keyid} ${s.fingerprint}`, null]),
    ...p.importEvidence.map((e): CellValue[] => ['Source', `${e.name} (${e.format}, ${e.rows} rows, sha256 ${e.sha256})`, null]),
  ];
}

const SUMMARY_COLUMNS: Pick<Table, 'name' | 'columns'> = {
  name: 'Summary',
  columns: [
    { header: 'Field', kind: 'text', width: 20 },
    { header: 'Value', kind: 'general', width: 80 },
    { header: 'Date (UTC)', kind: 'date', width: 20 },
  ],
};

/** The columns that name an item and what the engine made of it, first in the Overrides and High-risk sheets. */
const ITEM_COLUMNS: Table['columns'] = [
  { header: 'Item', kind: 'text', width: 34, distinct: true },
  { header: 'Identity', kind: 'text', width: 24 },
  { header: 'Target', kind: 'text', width: 24 },
  { header: 'Application', kind: 'text', width: 16 },
  { header: 'Risk tier', kind: 'text', width: 10 },
  { header: 'Decision class', kind: 'text', width: 14 },
  { header: 'Suggested action', kind: 'text', width: 14 },
];

function itemCells(i: PackageItem, riskTier: string | null): CellValue[] {
  return [
    i.itemId,
    i.identity.displayName,
    i.target?.name ?? null,
    i.target?.application ?? null,
    riskTier,
    i.suggestion?.decisionClass ?? null,
    i.suggestion?.action ?? null,
  ];
}

function overrideRow(i: PackageItem, names: ReviewerNames): CellValue[] {
  return [
    ...itemCells(i, i.suggestion?.riskTier ?? null),
    i.suggestion?.confidence ?? null,
    signalsText(i.suggestion),
    i.decision!.action,
    names.get(i.decision!.reviewerId) ?? i.decision!.reviewerId,
    i.decision!.at,
    i.decision!.rationale,
  ];
}

function overridesSheet(items: readonly PackageItem[], names: ReviewerNames, given?: CellValue[][]): Table {
  const rows = given ?? items.filter(isOverridden).map((i) => overrideRow(i, names));
  return {
    name: 'Overrides',
    columns: [
      ...ITEM_COLUMNS,
      { header: 'Suggestion confidence', kind: 'decimal', width: 12 },
      { header: 'Suggestion signals', kind: 'text', width: 50, distinct: true },
      { header: 'Decision', kind: 'text', width: 12 },
      { header: 'Reviewer', kind: 'text', width: 20 },
      { header: 'Decided at (UTC)', kind: 'date', width: 20 },
      { header: 'Rationale', kind: 'text', width: 50, distinct: true },
    ],
    rows,
  };
}

export function isHighRisk(item: PackageItem): boolean {
  const s = item.suggestion;
  const tier = s?.riskTier ?? item.target?.privilege;
  return s?.decisionClass === 'step-up' || s?.decisionClass === 'never-delegate' || tier === 'high' || tier === 'critical';
}

function approvalStatus(item: PackageItem): string {
  if (!isDecided(item)) return 'open';
  const approver = item.decision.approver;
  if (!approver) return requiresApproval(item.suggestion?.decisionClass) ? 'missing approver' : 'no approval required';
  return approver.id === item.decision.reviewerId ? 'self-approved (not valid)' : 'approved';
}

function highRiskRow(i: PackageItem, names: ReviewerNames): CellValue[] {
  return [
    ...itemCells(i, i.suggestion?.riskTier ?? i.target?.privilege ?? null),
    i.decision?.action ?? null,
    i.decision ? (names.get(i.decision.reviewerId) ?? i.decision.reviewerId) : null,
    i.decision?.at ?? null,
    i.decision?.approver ? (names.get(i.decision.approver.id) ?? i.decision.approver.id) : null,
    i.decision?.approver?.at ?? null,
    approvalStatus(i),
    i.decision?.rationale ?? null,
  ];
}

function highRiskSheet(items: readonly PackageItem[], names: ReviewerNames, given?: CellValue[][]): Table {
  const rows = given ?? items.filter(isHighRisk).map((i) => highRiskRow(i, names));
  return {
    name: 'High-risk approvals',
    columns: [
      ...ITEM_COLUMNS,
      { header: 'Decision', kind: 'text', width: 12 },
      { header: 'Reviewer', kind: 'text', width: 20 },
      { header: 'Decided at (UTC)', kind: 'date', width: 20 },
      { header: 'Approver', kind: 'text', width: 20 },
      { header: 'Approved at (UTC)', kind: 'date', width: 20 },
      { header: 'Approval', kind: 'text', width: 22 },
      { header: 'Rationale', kind: 'text', width: 50, distinct: true },
    ],
    rows,
  };
}

function metricsSheet(metrics: readonly ReviewerMetrics[]): Table {
  return {
    name: 'Reviewer metrics',
    columns: [
      { header: 'Reviewer', kind: 'text', width: 22 },
      { header: 'Reviewer id', kind: 'text', width: 14 },
      { header: 'Key fingerprint', kind: 'text', width: 40 },
      { header: 'Decisions', kind: 'integer', width: 11 },
      { header: 'Accepted', kind: 'integer', width: 11 },
      { header: 'Overrides', kind: 'integer', width: 11 },
      { header: 'Acceptance rate', kind: 'percent', width: 11 },
      { header: 'Median seconds per decision', kind: 'decimal', width: 14 },
      { header: 'Fast accepts', kind: 'integer', width: 11 },
      { header: 'Longest fast-accept streak', kind: 'integer', width: 14 },
      { header: 'Approvals given', kind: 'integer', width: 11 },
      { header: 'Drift warnings', kind: 'text', width: 60 },
    ],
    rows: metrics.map((m) => [
      m.name,
      m.reviewerId,
      m.fingerprint,
      m.decisions,
      m.accepted,
      m.overrides,
      m.acceptanceRate,
      m.medianSecondsPerDecision,
      m.fastAccepts,
      m.longestFastAcceptStreak,
      m.approvalsGiven,
      m.driftWarnings.join('; ') || null,
    ]),
  };
}

function sourcesSheet(sources: readonly SourceEvidence[]): Table {
  return {
    name: 'Sources',
    columns: [
      { header: 'File', kind: 'text', width: 28 },
      { header: 'Format', kind: 'text', width: 18 },
      { header: 'Format version', kind: 'text', width: 10 },
      { header: 'Why this format', kind: 'text', width: 30 },
      { header: 'Parser', kind: 'text', width: 18 },
      { header: 'Size (bytes)', kind: 'integer', width: 12 },
      { header: 'SHA-256', kind: 'text', width: 66 },
      { header: 'Rows read', kind: 'integer', width: 10 },
      { header: 'Rows stored', kind: 'integer', width: 10 },
      { header: 'Rows rejected', kind: 'integer', width: 10 },
      { header: 'Imported at (UTC)', kind: 'date', width: 20 },
    ],
    rows: sources.map((s) => [
      s.file,
      s.format,
      s.formatVersion,
      s.formatReason,
      `${s.parser} ${s.parserVersion}`,
      s.size,
      s.sha256,
      s.rowsRead,
      s.rowsStored,
      s.rowsRejected,
      s.importedAt,
    ]),
  };
}

/** The policy flattened to one row per setting ("unusedAccess.windowDays" → 90), its digest first. */
function policySheet(digest: string, policy: object): Table {
  const rows: CellValue[][] = [['(digest)', digest]];
  flattenSettings(policy, '', rows);
  return {
    name: 'Policy',
    columns: [
      { header: 'Setting', kind: 'text', width: 40 },
      { header: 'Value', kind: 'general', width: 60 },
    ],
    rows,
  };
}

function flattenSettings(value: unknown, path: string, rows: CellValue[][]): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flattenSettings(child, path ? `${path}.${key}` : key, rows);
    return;
  }
  if (typeof value === 'number' || typeof value === 'string') rows.push([path, value]);
  else rows.push([path, JSON.stringify(value)]);
}

/** Decided items whose decision was carried from the baseline, and those decided afresh. */
function carriedCounts(items: readonly PackageItem[]): { carried: number; fresh: number } {
  const counts = { carried: 0, fresh: 0 };
  for (const i of items) countCarried(counts, i);
  return counts;
}

function countCarried(counts: { carried: number; fresh: number }, i: PackageItem): void {
  if (!isDecided(i)) return;
  if (i.decision.carried) counts.carried++;
  else counts.fresh++;
}

/** The Summary's part about the baseline: which certification, what changed since, how many decisions were carried. */
function baselineSummaryRows(changes: BaselineChanges, { carried, fresh }: { carried: number; fresh: number }): CellValue[][] {
  const l = changes.link;
  return [
    ['Baseline campaign', `${l.campaignName} (${l.campaignId})`, null],
    ['Baseline certified', null, l.certifiedAt],
    ['Baseline package', l.packageDigest, null],
    ['Baseline statement', l.statementDigest, null],
    ['Baseline scope', l.scope === 'all' ? 'every item' : 'changed or new items, plus every high and critical item', null],
    ['Unchanged since baseline', changes.counts.unchanged, null],
    ['Changed since baseline', changes.counts.changed, null],
    ['New since baseline', changes.counts.new, null],
    ['Removed since baseline', changes.counts.removed, null],
    ['Decisions carried', carried, null],
    ['Decided afresh', fresh, null],
  ];
}

export const CHANGES_SHEET = 'Changes since certification';

/** One row per item compared with the baseline, removed items included for the record. */
function changesSheet(changes: BaselineChanges, items: readonly PackageItem[], names: ReviewerNames, given?: Set<string>): Table {
  const carried = given ?? new Set(items.filter((i) => i.decision?.carried).map((i) => i.itemId));
  const rows = changes.rows;
  return {
    name: CHANGES_SHEET,
    columns: [
      { header: 'Change', kind: 'text', width: 11 },
      { header: 'Item', kind: 'text', width: 34, distinct: true },
      { header: 'Identity', kind: 'text', width: 24 },
      { header: 'Entitlement', kind: 'text', width: 24 },
      { header: 'Application', kind: 'text', width: 16 },
      { header: 'Changed fields', kind: 'text', width: 30 },
      { header: 'Why reviewed again', kind: 'text', width: 36 },
      { header: 'Prior decision', kind: 'text', width: 12 },
      { header: 'Prior reviewer', kind: 'text', width: 20 },
      { header: 'Prior decided at (UTC)', kind: 'date', width: 20 },
      { header: 'Prior kept until', kind: 'text', width: 12 },
      { header: 'Carried', kind: 'yes-no', width: 9 },
    ],
    rows: {
      length: rows.length,
      row: (index) => {
        const r = rows[index]!;
        return [
          r.kind,
          r.itemId,
          r.identityName || null,
          r.targetName || null,
          r.application || null,
          r.changed.length ? r.changed.join(', ') : null,
          r.reason,
          r.prior?.action ?? null,
          r.prior ? (names.get(r.prior.reviewerId) ?? r.prior.reviewerId) : null,
          r.prior?.at ?? null,
          r.prior?.keepUntil ?? null,
          r.kind === 'removed' ? null : carried.has(r.itemId),
        ];
      },
    },
  };
}
