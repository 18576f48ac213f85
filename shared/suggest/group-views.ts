// One organisational peer-group set (department/title, manager or department) as the peer signals read it: the
// share of the group holding an entitlement, and for rare grants the other holders listed. Everything shareable
// (labels, sentences, views of active members) is built once per group and entitlement in slot arrays; the only
// work per assignment is its own rare signal and holder list.
import type { Policy } from './policy';
import type { PeerGroups } from './peers';
import type { SnapshotIndex } from './snapshot-index';
import { SIGNAL_IDS } from './signal-ids';
import type { Signal } from './types';
import { flat, pct, round } from './helpers';
import { PairCache } from './pair-cache';

/** Peer holders listed inside a suggestion at most; beyond this the list is built when a person asks for it. */
export const MAX_LISTED_HOLDERS = 50;

export interface PeerView {
  signal: Signal;
  rare: boolean;
  common: boolean;
  share: number;
  org: boolean;
}

export type GroupKind = 'department-title' | 'manager' | 'department';

interface GroupLabel {
  where: string;
  ref: { group: string; size: number };
  small?: PeerView;
}

/** Every active member's grants as (group, entitlement, member rank by id), sorted: the holders of one entitlement
 * within one group are one run of it, in id order. */
interface HolderRuns {
  /** Member rank of each entry. */
  rank: Int32Array;
  /** (group × nE + entitlement) → its run's first entry (length range + 1), while the range is small; else null. */
  start: Int32Array | null;
  /** The sorted keys themselves, searched when there is no start table. */
  keys: Float64Array | null;
}

/** Group × entitlement pairs beyond which runs are found by binary search rather than a table. */
const RUN_TABLE_LIMIT = 1 << 22;

export class GroupViews {
  private readonly id: string;
  private readonly nE: number;
  private readonly labels: (GroupLabel | undefined)[] = [];
  private readonly views: PairCache<PeerView>;
  private readonly messages: PairCache<string>;
  /** Built on first use (never beyond exact doubles: see holdersBut). */
  private runs: HolderRuns | null = null;
  private readonly rareText: string;
  private readonly commonText: string;
  private readonly betweenText: string;
  private readonly minPeers: number;
  private readonly rareShare: number;
  private readonly commonShare: number;
  private readonly scratch: PeerView = {
    signal: { id: '', message: '', value: null, threshold: null },
    rare: false,
    common: false,
    share: 0,
    org: true,
  };

  constructor(
    private readonly ix: SnapshotIndex,
    readonly groups: PeerGroups,
    private readonly kind: GroupKind,
    policy: Policy,
    private readonly managerLabel: (id: string) => string,
  ) {
    const p = policy.peerOutlier;
    this.id =
      kind === 'department-title' ? SIGNAL_IDS.peerDeptTitle : kind === 'manager' ? SIGNAL_IDS.peerManager : SIGNAL_IDS.peerDepartment;
    this.nE = ix.nE;
    const range = groups.keys.length * ix.nE;
    this.views = new PairCache(range);
    this.messages = new PairCache(range);
    this.rareText = `rare below ${pct(p.rareShare)}`;
    this.commonText = `common from ${pct(p.commonShare)}`;
    this.betweenText = `between rare (< ${pct(p.rareShare)}) and common (>= ${pct(p.commonShare)})`;
    this.minPeers = p.minPeers;
    this.rareShare = p.rareShare;
    this.commonShare = p.commonShare;
  }

  private label(g: number): GroupLabel {
    let label = this.labels[g];
    if (!label) {
      const key = this.groups.keys[g]!;
      const kind = this.kind;
      this.labels[g] = label = {
        where:
          kind === 'department-title'
            ? `in ${key}`
            : kind === 'manager'
              ? `reporting to ${this.managerLabel(key)}`
              : `in department ${key}`,
        ref: { group: `${kind}:${key}`, size: this.groups.size[g]! - 1 },
      };
    }
    return label;
  }

  /** The view of assignment a (identity i, entitlement e) from i's group, null when i has no group. A view not
   * shared between assignments is this instance's scratch object: read it before the next call. */
  view(a: number, i: number, e: number, ent: string): PeerView | null {
    const groups = this.groups;
    const g = groups.groupOf[i]!;
    if (g < 0) return null;
    const self = groups.member[i] ? 1 : 0;
    const size = groups.size[g]! - self;
    const holders = groups.assignCount[a]! - self;
    const label = this.label(g);
    // Active members share one group reference (same size); others get their own.
    const ref = self ? label.ref : { group: label.ref.group, size };
    if (size < this.minPeers) {
      if (self && label.small) return label.small;
      const small: PeerView = {
        signal: {
          id: this.id,
          message: flat(`only ${size} ${size === 1 ? 'peer' : 'peers'} ${label.where}; at least ${this.minPeers} needed to compare`),
          value: null,
          threshold: this.minPeers,
          peers: ref,
        },
        rare: false,
        common: false,
        share: Number.NaN,
        org: true,
      };
      if (self) label.small = small;
      return small;
    }
    const share = holders / size;
    const rare = share < this.rareShare;
    const common = share >= this.commonShare;
    // Every active member of a group holding the same entitlement gets the same view (same figures, same group
    // reference): it is built once and shared. Rare views list the holders other than the identity: built each time.
    const viewKey = g * this.nE + e;
    const shareable = self === 1 && !rare;
    if (shareable) {
      const hit = this.views.get(viewKey);
      if (hit) return hit;
    }
    // Active members holding the same entitlement read the same sentence: written once per group and entitlement.
    let message = self ? this.messages.get(viewKey) : undefined;
    if (message === undefined) {
      message = flat(
        `${ent} held by ${holders} of ${size} peers ${label.where} (${pct(share)}); ${rare ? this.rareText : common ? this.commonText : this.betweenText}`,
      );
      if (self) this.messages.set(viewKey, message);
    }
    const signal: Signal = {
      id: this.id,
      message,
      value: round(share, 4),
      threshold: rare || !common ? this.rareShare : this.commonShare,
      verdict: rare ? 'revoke' : common ? 'keep' : undefined,
      confidence: common ? round(0.5 + 0.4 * share) : undefined,
      // Short lists travel with the suggestion; longer ones are listed on demand from the snapshot (listPeers), and
      // the group reference (same group and size) is then shared.
      peers: rare && holders <= MAX_LISTED_HOLDERS ? { group: ref.group, size, holders: this.holdersBut(g, i, e) } : ref,
    };
    if (shareable) {
      const view: PeerView = { signal, rare, common, share, org: true };
      this.views.set(viewKey, view);
      return view;
    }
    // Read only within the assessment of this one assignment: one scratch view, not an object per assignment.
    const view = this.scratch;
    view.signal = signal;
    view.rare = rare;
    view.common = common;
    view.share = share;
    return view;
  }

  /** The group's members holding e, sorted by id, without `self`: one run of the sorted grants, copied. */
  private holdersBut(g: number, self: number, e: number): string[] {
    const { nI } = this.ix;
    const nE = this.nE;
    // Beyond exact doubles (billions of group × entitlement × identity combinations): walk the holders instead.
    if (this.groups.keys.length * nE * nI >= Number.MAX_SAFE_INTEGER) return this.walkHolders(g, self, e);
    const { rankOf, idByRank } = this.ix.idRanks();
    const runs = (this.runs ??= this.buildRuns());
    const pair = g * nE + e;
    let from: number;
    let to: number;
    if (runs.start) {
      from = runs.start[pair]!;
      to = runs.start[pair + 1]!;
    } else {
      const keys = runs.keys!;
      const base = pair * nI;
      from = lowerBound(keys, 0, keys.length, base);
      to = lowerBound(keys, from, keys.length, base + nI);
    }
    // Self's entry (ranks ascending within the run): binary search, not a scan.
    const rank = runs.rank;
    const mine = rankOf[self]!;
    let at = from;
    let hi = to;
    while (at < hi) {
      const mid = (at + hi) >> 1;
      if (rank[mid]! < mine) at = mid + 1;
      else hi = mid;
    }
    const skip = at < to && rank[at] === mine ? at : -1;
    const out = new Array<string>(to - from - (skip >= 0 ? 1 : 0));
    let k = 0;
    for (let p = from; p < to; p++) if (p !== skip) out[k++] = idByRank[rank[p]!]!;
    return out;
  }

  private buildRuns(): HolderRuns {
    const { nI, sets } = this.ix;
    const { rankOf, byRank } = this.ix.idRanks();
    const groups = this.groups;
    const nE = this.nE;
    let n = 0;
    for (let m = 0; m < nI; m++) if (groups.groupOf[m]! >= 0 && groups.member[m]) n += sets.start[m + 1]! - sets.start[m]!;
    const rank = new Int32Array(n);
    const range = groups.keys.length * nE;
    if (range <= RUN_TABLE_LIMIT) {
      // A counting sort by pair, members visited in rank order: each run comes out in id order without sorting.
      const start = new Int32Array(range + 1);
      for (let m = 0; m < nI; m++) {
        const gm = groups.groupOf[m]!;
        if (gm < 0 || !groups.member[m]) continue;
        for (let q = sets.start[m]!; q < sets.start[m + 1]!; q++) start[gm * nE + sets.ents[q]! + 1]!++;
      }
      for (let x = 0; x < range; x++) start[x + 1]! += start[x]!;
      const fill = start.slice(0, range);
      for (let r = 0; r < nI; r++) {
        const m = byRank[r]!;
        const gm = groups.groupOf[m]!;
        if (gm < 0 || !groups.member[m]) continue;
        for (let q = sets.start[m]!; q < sets.start[m + 1]!; q++) {
          rank[fill[gm * nE + sets.ents[q]!]!++] = r;
        }
      }
      return { rank, start, keys: null };
    }
    const keys = new Float64Array(n);
    let k = 0;
    for (let m = 0; m < nI; m++) {
      const gm = groups.groupOf[m]!;
      if (gm < 0 || !groups.member[m]) continue;
      for (let q = sets.start[m]!; q < sets.start[m + 1]!; q++) keys[k++] = (gm * nE + sets.ents[q]!) * nI + rankOf[m]!;
    }
    keys.sort();
    for (let p = 0; p < n; p++) {
      // Exact integers below 2^53; the quotient's rounding is corrected by the remainder.
      const pair = Math.floor(keys[p]! / nI);
      let r = keys[p]! - pair * nI;
      if (r < 0) r += nI;
      else if (r >= nI) r -= nI;
      rank[p] = r;
    }
    return { rank, start: null, keys };
  }

  private walkHolders(g: number, self: number, e: number): string[] {
    const all: number[] = [];
    const groups = this.groups;
    const { start: hs, ids: hi } = this.ix.holders();
    for (let p = hs[e]!; p < hs[e + 1]!; p++) {
      const m = hi[p]!;
      if (m !== self && groups.groupOf[m] === g && groups.member[m]) all.push(m);
    }
    return all.map((m) => this.ix.identities[m]!.id).sort();
  }
}

/** First position in [from, to) of sorted `keys` holding a value ≥ v. */
function lowerBound(keys: Float64Array, from: number, to: number, v: number): number {
  while (from < to) {
    const mid = (from + to) >> 1;
    if (keys[mid]! < v) from = mid + 1;
    else to = mid;
  }
  return from;
}
