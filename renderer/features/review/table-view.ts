// Filters, sort and grouping over the compact campaign table: integer columns and dictionary look-ups, no
// per-item objects, so a filter change over 100,000 items takes milliseconds on the UI thread.
import { itemStanding, standingInputOf, type ItemState } from '../../../shared/review';
import { RISK_TIERS, SUGGESTED_ACTIONS } from '../../../shared/suggest';
import { IDENTITY_TYPES } from '../../../shared/model';
import { NONE, actionOf, decisionClassOf, indexOfItem, type CampaignTable } from '../../workers';

export type GroupBy = 'none' | 'identity' | 'entitlement' | 'application' | 'via';
export type SortBy = 'engine' | 'risk' | 'confidence' | 'identity';
export type ItemStatus = 'open' | 'decided' | 'pending approval' | 'escalated';

export interface ViewFilters {
  search: string;
  risk: string | null;
  action: string | null;
  identityClass: string | null;
  status: string | null;
  /** Only items assigned to this reviewer (and unassigned ones); null: everyone's. */
  mine: string | null;
  groupBy: GroupBy;
  sortBy: SortBy;
}

/** The item's standing as shared/review defines it (one definition for the screen, the counts and the package). */
export function itemStatus(t: CampaignTable, index: number, state: ItemState | undefined): ItemStatus {
  const s = itemStanding(decisionClassOf(t, index), standingInputOf(state?.current));
  return s === 'awaiting-approval' ? 'pending approval' : s;
}

export interface TableView {
  /** Table indexes of the items shown, in order. */
  items: Uint32Array;
  /** Rows of the list: >= 0 the position in `items`; < 0 the group header -(g + 1). */
  rows: Int32Array;
  /** `direct`: the group of direct grants (grouping by granting group), labelled by the screen. */
  groups: { label: string; count: number; direct?: true }[];
  /** Position in `items` → row. */
  rowOf: Int32Array;
}

const TIER_RANK = [3, 2, 1, 0]; // RISK_TIERS low, medium, high, critical → critical first

export function tableView(t: CampaignTable, f: ViewFilters, states: ReadonlyMap<string, ItemState>): TableView {
  const risk = f.risk ? RISK_TIERS.indexOf(f.risk as (typeof RISK_TIERS)[number]) : -1;
  const action = f.action ? SUGGESTED_ACTIONS.indexOf(f.action as (typeof SUGGESTED_ACTIONS)[number]) : -1;
  const cls = f.identityClass ? IDENTITY_TYPES.indexOf(f.identityClass as (typeof IDENTITY_TYPES)[number]) : -1;
  const q = f.search.trim().toLowerCase();
  // Search: one test per dictionary string, then per item a few look-ups. A query without a space matches the
  // joined row text exactly when it matches one of its fields.
  let dictMatch: Uint8Array | null = null;
  const joined = q.includes(' ');
  if (q && !joined) {
    dictMatch = new Uint8Array(t.strings.length);
    for (let s = 0; s < t.strings.length; s++) if (t.strings[s]!.toLowerCase().includes(q)) dictMatch[s] = 1;
  }
  const actionMatch = SUGGESTED_ACTIONS.map((a) => a.includes(q));
  const mine = f.mine === null ? -2 : t.strings.indexOf(f.mine);
  const out = new Uint32Array(t.count);
  let n = 0;
  for (let i = 0; i < t.count; i++) {
    if (risk >= 0 && t.tier[i] !== risk) continue;
    if (f.action && t.action[i] !== action) continue;
    if (f.identityClass && t.identityClass[i] !== cls) continue;
    if (f.mine !== null && t.reviewer[i] !== NONE && t.reviewer[i] !== mine) continue;
    if (f.status && itemStatus(t, i, states.get(t.itemIds[i]!)) !== f.status) continue;
    if (q) {
      if (dictMatch) {
        if (
          !dictMatch[t.who[i]!] &&
          !dictMatch[t.what[i]!] &&
          !dictMatch[t.app[i]!] &&
          !dictMatch[t.identityId[i]!] &&
          !actionMatch[t.action[i]!]
        )
          continue;
      } else {
        const text =
          `${t.strings[t.who[i]!]} ${t.strings[t.what[i]!]} ${t.strings[t.app[i]!]} ${t.strings[t.identityId[i]!]} ${actionOf(t, i)}`.toLowerCase();
        if (!text.includes(q)) continue;
      }
    }
    out[n++] = i;
  }
  let items = out.subarray(0, n);
  if (f.groupBy !== 'none' || f.sortBy !== 'engine') {
    const group =
      f.groupBy === 'identity'
        ? t.who
        : f.groupBy === 'entitlement'
          ? t.what
          : f.groupBy === 'application'
            ? t.app
            : f.groupBy === 'via'
              ? t.via
              : null;
    const rank = t.rank;
    // Direct grants (NONE) first, then the granting groups in name order.
    const rankOf = (s: number) => (s === NONE ? -1 : rank[s]!);
    const sorted = Array.from(items);
    sorted.sort((a, b) => {
      if (group) {
        const d = rankOf(group[a]!) - rankOf(group[b]!);
        if (d) return d;
      }
      let d = 0;
      if (f.sortBy === 'risk') d = TIER_RANK[t.tier[a]!]! - TIER_RANK[t.tier[b]!]!;
      else if (f.sortBy === 'confidence') d = t.confidence[b]! - t.confidence[a]!;
      else if (f.sortBy === 'identity') d = rank[t.who[a]!]! - rank[t.who[b]!]!;
      return d || a - b;
    });
    items = Uint32Array.from(sorted);
  }
  const groups: TableView['groups'] = [];
  if (f.groupBy === 'none') {
    const rows = new Int32Array(items.length);
    for (let k = 0; k < rows.length; k++) rows[k] = k;
    return { items, rows, groups, rowOf: rows };
  }
  const col = f.groupBy === 'identity' ? t.who : f.groupBy === 'entitlement' ? t.what : f.groupBy === 'via' ? t.via : t.app;
  const rows: number[] = [];
  const rowOf = new Int32Array(items.length);
  let current = -1;
  for (let k = 0; k < items.length; k++) {
    const label = col[items[k]!]!;
    if (label !== current) {
      current = label;
      groups.push(label === NONE ? { label: '', count: 0, direct: true } : { label: t.strings[label]!, count: 0 });
      rows.push(-groups.length);
    }
    groups[groups.length - 1]!.count++;
    rowOf[k] = rows.length;
    rows.push(k);
  }
  return { items, rows: Int32Array.from(rows), groups, rowOf };
}

/** The selection: a position in the view and the item there (the item wins when the view changes under it). */
export interface Cursor {
  pos: number;
  id: string | null;
}

export function resolvePosition(view: TableView, table: CampaignTable, c: Cursor): number {
  const n = view.items.length;
  if (!n) return -1;
  if (c.id !== null) {
    if (c.pos < n && table.itemIds[view.items[c.pos]!] === c.id) return c.pos;
    const i = indexOfItem(table, c.id);
    const p = i >= 0 ? view.items.indexOf(i) : -1;
    if (p >= 0) return p;
  }
  return Math.max(0, Math.min(c.pos, n - 1));
}

/**
 * The view a campaign opens on and the table index of the item it selects (-1: none), made before the decisions are
 * read (the screen asks for that item's detail then); null where a decision status filter needs them.
 */
export function openingView(table: CampaignTable, f: ViewFilters, c: Cursor): { view: TableView; index: number } | null {
  if (f.status) return null;
  const view = tableView(table, f, new Map());
  const p = resolvePosition(view, table, c);
  return { view, index: p >= 0 ? view.items[p]! : -1 };
}

/** Whether the view is the table's own order, every item (the campaign worker then knows which item opens first). */
export function inTableOrder(f: ViewFilters): boolean {
  return (
    !f.search.trim() &&
    !f.risk &&
    !f.action &&
    !f.identityClass &&
    !f.status &&
    f.mine === null &&
    f.groupBy === 'none' &&
    f.sortBy === 'engine'
  );
}
