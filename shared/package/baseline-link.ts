// The link from a certification package to the baseline certification its campaign started from (issue 21): the
// statement names the baseline by digest, each carried decision names it again, and baseline-changes.json lists the
// comparison. Shared by the builder (which refuses what the verifier would refuse) and the verifier.
import { ByteWriter, SIZE_CHECKPOINT, fileSha256, fromUtf8, sha256Hex } from '../codec';
import type { AuditEvent, BaselineChangeRow, BaselineChanges, BaselineLink, CarriedDecision, ChangeKind } from '../review';
import { DECISION_ACTIONS } from '../review';
import { shapeProblem, type Shape } from './document-shapes';
import { BASELINE_CHANGES_SCHEMA } from './package-layout';
import type { PackageItem, Statement, VerifyReport } from './types';

const KINDS: readonly ChangeKind[] = ['unchanged', 'changed', 'new', 'removed'];

/** The link with its members in the fixed order a package writes them (the statement's bytes must not vary). */
export function normalLink(l: BaselineLink): BaselineLink {
  return {
    packageDigest: l.packageDigest,
    statementDigest: l.statementDigest,
    campaignId: l.campaignId,
    campaignName: l.campaignName,
    certifiedAt: l.certifiedAt,
    scope: l.scope,
  };
}

export function sameLink(a: BaselineLink, b: BaselineLink): boolean {
  return JSON.stringify(normalLink(a)) === JSON.stringify(normalLink(b));
}

/** How link `a` differs from `b`, member by member ("campaignName "Q3" ≠ "Q4""). */
export function linkDifference(a: BaselineLink, b: BaselineLink): string {
  const x = normalLink(a) as unknown as Record<string, unknown>;
  const y = normalLink(b) as unknown as Record<string, unknown>;
  return Object.keys(x)
    .filter((k) => x[k] !== y[k])
    .map((k) => `${k} ${JSON.stringify(x[k])} ≠ ${JSON.stringify(y[k])}`)
    .join('; ');
}

/** "sha256:<hex>" of a package's bytes: the link's packageDigest. */
export async function packageDigestOf(bytes: Uint8Array): Promise<string> {
  return `sha256:${await fileSha256(bytes)}`;
}

/**
 * The link to a verified package, for a campaign that starts from it (what the app writes in the campaign-created
 * event's `details.baseline`). Refuses a package that did not verify as valid: it cannot be a baseline.
 */
export async function baselineLinkOf(bytes: Uint8Array, report: VerifyReport, scope: BaselineLink['scope']): Promise<BaselineLink> {
  if (report.verdict !== 'valid' || !report.statement || !report.statementDigest)
    throw new Error(`a package that does not verify cannot be a baseline (verdict ${report.verdict})`);
  const p = report.statement.predicate;
  return {
    packageDigest: await packageDigestOf(bytes),
    statementDigest: report.statementDigest,
    campaignId: p.campaign.id,
    campaignName: p.campaign.name,
    certifiedAt: p.period.to,
    scope,
  };
}

/** The campaign-created events' `details.baseline`, as recorded (one entry per such event; undefined where none). */
export function campaignBaselines(events: readonly AuditEvent[]): unknown[] {
  return events.filter((e) => e.type === 'campaign-created').map((e) => e.details?.baseline);
}

export const LINK_SHAPE: Shape = {
  object: {
    packageDigest: 'string',
    statementDigest: 'string',
    campaignId: 'string',
    campaignName: 'string',
    certifiedAt: 'instant',
    scope: { oneOf: ['all', 'changed-and-high'] },
  },
};

const CARRIED_SHAPE: Shape = {
  object: {
    packageDigest: 'string',
    action: { oneOf: DECISION_ACTIONS },
    reviewerId: 'string',
    at: 'instant',
    keepUntil: { optional: 'string' },
  },
};
export const CARRIED_DECISION_SHAPE = CARRIED_SHAPE;

const ROW_SHAPE: Shape = {
  object: {
    itemId: 'string',
    kind: { oneOf: KINDS },
    identityName: 'string',
    targetName: 'string',
    application: 'string',
    changed: { array: 'string' },
    reason: { nullable: 'string' },
    prior: {
      nullable: { object: { action: { oneOf: DECISION_ACTIONS }, reviewerId: 'string', at: 'instant', keepUntil: { optional: 'string' } } },
    },
  },
};

const CHANGES_SHAPE: Shape = {
  object: {
    schema: { oneOf: [BASELINE_CHANGES_SCHEMA] },
    baseline: LINK_SHAPE,
    counts: { object: { unchanged: 'number', changed: 'number', new: 'number', removed: 'number' } },
    rows: { array: ROW_SHAPE },
  },
};

/** What the campaign-created event recorded is a link (null: it is not one; undefined: there is none). */
export function asLink(value: unknown): BaselineLink | null | undefined {
  if (value === undefined || value === null) return undefined;
  return shapeProblem(value, LINK_SHAPE, 'baseline') === null ? (value as BaselineLink) : null;
}

function normalRow(r: BaselineChangeRow): BaselineChangeRow {
  const prior = r.prior
    ? {
        action: r.prior.action,
        reviewerId: r.prior.reviewerId,
        at: r.prior.at,
        ...(r.prior.keepUntil !== undefined ? { keepUntil: r.prior.keepUntil } : {}),
      }
    : null;
  return {
    itemId: r.itemId,
    kind: r.kind,
    identityName: r.identityName,
    targetName: r.targetName,
    application: r.application,
    changed: [...r.changed],
    reason: r.reason,
    prior,
  };
}

/** baseline-changes.json: valid JSON with one row per line, like decisions.json. */
export function baselineChangesBytes(changes: BaselineChanges): Uint8Array {
  const { rows } = changes;
  const out = new ByteWriter(1024 + rows.length * 260);
  const counts = {
    unchanged: changes.counts.unchanged,
    changed: changes.counts.changed,
    new: changes.counts.new,
    removed: changes.counts.removed,
  };
  out.utf8(
    `{"schema":${JSON.stringify(BASELINE_CHANGES_SCHEMA)},"baseline":${JSON.stringify(normalLink(changes.link))},"counts":${JSON.stringify(counts)},"rows":[\n`,
  );
  for (let i = 0; i < rows.length; i++) {
    if (i === SIZE_CHECKPOINT) out.extrapolate(i, rows.length);
    if (i > 0) out.ascii(',\n');
    out.utf8(JSON.stringify(normalRow(rows[i]!)));
  }
  out.ascii('\n]}\n');
  return out.trimmedBytes();
}

export type ChangesRead = { ok: true; value: BaselineChanges } | { ok: false; problems: string[] };

export function readBaselineChanges(bytes: Uint8Array, file: string): ChangesRead {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch (error) {
    return { ok: false, problems: [`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  const problem = shapeProblem(value, CHANGES_SHAPE, file);
  if (problem) return { ok: false, problems: [problem] };
  const doc = value as { baseline: BaselineLink; counts: BaselineChanges['counts']; rows: BaselineChangeRow[] };
  return { ok: true, value: { link: doc.baseline, counts: doc.counts, rows: doc.rows } };
}

/** A carried decision as one comparable string ('' for none). */
export function carriedKey(
  c: (Pick<CarriedDecision, 'action' | 'reviewerId' | 'at' | 'keepUntil'> & { packageDigest?: string }) | null | undefined,
): string {
  return c ? JSON.stringify([c.packageDigest ?? null, c.action, c.reviewerId, c.at, c.keepUntil ?? null]) : '';
}

export interface LinkProblem {
  message: string;
  itemId?: string;
}

/**
 * What must hold inside a package that names a baseline: the comparison is for that baseline and its counts are its
 * rows'; every carried decision names the baseline's packageDigest, keeps the action it carries, and is an unchanged
 * item whose prior decision is the one carried.
 */
export function baselineLinkProblems(link: BaselineLink, changes: BaselineChanges, items: readonly PackageItem[]): LinkProblem[] {
  const problems: LinkProblem[] = [];
  if (!sameLink(link, changes.link))
    problems.push({
      message: `baseline-changes.json compares with another baseline than the statement names (${linkDifference(changes.link, link)})`,
    });
  const counted: Record<ChangeKind, number> = { unchanged: 0, changed: 0, new: 0, removed: 0 };
  const rows = new Map<string, BaselineChangeRow>();
  for (const row of changes.rows) {
    counted[row.kind]++;
    if (rows.has(row.itemId)) problems.push({ message: 'the item is listed twice in baseline-changes.json', itemId: row.itemId });
    rows.set(row.itemId, row);
  }
  for (const kind of KINDS) {
    if (counted[kind] !== changes.counts[kind])
      problems.push({ message: `baseline-changes.json counts ${changes.counts[kind]} ${kind} but lists ${counted[kind]}` });
  }
  for (const item of items) {
    const c = item.decision?.carried;
    if (!c) continue;
    if (c.packageDigest !== link.packageDigest)
      problems.push({
        message: `the decision is carried from ${c.packageDigest}, not from the baseline the statement names (${link.packageDigest})`,
        itemId: item.itemId,
      });
    if (c.action !== item.decision!.action)
      problems.push({
        message: `the decision (${item.decision!.action}) is not the prior decision it says it carries (${c.action})`,
        itemId: item.itemId,
      });
    const row = rows.get(item.itemId);
    if (!row || row.kind !== 'unchanged')
      problems.push({
        message: `the decision is carried, but baseline-changes.json ${row ? `lists the item as ${row.kind}` : 'does not list the item'}: only an unchanged item may carry its prior decision`,
        itemId: item.itemId,
      });
    else if (carriedKey(row.prior) !== carriedKey({ ...c, packageDigest: undefined }))
      problems.push({
        message: 'the carried decision is not the prior decision baseline-changes.json records for the item',
        itemId: item.itemId,
      });
  }
  return problems;
}

/** The baseline package's decision of each item, as a verified report of it gives them. */
export function priorDecisions(report: Pick<VerifyReport, 'decisions'>): Map<string, PackageItem['decision']> {
  return new Map(report.decisions.map((i) => [i.itemId, i.decision]));
}

/**
 * With the baseline package at hand (verified): the link's descriptive members are the baseline's, every carried
 * decision is the baseline's decision of the item, and every prior decision baseline-changes.json records is too.
 */
export function baselineMatchProblems(
  link: BaselineLink,
  baseline: Statement,
  prior: ReadonlyMap<string, PackageItem['decision']>,
  changes: BaselineChanges | null,
  items: readonly PackageItem[],
): LinkProblem[] {
  const problems: LinkProblem[] = [];
  const p = baseline.predicate;
  const named = (what: string, inLink: string, actual: string) => {
    if (inLink !== actual)
      problems.push({
        message: `the link names the baseline's ${what} as ${JSON.stringify(inLink)}, but the baseline package's is ${JSON.stringify(actual)}`,
      });
  };
  named('campaign', link.campaignId, p.campaign.id);
  named('campaign name', link.campaignName, p.campaign.name);
  named('certification time', link.certifiedAt, p.period.to);
  const describe = (d: { action: string; reviewerId: string; at: string; keepUntil?: string | undefined } | null | undefined) =>
    d ? `${d.action} by ${d.reviewerId} at ${d.at}${d.keepUntil ? ` until ${d.keepUntil}` : ''}` : 'no decision';
  for (const item of items) {
    const c = item.decision?.carried;
    if (!c) continue;
    const before = prior.get(item.itemId);
    if (!prior.has(item.itemId))
      problems.push({
        message: 'the decision is carried from the baseline, but the baseline package has no such item',
        itemId: item.itemId,
      });
    else if (carriedKey({ ...c, packageDigest: undefined }) !== carriedKey(before ?? null))
      problems.push({
        message: `the carried decision (${describe(c)}) does not match the baseline's decision of the item (${describe(before)})`,
        itemId: item.itemId,
      });
  }
  for (const row of changes?.rows ?? []) {
    const inBaseline = prior.has(row.itemId);
    if (row.kind === 'new' ? inBaseline : !inBaseline) {
      problems.push({
        message: `baseline-changes.json lists the item as ${row.kind}, but the baseline package ${inBaseline ? 'has' : 'does not have'} it`,
        itemId: row.itemId,
      });
      continue;
    }
    if (inBaseline && carriedKey(row.prior) !== carriedKey(prior.get(row.itemId) ?? null))
      problems.push({
        message: `baseline-changes.json records the prior decision as ${describe(row.prior)}, but the baseline's is ${describe(prior.get(row.itemId))}`,
        itemId: row.itemId,
      });
  }
  return problems;
}

/** "sha256:<hex>" of a statement's bytes (the DSSE payload): the link's statementDigest. */
export function certificationStatementDigest(payload: Uint8Array): string {
  return `sha256:${sha256Hex(payload)}`;
}
