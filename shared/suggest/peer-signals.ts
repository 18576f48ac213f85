// Peer signals: organisational groups (department/title, manager, department), nearest neighbours, where an
// entitlement lives (its home role), and specialists — rare access in recent use is left to the reviewer.
import type { Policy } from './policy';
import { NeighbourIndex, buildPeerGroups, holds, type EntitlementSets, type PeerGroups } from './peers';
import type { SnapshotIndex } from './snapshot-index';
import { SIGNAL_IDS } from './signal-ids';
import type { PeerGroupRef, Signal } from './types';
import type { UsageModel } from './usage';
import { PRIV, PRIV_LEVEL, clearList, daysText, flat, pct, round } from './helpers';
import { PairCache } from './pair-cache';
import { GroupViews, type PeerView } from './group-views';

export { MAX_LISTED_HOLDERS } from './group-views';

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
  const { identities, identIndex, nE, nA, aEnt, aIdent, sets, activeHuman, aLastUsed, dates } = ix;
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
  const deptTitleViews = deptTitle ? new GroupViews(ix, deptTitle, 'department-title', policy, managerLabel) : null;
  const departmentViews = peerPolicy.groups.department ? new GroupViews(ix, deptGroups, 'department', policy, managerLabel) : null;
  const managerViews = manager ? new GroupViews(ix, manager, 'manager', policy, managerLabel) : null;

  // kNN: per identity, count of neighbours holding each entitlement (computed lazily, identity by identity).
  const knnCount = new Int32Array(nE);
  let knnFor = -1;
  let knnPrev: Int32Array = new Int32Array(0);
  let knnMembers: string[] = [];
  // The identity's neighbours (positions into its neighbour list) in id order: rare views list holders sorted by id.
  let knnById: Int32Array = new Int32Array(0);
  let knnGroup = '';
  let knnWhere = '';
  let knnRef: { group: string; size: number; members: string[] } = { group: '', size: 0, members: [] };
  let knnSmall: PeerView | null = null;
  // Sentences of the kNN views, shared by every identity with the same figures: (range, size, holders, entitlement).
  const knnWhereIds = new Map<string, number>();
  let knnWhereId = 0;
  const knnMessages = new Map<number, string>();
  const kMax = peerPolicy.nearestNeighbours.k + 1;
  const knnScratch: PeerView = {
    signal: { id: '', message: '', value: null, threshold: null },
    rare: false,
    common: false,
    share: 0,
    org: false,
  };
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
      knnMembers = new Array<string>(n);
      for (let p = 0; p < n; p++) knnMembers[p] = identities[nb.ids[p]!]!.id;
      const { rankOf } = ix.idRanks();
      // At most k entries: an insertion sort (ranks are distinct) instead of a sort with a callback per identity.
      knnById = new Int32Array(n);
      for (let p = 0; p < n; p++) {
        const r = rankOf[nb.ids[p]!]!;
        let q = p;
        for (; q > 0 && rankOf[nb.ids[knnById[q - 1]!]!]! > r; q--) knnById[q] = knnById[q - 1]!;
        knnById[q] = p;
      }
      knnGroup = `nearest-neighbours:${identities[i]!.id}`;
      knnWhere = `most similar identities by entitlements (Jaccard ${round(nb.sims[n - 1]!, 2)} to ${round(nb.sims[0]!, 2)})`;
      let w = knnWhereIds.get(knnWhere);
      if (w === undefined) knnWhereIds.set(knnWhere, (w = knnWhereIds.size));
      knnWhereId = w;
      knnRef = { group: knnGroup, size: n, members: knnMembers };
      knnSmall = null;
    }
    const id = SIGNAL_IDS.peerKnn;
    const members = knnMembers;
    const group = knnGroup;
    if (n < peerPolicy.minPeers) {
      // The same for all of the identity's assignments: one view per identity.
      return (knnSmall ??= {
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
      });
    }
    const holders = knnCount[e]!;
    const share = holders / n;
    const rare = share < peerPolicy.rareShare;
    const common = share >= peerPolicy.commonShare;
    const messageKey = ((knnWhereId * kMax + n) * kMax + holders) * nE + e;
    let message = knnMessages.get(messageKey);
    if (message === undefined) {
      message = flat(
        `${ent} held by ${holders} of the ${n} ${knnWhere} (${pct(share)}); ${rare ? rareText : common ? commonText : betweenText}`,
      );
      knnMessages.set(messageKey, message);
    }
    let peers: PeerGroupRef = knnRef;
    if (rare) {
      const listed = new Array<string>(holders);
      let k = 0;
      for (let q = 0; q < n; q++) {
        const t = knnById[q]!;
        if (holds(sets, nb.ids[t]!, e)) listed[k++] = members[t]!;
      }
      // A grant listed twice counts twice in knnCount: the list holds each neighbour once.
      if (k !== holders) listed.length = k;
      peers = { group, size: n, members, holders: listed };
    }
    const signal: Signal = {
      id,
      message,
      value: round(share, 4),
      threshold: rare || !common ? peerPolicy.rareShare : peerPolicy.commonShare,
      verdict: rare ? 'revoke' : common ? 'keep' : undefined,
      confidence: common ? round(0.5 + 0.4 * share) : undefined,
      peers,
    };
    // Read only within this assessment: one scratch view, not an object per assignment.
    knnScratch.signal = signal;
    knnScratch.rare = rare;
    knnScratch.common = common;
    knnScratch.share = share;
    return knnScratch;
  };

  /** Whether a rare entitlement belongs to another role (most of its other holders are outside the identity's own group). */
  function homeSignal(a: number, i: number, e: number, level: number, entName: string): Signal {
    const id = SIGNAL_IDS.peerHome;
    const self = activeHuman[i] ? 1 : 0;
    const others = globalHolders[e]! - self;
    if (others <= 0) {
      const min = PRIV_LEVEL[peerPolicy.uniqueGrantMinPrivilege] ?? 2;
      const revoke = level >= min;
      const message = `no other active person holds ${entName}; a unique grant decides from ${peerPolicy.uniqueGrantMinPrivilege} privilege (this one is ${PRIV[level]})`;
      const threshold = peerPolicy.uniqueGrantMinPrivilege;
      // Two literals rather than a spread of an optional part: no temporary object, same key order.
      return revoke ? { id, message, value: 0, threshold, verdict: 'revoke', confidence: 0.6 } : { id, message, value: 0, threshold };
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
    const message = elsewhere
      ? `${others - inside} of the ${others} other holders of ${entName} are outside ${ownLabel}${where}: it belongs to another role`
      : `${inside} of the ${others} other holders of ${entName} are in ${ownLabel}: a role-specific extra, not an outlier`;
    const value = round(share, 4);
    const threshold = peerPolicy.maxHomeShare;
    const signal: Signal = elsewhere
      ? { id, message, value, threshold, verdict: 'revoke', confidence: 0.6 }
      : { id, message, value, threshold };
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
    const l = dates[aLastUsed[a]!]!;
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
    clearList(views);
    let roleUsable = false;
    if (deptTitleViews) {
      const v = deptTitleViews.view(a, i, e, entName);
      if (v) {
        views.push(v);
        roleUsable = !Number.isNaN(v.share);
      }
    }
    // The whole department stands in when the department/title group is too small to compare with.
    if (!roleUsable && departmentViews) {
      const v = departmentViews.view(a, i, e, entName);
      if (v) views.push(v);
    }
    if (managerViews) {
      const v = managerViews.view(a, i, e, entName);
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
