// remediation.json / remediation.csv: what a human must carry out in each source system after the campaign
// (revocations, reductions, rotations, login disablements, owner assignments). The workbench never changes a live
// system; this plan is handed to ticketing.
import { isFinal } from './certification-rules';
import { REMEDIATION_SCHEMA } from './package-layout';
import { ByteWriter, type CellValue, type Pacer, type RowSource, type Table } from '../codec';
import type { PackageItem, RemediationAction, RemediationKind, RemediationPlan } from './types';
import type { RemediationLink } from '../review';

const REMEDIATION_ORDER: readonly RemediationKind[] = ['revoke', 'reduce', 'rotate', 'disable-login', 'assign-owner', 'exception'];
/** Where an item about the identity itself (no entitlement or credential) is remediated. */
export const IDENTITY_SYSTEM = 'identity directory';

function remediationKind(action: string): RemediationKind | null {
  return (REMEDIATION_ORDER as readonly string[]).includes(action) ? (action as RemediationKind) : null;
}

export function remediationPlan(campaignId: string, items: readonly PackageItem[]): RemediationPlan {
  const builder = new RemediationPlanBuilder();
  for (const item of items) builder.add(item);
  return builder.plan(campaignId);
}

/** remediationPlan, given the items one at a time (keeping only the actions they call for). */
export class RemediationPlanBuilder {
  private readonly bySystem = new Map<string, RemediationAction[]>();

  add(item: PackageItem): void {
    // Only final decisions are carried out (approved where the policy wants a second person).
    if (!isFinal(item)) return;
    // A keep until a date is an exception: listed with its expiry, to be removed or reviewed again then.
    const kind =
      item.decision.action === 'keep' && item.decision.keepUntil !== undefined ? 'exception' : remediationKind(item.decision.action);
    if (!kind) return;
    const system = item.target?.application ?? IDENTITY_SYSTEM;
    let actions = this.bySystem.get(system);
    if (!actions) this.bySystem.set(system, (actions = []));
    actions.push({
      kind,
      itemId: item.itemId,
      identityId: item.identity.id,
      identityName: item.identity.displayName,
      targetKind: item.target?.kind ?? 'identity',
      targetId: item.target?.id ?? item.identity.id,
      targetName: item.target?.name ?? item.identity.displayName,
      decidedBy: item.decision.reviewerId,
      decidedAt: item.decision.at,
      approvedBy: item.decision.approver?.id ?? null,
      rationale: item.decision.rationale,
      until: kind === 'exception' ? item.decision.keepUntil! : null,
      ownerId: kind === 'assign-owner' ? (item.decision.ownerId ?? null) : null,
      // Only then: a plan without inherited access keeps the bytes it always had.
      ...((kind === 'revoke' || kind === 'reduce') && item.decision.remediation ? { link: item.decision.remediation } : {}),
    });
  }

  /** The plan of the items added so far (once: the actions are sorted in place). */
  plan(campaignId: string): RemediationPlan {
    const systems = [...this.bySystem.keys()]
      .sort(byCodeUnits)
      .map((system) => ({ system, actions: this.bySystem.get(system)!.sort(byKindThenItem) }));
    return { schema: REMEDIATION_SCHEMA, campaignId, systems };
  }
}

const KIND_RANK = new Map(REMEDIATION_ORDER.map((kind, i) => [kind, i]));

function byKindThenItem(a: RemediationAction, b: RemediationAction): number {
  return KIND_RANK.get(a.kind)! - KIND_RANK.get(b.kind)! || byCodeUnits(a.itemId, b.itemId);
}

/** Locale-independent order, so the same plan is written on every machine. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Valid JSON, one system per block and one action per line: readable, and a third the size of indented JSON. */
/** remediationJson's UTF-8 in slices of about a megabyte, yielding to the event loop as the pacer asks. */
export async function writeRemediationJson(plan: RemediationPlan, sink: (slice: Uint8Array) => Promise<void>, pacer: Pacer): Promise<void> {
  const out = new ByteWriter(2 * SLICE);
  out.utf8(`{"schema":${JSON.stringify(plan.schema)},"campaignId":${JSON.stringify(plan.campaignId)},"systems":[\n`);
  for (let s = 0; s < plan.systems.length; s++) {
    const system = plan.systems[s]!;
    out.utf8(`${s > 0 ? ',\n' : ''}{"system":${JSON.stringify(system.system)},"actions":[\n`);
    for (let a = 0; a < system.actions.length; a++) {
      if (a > 0) out.ascii(',\n');
      out.utf8(JSON.stringify(system.actions[a]));
      // Awaited only when a slice is full: an await per action cost more than writing it.
      if (out.size >= SLICE) {
        await sink(out.takeView());
        if (pacer.due()) await pacer.pace();
      }
    }
    out.ascii('\n]}');
  }
  out.ascii('\n]}\n');
  await sink(out.takeView());
}

const SLICE = 1 << 20;

export function remediationJson(plan: RemediationPlan): string {
  const systems = plan.systems.map(
    (s) => `{"system":${JSON.stringify(s.system)},"actions":[\n${s.actions.map((a) => JSON.stringify(a)).join(',\n')}\n]}`,
  );
  return `{"schema":${JSON.stringify(plan.schema)},"campaignId":${JSON.stringify(plan.campaignId)},"systems":[\n${systems.join(',\n')}\n]}\n`;
}

/** Where to carry out a revoke of inherited access, in words: "remove Ann from ap-team (1 identity, 4 entitlements lose access through it)". */
export function remediationLinkWords(link: RemediationLink): string {
  const member = link.memberName ?? link.member;
  const group = link.groupName ?? link.group;
  const { identities, entitlements } = link.blastRadius;
  const radius = `${identities} ${identities === 1 ? 'identity' : 'identities'}, ${entitlements} ${entitlements === 1 ? 'entitlement' : 'entitlements'} lose access through it`;
  switch (link.kind) {
    case 'rule':
      return `granted by a rule: change the rule ${member} that adds ${group} (${radius})`;
    case 'group-link':
      return `remove ${member} from ${group} (the group link; ${radius})`;
    default:
      return `remove ${member} from ${group} (${radius})`;
  }
}

/** Whether any action of the plan cuts a link (the table then has a column saying where). */
export function remediationCutsLinks(plan: RemediationPlan): boolean {
  return plan.systems.some((s) => s.actions.some((a) => a.link));
}

export const REMEDIATION_SHEET = 'Revocations and rotations';

/** The remediation table's columns (known before its rows: the report lays out its sheets first). */
export function remediationColumns(withLinks: boolean, headers: 'csv' | 'people'): Table['columns'] {
  const h = (csv: string, people: string) => (headers === 'csv' ? csv : people);
  return [
    { header: h('system', 'System'), kind: 'text', width: 18 },
    { header: h('action', 'Action'), kind: 'text', width: 14 },
    { header: h('identity_id', 'Identity id'), kind: 'text', width: 18 },
    { header: h('identity_name', 'Identity'), kind: 'text', width: 24 },
    { header: h('target_kind', 'Target kind'), kind: 'text', width: 12 },
    { header: h('target_id', 'Target id'), kind: 'text', width: 18 },
    { header: h('target_name', 'Target'), kind: 'text', width: 24 },
    { header: h('decided_by', 'Decided by'), kind: 'text', width: 14 },
    { header: h('decided_at', 'Decided at (UTC)'), kind: 'date', width: 20 },
    { header: h('approved_by', 'Approved by'), kind: 'text', width: 14 },
    { header: h('rationale', 'Rationale'), kind: 'text', width: 40, distinct: true },
    { header: h('until', 'Exception until'), kind: 'text', width: 14 },
    { header: h('owner_id', 'New owner'), kind: 'text', width: 14 },
    { header: h('item_id', 'Item'), kind: 'text', width: 34, distinct: true },
    ...(withLinks ? [{ header: h('cut_link', 'Where to cut'), kind: 'text' as const, width: 50 }] : []),
  ];
}

export function remediationTable(plan: RemediationPlan, headers: 'csv' | 'people'): Table {
  // The column appears only in a plan that cuts a link: every other plan keeps its columns and bytes.
  const withLinks = remediationCutsLinks(plan);
  return { name: REMEDIATION_SHEET, columns: remediationColumns(withLinks, headers), rows: remediationRows(plan, withLinks) };
}

/**
 * The plan's actions as rows, each made when it is read (a RowSource): a million-decision plan is never held as a
 * table of arrays besides the plan itself. Rows are usually read in order, so the system of the last one is tried first.
 */
function remediationRows(plan: RemediationPlan, withLinks: boolean): RowSource {
  const { systems } = plan;
  // starts[s]: the index of system s's first row.
  const starts: number[] = [];
  let length = 0;
  for (const { actions } of systems) {
    starts.push(length);
    length += actions.length;
  }
  let s = 0;
  return {
    length,
    row(index) {
      if (!(index >= 0 && index < length)) throw new RangeError(`no row ${index} in a table of ${length}`);
      if (index < starts[s]! || index >= starts[s]! + systems[s]!.actions.length) {
        s = 0;
        while (index >= starts[s]! + systems[s]!.actions.length) s++;
      }
      const { system, actions } = systems[s]!;
      const a = actions[index - starts[s]!]!;
      const row: CellValue[] = [
        system,
        a.kind,
        a.identityId,
        a.identityName,
        a.targetKind,
        a.targetId,
        a.targetName,
        a.decidedBy,
        a.decidedAt,
        a.approvedBy,
        a.rationale,
        a.until,
        a.ownerId,
        a.itemId,
      ];
      if (withLinks) row.push(a.link ? remediationLinkWords(a.link) : null);
      return row;
    },
  };
}
