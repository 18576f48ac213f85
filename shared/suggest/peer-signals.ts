// Peer signals: organisational groups (department/title, manager, department), nearest neighbours, where an
// entitlement lives (its home role), and specialists — rare access in recent use is left to the reviewer.
import type { Policy } from './policy';
import { NeighbourIndex, buildPeerGroups, holds, type EntitlementSets, type PeerGroups } from './peers';
import type { SnapshotIndex } from './snapshot-index';
import { SIGNAL_IDS } from './signal-ids';
import type { Signal } from './types';
import type { UsageModel } from './usage';
import { PRIV, PRIV_LEVEL, daysText, flat, pct, round } from './helpers';
import { PairCache } from './pair-cache';

/** Peer holders listed inside a suggestion at most; beyond this the list is built when a person asks for it. */
export const MAX_LISTED_HOLDERS = 50;

interface PeerView {
  signal: Signal;
  rare: boolean;
  common: boolean;
  share: number;
  org: boolean;
}

export interface PeerModel {
  /** Push the peer signals of one assignment of an active or inactive person. */
  assess: (a: number, i: number, e: number, level: number, entName: string, signals: Signal[]) => void;
  /** Highest share among the organisational peer groups with enough peers (NaN when none). */
  peerSupport: (a: number) => number;
  /** Department groups of people (for cohort moves), and each entitlement's holders among active people. */
  deptGroups: PeerGroups;
  globalHolders: Int32Array;
}

export function buildPeers(ix: SnapshotIndex, policy: Policy, usage: UsageModel, cancelCheck: () => void): PeerModel {
  const { identities, identIndex, nE, nA, aEnt, aIdent, sets, activeHuman, lastUsed } = ix;
  const peerPolicy = policy.peerOutlier;
  const isHuman = (i: number) => identities[i]!.type === 'human';
  // Where each entitlement lives: its holders among active people, and the department/title group with most of them.
  const roleGroups = buildPeerGroups(
    identities.map((x, i) => (isHuman(i) && x.department && x.title ? `${x.department}/${x.title}` : undefined)),
    activeHuman,
    sets,
    nE,
    nA,
  );
  const deptGroups = buildPeerGroups(
    identities.map((x, i) => (isHuman(i) && x.department ? x.department : undefined)),
    activeHuman,
    sets,
    nE,
    nA,
  );
  const globalHolders = new Int32Array(nE);
  for (let a = 0; a < nA; a++) if (aEnt[a]! >= 0 && aIdent[a]! >= 0 && activeHuman[aIdent[a]!]) globalHolders[aEnt[a]!]!++;
  const homeGroup = roleGroups.homeGroup;
  const homeCount = roleGroups.homeCount;
  const deptTitle = peerPolicy.enabled && peerPolicy.groups.departmentTitle ? roleGroups : null;
  const manager =
    peerPolicy.enabled && peerPolicy.groups.manager
      ? buildPeerGroups(
          identities.map((x, i) => (isHuman(i) && x.managerId ? x.managerId : undefined)),
          activeHuman,
          sets,
          nE,
          nA,
        )
      : null;
  cancelCheck();
  const knn =
    peerPolicy.enabled && peerPolicy.nearestNeighbours.enabled
      ? new NeighbourIndex(sets, nE, activeHuman, peerPolicy.nearestNeighbours.k, peerPolicy.nearestNeighbours.minSimilarity)
      : null;

  const managerLabel = (id: string) => {
    const m = identIndex.get(id);
    return m === undefined ? id : `${identities[m]!.displayName} (${id})`;
  };

  const rareText = `rare below ${pct(peerPolicy.rareShare)}`;
  const commonText = `common from ${pct(peerPolicy.commonShare)}`;
  const betweenText = `between rare (< ${pct(peerPolicy.rareShare)}) and common (>= ${pct(peerPolicy.commonShare)})`;
  const pairs = <T>(groups: PeerGroups | null) => new PairCache<T>(groups ? groups.keys.length * nE : 0);
  const deptTitleViews = pairs<PeerView>(roleGroups);
  const deptTitleMessages = pairs<string>(roleGroups);
  const managerMessages = pairs<string>(manager);
  const departmentMessages = pairs<string>(deptGroups);
  const departmentViews = pairs<PeerView>(deptGroups);
  const departmentLabels: (GroupLabel | undefined)[] = [];
  const managerViews = pairs<PeerView>(manager);
  type GroupLabel = { where: string; ref: { group: string; size: number }; small?: PeerView };
  const deptTitleLabels: (GroupLabel | undefined)[] = [];
  const managerLabels: (GroupLabel | undefined)[] = [];
  const groupView = (
    groups: PeerGroups,
    kind: 'department-title' | 'manager' | 'department',
    a: number,
    i: number,
    e: number,
    ent: string,
  ): PeerView | null => {
    const g = groups.groupOf[i]!;
    if (g < 0) return null;
    const self = groups.member[i] ? 1 : 0;
    const size = groups.size[g]! - self;
    const holders = groups.assignCount[a]! - self;
    const key = groups.keys[g]!;
    const id =
      kind === 'department-title' ? SIGNAL_IDS.peerDeptTitle : kind === 'manager' ? SIGNAL_IDS.peerManager : SIGNAL_IDS.peerDepartment;
    const cache = kind === 'department-title' ? deptTitleLabels : kind === 'manager' ? managerLabels : departmentLabels;
    let label = cache[g];
    if (!label)
      cache[g] = label = {
        where:
          kind === 'department-title' ? `in ${key}` : kind === 'manager' ? `reporting to ${managerLabel(key)}` : `in department ${key}`,
        ref: { group: `${kind}:${key}`, size: groups.size[g]! - 1 },
      };
    const where = label.where;
    // Active members share one group reference (same size); others get their own.
    const ref = self ? label.ref : { group: label.ref.group, size };
    if (size < peerPolicy.minPeers) {
      if (self && label.small) return label.small;
      const small: PeerView = {
        signal: {
          id,
          message: flat(`only ${size} ${size === 1 ? 'peer' : 'peers'} ${where}; at least ${peerPolicy.minPeers} needed to compare`),
          value: null,
          threshold: peerPolicy.minPeers,
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
    const rare = share < peerPolicy.rareShare;
    const common = share >= peerPolicy.commonShare;
    // Every active member of a group holding the same entitlement gets the same view (same figures, same group
    // reference): it is built once and shared. Rare views list the holders other than the identity: built each time.
    const shareable = self === 1 && !rare;
    const viewKey = g * nE + e;
    const viewCache = kind === 'department-title' ? deptTitleViews : kind === 'manager' ? managerViews : departmentViews;
    if (shareable) {
      const hit = viewCache.get(viewKey);
      if (hit) return hit;
    }
    // Active members holding the same entitlement read the same sentence: written once per group and entitlement.
    const messages = kind === 'department-title' ? deptTitleMessages : kind === 'manager' ? managerMessages : departmentMessages;
    let message = self ? messages.get(viewKey) : undefined;
    if (message === undefined) {
      message = flat(
        `${ent} held by ${holders} of ${size} peers ${where} (${pct(share)}); ${rare ? rareText : common ? commonText : betweenText}`,
      );
      if (self) messages.set(viewKey, message);
    }
    const signal: Signal = {
      id,
      message,
      value: round(share, 4),
      threshold: rare || !common ? peerPolicy.rareShare : peerPolicy.commonShare,
      verdict: rare ? 'revoke' : common ? 'keep' : undefined,
      confidence: common ? round(0.5 + 0.4 * share) : undefined,
      // Short lists travel with the suggestion; longer ones are listed on demand from the snapshot (listPeers).
      peers: rare
        ? holders <= MAX_LISTED_HOLDERS
          ? { group: ref.group, size, holders: groupHolders(groups, g, i, e) }
          : { group: ref.group, size }
        : ref,
    };
    const view: PeerView = { signal, rare, common, share, org: true };
    if (shareable) viewCache.set(viewKey, view);
    return view;
  };

  // Identity → rank by id, so holder lists come out sorted by id without comparing strings per list.
  let rankOf: Int32Array | null = null;
  let byRank: Int32Array | null = null;
  const ranks = (): [Int32Array, Int32Array] => {
    if (!rankOf || !byRank) {
      const order = Array.from({ length: identities.length }, (_, k) => k).sort((x, y) =>
        identities[x]!.id < identities[y]!.id ? -1 : identities[x]!.id > identities[y]!.id ? 1 : x - y,
      );
      byRank = Int32Array.from(order);
      rankOf = new Int32Array(order.length);
      for (let r = 0; r < order.length; r++) rankOf[order[r]!] = r;
    }
    return [rankOf, byRank];
  };
  // Per group set: every (group, entitlement, member rank) as one sorted number, built once on first use, so the
  // holders of an entitlement within a group are one binary search away (no walk per group and entitlement).
  const holderKeys = new Map<PeerGroups, Float64Array>();
  const holderLists = new Map<PeerGroups, PairCache<{ ids: string[]; who: Int32Array }>>();
  const nIdent = identities.length;
  const lowerBound = (arr: Float64Array, x: number): number => {
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (arr[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const groupHolders = (groups: PeerGroups, g: number, self: number, e: number): string[] => {
    // Beyond exact doubles (billions of group × entitlement × identity combinations): walk the holders instead.
    if (groups.keys.length * nE * nIdent >= Number.MAX_SAFE_INTEGER) return walkHolders(groups, g, self, e);
    let keys = holderKeys.get(groups);
    if (!keys) {
      const [rankOfId] = ranks();
      let n = 0;
      for (let m = 0; m < nIdent; m++) if (groups.groupOf[m]! >= 0 && groups.member[m]) n += sets.start[m + 1]! - sets.start[m]!;
      keys = new Float64Array(n);
      let k = 0;
      for (let m = 0; m < nIdent; m++) {
        const gm = groups.groupOf[m]!;
        if (gm < 0 || !groups.member[m]) continue;
        for (let q = sets.start[m]!; q < sets.start[m + 1]!; q++) keys[k++] = (gm * nE + sets.ents[q]!) * nIdent + rankOfId[m]!;
      }
      keys.sort();
      holderKeys.set(groups, keys);
    }
    // Every member's list is the group's holders of the entitlement but itself: the sorted ids are found once per
    // group and entitlement, and each list is a copy without one entry (no search, no lookup per id).
    let lists = holderLists.get(groups);
    if (!lists) holderLists.set(groups, (lists = new PairCache(groups.keys.length * nE)));
    const base = (g * nE + e) * nIdent;
    let all = lists.get(g * nE + e);
    if (!all) {
      const [, byRankId] = ranks();
      const from = lowerBound(keys, base);
      let to = from;
      while (to < keys.length && keys[to]! < base + nIdent) to++;
      all = { ids: new Array<string>(to - from), who: new Int32Array(to - from) };
      for (let p = from; p < to; p++) {
        const m = byRankId[keys[p]! - base]!;
        all.ids[p - from] = identities[m]!.id;
        all.who[p - from] = m;
      }
      lists.set(g * nE + e, all);
    }
    const at = all.who.indexOf(self);
    if (at < 0) return all.ids.slice();
    const out = new Array<string>(all.ids.length - 1);
    for (let p = 0; p < at; p++) out[p] = all.ids[p]!;
    for (let p = at + 1; p < all.ids.length; p++) out[p - 1] = all.ids[p]!;
    return out;
  };

  function walkHolders(groups: PeerGroups, g: number, self: number, e: number): string[] {
    const all: number[] = [];
    const { start: hs, ids: hi } = ix.holders();
    for (let p = hs[e]!; p < hs[e + 1]!; p++) {
      const m = hi[p]!;
      if (m !== self && groups.groupOf[m] === g && groups.member[m]) all.push(m);
    }
    return all.map((m) => identities[m]!.id).sort();
  }

  // kNN: per identity, count of neighbours holding each entitlement (computed lazily, identity by identity).
  const knnCount = new Int32Array(nE);
  let knnFor = -1;
  let knnPrev: Int32Array = new Int32Array(0);
  let knnMembers: string[] = [];
  let knnGroup = '';
  let knnWhere = '';
  let knnRef: { group: string; size: number; members: string[] } = { group: '', size: 0, members: [] };
  const knnView = (i: number, e: number, ent: string): PeerView | null => {
    if (!knn) return null;
    const nb = knn.neighbours(i);
    const n = nb.ids.length;
    if (n === 0) return null;
    if (knnFor !== i) {
      for (let p = 0; p < knnPrev.length; p++) resetCounts(sets, knnPrev[p]!, knnCount);
      for (let p = 0; p < n; p++) addCounts(sets, nb.ids[p]!, knnCount);
      knnPrev = nb.ids;
      knnFor = i;
      knnMembers = Array.from(nb.ids, (m) => identities[m]!.id);
      knnGroup = `nearest-neighbours:${identities[i]!.id}`;
      knnWhere = `most similar identities by entitlements (Jaccard ${round(nb.sims[n - 1]!, 2)} to ${round(nb.sims[0]!, 2)})`;
      knnRef = { group: knnGroup, size: n, members: knnMembers };
    }
    const id = SIGNAL_IDS.peerKnn;
    const members = knnMembers;
    const group = knnGroup;
    if (n < peerPolicy.minPeers) {
      return {
        signal: {
          id,
          message: `only ${n} nearest ${n === 1 ? 'neighbour' : 'neighbours'} with Jaccard similarity >= ${peerPolicy.nearestNeighbours.minSimilarity}; at least ${peerPolicy.minPeers} needed`,
          value: null,
          threshold: peerPolicy.minPeers,
          peers: knnRef,
        },
        rare: false,
        common: false,
        share: Number.NaN,
        org: false,
      };
    }
    const holders = knnCount[e]!;
    const share = holders / n;
    const rare = share < peerPolicy.rareShare;
    const common = share >= peerPolicy.commonShare;
    const signal: Signal = {
      id,
      message: `${ent} held by ${holders} of the ${n} ${knnWhere} (${pct(share)}); ${rare ? rareText : common ? commonText : betweenText}`,
      value: round(share, 4),
      threshold: rare || !common ? peerPolicy.rareShare : peerPolicy.commonShare,
      verdict: rare ? 'revoke' : common ? 'keep' : undefined,
      confidence: common ? round(0.5 + 0.4 * share) : undefined,
      peers: rare ? { group, size: n, members, holders: members.filter((_, t) => holds(sets, nb.ids[t]!, e)).sort() } : knnRef,
    };
    return { signal, rare, common, share, org: false };
  };

  /** Whether a rare entitlement belongs to another role (most of its other holders are outside the identity's own group). */
  function homeSignal(a: number, i: number, e: number, level: number, entName: string): Signal {
    const id = SIGNAL_IDS.peerHome;
    const self = activeHuman[i] ? 1 : 0;
    const others = globalHolders[e]! - self;
    if (others <= 0) {
      const min = PRIV_LEVEL[peerPolicy.uniqueGrantMinPrivilege] ?? 2;
      const revoke = level >= min;
      return {
        id,
        message: `no other active person holds ${entName}; a unique grant decides from ${peerPolicy.uniqueGrantMinPrivilege} privilege (this one is ${PRIV[level]})`,
        value: 0,
        threshold: peerPolicy.uniqueGrantMinPrivilege,
        ...(revoke ? { verdict: 'revoke' as const, confidence: 0.6 } : {}),
      };
    }
    let own: PeerGroups | null = null;
    let g = -1;
    if (roleGroups) {
      g = roleGroups.groupOf[i]!;
      if (g >= 0 && roleGroups.size[g]! - (roleGroups.member[i] ? 1 : 0) >= peerPolicy.minPeers) own = roleGroups;
    }
    if (!own && deptGroups) {
      g = deptGroups.groupOf[i]!;
      if (g >= 0) own = deptGroups;
    }
    // An active member's figures depend only on its group and the entitlement: one shared signal per pair.
    const homeKey = self && own && own.member[i] ? ((own === roleGroups ? 0 : 1) + 2 * g) * nE + e : -1;
    if (homeKey >= 0) {
      const hit = homeCache.get(homeKey);
      if (hit) return hit;
    }
    const inside = own ? own.assignCount[a]! - (own.member[i] ? 1 : 0) : 0;
    const ownLabel = own ? own.keys[g]! : 'no group';
    const share = inside / others;
    const hg = homeGroup[e]!;
    const where =
      hg >= 0 && roleGroups && !(own === roleGroups && hg === g) ? `; most hold it in ${roleGroups.keys[hg]} (${homeCount[e]})` : '';
    const elsewhere = share < peerPolicy.maxHomeShare;
    const signal: Signal = {
      id,
      message: elsewhere
        ? `${others - inside} of the ${others} other holders of ${entName} are outside ${ownLabel}${where}: it belongs to another role`
        : `${inside} of the ${others} other holders of ${entName} are in ${ownLabel}: a role-specific extra, not an outlier`,
      value: round(share, 4),
      threshold: peerPolicy.maxHomeShare,
      ...(elsewhere ? { verdict: 'revoke' as const, confidence: 0.6 } : {}),
    };
    if (homeKey >= 0) homeCache.set(homeKey, signal);
    return signal;
  }
  const homeCache = new PairCache<Signal>(2 * Math.max(roleGroups.keys.length, deptGroups.keys.length) * nE);

  const peerSupport = (a: number): number => {
    // Highest share among the organisational peer groups with enough peers (NaN when none).
    const i = aIdent[a]!;
    const e = aEnt[a]!;
    let best = Number.NaN;
    for (const groups of [deptTitle, manager]) {
      if (!groups || i < 0 || e < 0) continue;
      const g = groups.groupOf[i]!;
      if (g < 0) continue;
      const self = groups.member[i] ? 1 : 0;
      const size = groups.size[g]! - self;
      if (size < peerPolicy.minPeers) continue;
      const share = (groups.assignCount[a]! - self) / size;
      if (!(share <= best)) best = share;
    }
    return best;
  };

  /** Rare access in recent use, held elsewhere only in the identity's own department (or by nobody else): a
   * specialist's (the on-call engineer, the one clerk who releases wires), not an outlier to revoke. */
  function specialistSignal(a: number, i: number, e: number, between: PeerView | null): Signal | null {
    const l = lastUsed[a]!;
    if (l !== l) return null;
    const d = ix.daysSince(l);
    if (d > usage.window[e]!) return null;
    // A team that moved together and still uses its old access: not rare in its own manager group, and in use.
    if (between)
      return {
        id: SIGNAL_IDS.peerSpecialist,
        message: flat(
          `rare but in use (${daysText(d)} ago), and not rare in every group (${between.signal.peers?.group ?? 'a peer group'}: ${pct(between.share)}): left to the reviewer`,
        ),
        value: d,
        threshold: usage.window[e]!,
      };
    const self = activeHuman[i] ? 1 : 0;
    const others = globalHolders[e]! - self;
    const g = deptGroups.groupOf[i]!;
    const inDept = g >= 0 ? deptGroups.assignCount[a]! - (deptGroups.member[i] ? 1 : 0) : 0;
    if (others > 0 && inDept / others < peerPolicy.maxHomeShare) return null;
    // Held by nobody else, or by one or two (coincidence is likely): a specialist's only when its application is at
    // home in the identity's department.
    const app = ix.applications[ix.entApp[e]!];
    if (others < 3 && (g < 0 || appHome(ix.entApp[e]!) !== g)) return null;
    const held = others === 0 ? 'no other active person holds it' : `${inDept} of its ${others} other holders are in ${deptGroups.keys[g]}`;
    const where = others < 3 ? `${held}; its application ${app} is used mostly in ${deptGroups.keys[g]}` : held;
    return {
      id: SIGNAL_IDS.peerSpecialist,
      message: flat(`rare but in use (${daysText(d)} ago); ${where}: a specialist's access, left to the reviewer`),
      value: d,
      threshold: usage.window[e]!,
    };
  }

  // Application → the department holding most of its grants among active people (-1: none), built on first use.
  let appHomes: Int32Array | null = null;
  const appHome = (app: number): number => {
    if (!appHomes) {
      const nG = deptGroups.keys.length;
      const nApp = ix.applications.length;
      const counts = new Int32Array(nApp * nG);
      for (let a = 0; a < nA; a++) {
        const i = aIdent[a]!;
        const e = aEnt[a]!;
        if (i < 0 || e < 0 || !activeHuman[i]) continue;
        const g = deptGroups.groupOf[i]!;
        if (g >= 0) counts[ix.entApp[e]! * nG + g]!++;
      }
      appHomes = new Int32Array(nApp).fill(-1);
      for (let x = 0; x < nApp; x++) {
        let best = 0;
        for (let g = 0; g < nG; g++)
          if (counts[x * nG + g]! > best) {
            best = counts[x * nG + g]!;
            appHomes[x] = g;
          }
      }
    }
    return appHomes[app]!;
  };

  const viewScratch: PeerView[] = [];
  function assess(a: number, i: number, e: number, level: number, entName: string, signals: Signal[]): void {
    const views = viewScratch;
    views.length = 0;
    let roleUsable = false;
    if (deptTitle) {
      const v = groupView(deptTitle, 'department-title', a, i, e, entName);
      if (v) {
        views.push(v);
        roleUsable = !Number.isNaN(v.share);
      }
    }
    // The whole department stands in when the department/title group is too small to compare with.
    if (!roleUsable && deptGroups && peerPolicy.groups.department) {
      const v = groupView(deptGroups, 'department', a, i, e, entName);
      if (v) views.push(v);
    }
    if (manager) {
      const v = groupView(manager, 'manager', a, i, e, entName);
      if (v) views.push(v);
    }
    // Nearest neighbours are consulted where the organisational groups do not settle it: no usable group,
    // or a group where the entitlement is rare and none where it is common.
    let orgAny = false;
    let orgRare = false;
    let orgCommon = false;
    for (const v of views) {
      if (Number.isNaN(v.share)) continue;
      orgAny = true;
      if (v.rare) orgRare = true;
      if (v.common) orgCommon = true;
    }
    if (!orgAny || (orgRare && !orgCommon)) {
      const k = knnView(i, e, entName);
      if (k) views.push(k);
    }
    let orgCommonAny = false;
    let knnCommon = false;
    let rareCount = 0;
    let rareOrg = false;
    let roleRare = false;
    let managerRare = false;
    let orgUsable = 0;
    let minShare = 1;
    for (const v of views) {
      if (Number.isNaN(v.share)) continue;
      if (v.common) {
        if (v.org) orgCommonAny = true;
        else knnCommon = true;
      }
      if (v.org) orgUsable++;
      if (v.rare) {
        rareCount++;
        if (v.org) rareOrg = true;
        if (v.signal.id === SIGNAL_IDS.peerDeptTitle) roleRare = true;
        if (v.signal.id === SIGNAL_IDS.peerManager) managerRare = true;
        if (v.share < minShare) minShare = v.share;
      }
    }
    // Rare in at least one view and common in no organisational group; with no organisational group large
    // enough, nearest neighbours alone decide. Similar identities holding it (nearest neighbours common) overrule
    // a rare finding unless both the department/title group and the manager's team find it rare: a team holding
    // it together (embedded in another department, or moved together) is judged by its use (unused-access,
    // cohort-move), an individual's leftover is not. Then the entitlement must belong to another role.
    let decisive = rareCount > 0 && !orgCommonAny && (orgUsable === 0 || rareOrg) && !(knnCommon && !(roleRare && managerRare));
    if (decisive) {
      const home = homeSignal(a, i, e, level, entName);
      signals.push(home);
      decisive = home.verdict === 'revoke';
      if (decisive) {
        let between: PeerView | null = null;
        // Not rare in the manager's team (not common there either, or it would not be decisive).
        for (const v of views) if (v.org && !v.rare && !v.common && v.share === v.share) between = v;
        const specialist = specialistSignal(a, i, e, between);
        if (specialist) {
          signals.push(specialist);
          decisive = false;
        }
      }
    }
    for (const v of views) {
      if (v.rare) {
        if (decisive) v.signal.confidence = round(Math.min(0.95, 0.45 + 0.15 * rareCount + 0.2 * (1 - minShare / peerPolicy.rareShare)));
        else v.signal.verdict = undefined;
      }
      signals.push(v.signal);
    }
    if (!views.length)
      signals.push({
        id: SIGNAL_IDS.peerNone,
        message: 'no peer group: no department and title, no manager, no similar identities',
        value: null,
        threshold: peerPolicy.minPeers,
      });
  }

  return { assess, peerSupport, deptGroups, globalHolders };
}

function addCounts(sets: EntitlementSets, i: number, counts: Int32Array): void {
  for (let p = sets.start[i]!; p < sets.start[i + 1]!; p++) counts[sets.ents[p]!]!++;
}

function resetCounts(sets: EntitlementSets, i: number, counts: Int32Array): void {
  for (let p = sets.start[i]!; p < sets.start[i + 1]!; p++) counts[sets.ents[p]!] = 0;
}
