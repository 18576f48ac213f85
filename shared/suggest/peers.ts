// Peer indexes for the peer-outlier signal: organisational groups (department+title, manager) as entitlement
// counts per group, and k nearest neighbours by Jaccard similarity of entitlement sets found with MinHash LSH,
// so nothing compares every identity with every other (100k identities stay in the low seconds).

/** Identity → sorted entitlement indexes, as compressed rows (CSR), with the assignment behind each entry. */
export interface EntitlementSets {
  start: Int32Array; // length nIdentities + 1
  ents: Int32Array; // sorted within each identity
  assign: Int32Array; // assignment index of each entry (aligned with ents)
}

export function buildEntitlementSets(nIdentities: number, aIdent: Int32Array, aEnt: Int32Array): EntitlementSets {
  const start = new Int32Array(nIdentities + 1);
  // An assignment counts when both its identity and its entitlement are known (-1: not in the snapshot).
  for (let i = 0; i < aIdent.length; i++) {
    const id = aIdent[i]!;
    if (id >= 0 && aEnt[i]! >= 0) start[id + 1]!++;
  }
  for (let i = 0; i < nIdentities; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, nIdentities);
  const ents = new Int32Array(start[nIdentities]!);
  const assign = new Int32Array(start[nIdentities]!);
  for (let a = 0; a < aIdent.length; a++) {
    const id = aIdent[a]!;
    if (id < 0 || aEnt[a]! < 0) continue;
    const at = fill[id]!++;
    ents[at] = aEnt[a]!;
    assign[at] = a;
  }
  for (let i = 0; i < nIdentities; i++) {
    const s = start[i]!;
    const e = start[i + 1]!;
    if (e - s < 2) continue;
    if (e - s <= 64) {
      // Insertion sort of (ent, assignment) pairs: segments are short.
      for (let p = s + 1; p < e; p++) {
        const ve = ents[p]!;
        const va = assign[p]!;
        let q = p - 1;
        while (q >= s && ents[q]! > ve) {
          ents[q + 1] = ents[q]!;
          assign[q + 1] = assign[q]!;
          q--;
        }
        ents[q + 1] = ve;
        assign[q + 1] = va;
      }
    } else {
      const idx = Array.from({ length: e - s }, (_, k) => s + k).sort((x, y) => ents[x]! - ents[y]! || assign[x]! - assign[y]!);
      const se = idx.map((k) => ents[k]!);
      const sa = idx.map((k) => assign[k]!);
      ents.set(se, s);
      assign.set(sa, s);
    }
  }
  return { start, ents, assign };
}

export function holds(sets: EntitlementSets, identity: number, ent: number): boolean {
  let lo = sets.start[identity]!;
  let hi = sets.start[identity + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sets.ents[mid]!;
    if (v === ent) return true;
    if (v < ent) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export function jaccard(sets: EntitlementSets, x: number, y: number): number {
  let i = sets.start[x]!;
  const ie = sets.start[x + 1]!;
  let j = sets.start[y]!;
  const je = sets.start[y + 1]!;
  const nx = ie - i;
  const ny = je - j;
  if (nx === 0 && ny === 0) return 0;
  let inter = 0;
  const e = sets.ents;
  while (i < ie && j < je) {
    const a = e[i]!;
    const b = e[j]!;
    if (a === b) {
      inter++;
      i++;
      j++;
    } else if (a < b) i++;
    else j++;
  }
  return inter / (nx + ny - inter);
}

/** Groups of identities (members) with, for every assignment, how many members of its identity's group hold
 * the same entitlement (the identity itself included when it is a member). */
export interface PeerGroups {
  /** Identity → group index, -1 when it has none. */
  groupOf: Int32Array;
  /** Whether the identity counts as a peer in its group (active). */
  member: Uint8Array;
  size: Int32Array;
  keys: string[];
  /** Assignment → members of the group holding its entitlement. */
  assignCount: Int32Array;
  membersStart: Int32Array;
  members: Int32Array;
  /** Entitlement → the group where most members hold it, and how many. */
  homeGroup: Int32Array;
  homeCount: Int32Array;
}

export function buildPeerGroups(
  keyOf: (string | undefined)[],
  member: Uint8Array,
  sets: EntitlementSets,
  nEnt: number,
  nAssign: number,
): PeerGroups {
  const n = keyOf.length;
  const index = new Map<string, number>();
  const keys: string[] = [];
  const groupOf = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const k = keyOf[i];
    if (k === undefined) continue;
    let g = index.get(k);
    if (g === undefined) {
      g = keys.length;
      keys.push(k);
      index.set(k, g);
    }
    groupOf[i] = g;
  }
  const nG = keys.length;
  const size = new Int32Array(nG);
  const allStart = new Int32Array(nG + 1);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    if (g < 0) continue;
    allStart[g + 1]!++;
    if (member[i]) size[g]!++;
  }
  for (let g = 0; g < nG; g++) allStart[g + 1]! += allStart[g]!;
  const all = new Int32Array(allStart[nG]!);
  const fillAll = allStart.slice(0, nG);
  const membersStart = new Int32Array(nG + 1);
  for (let g = 0; g < nG; g++) membersStart[g + 1] = membersStart[g]! + size[g]!;
  const members = new Int32Array(membersStart[nG]!);
  const fillMembers = membersStart.slice(0, nG);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    if (g < 0) continue;
    all[fillAll[g]!++] = i;
    if (member[i]) members[fillMembers[g]!++] = i;
  }
  const assignCount = new Int32Array(nAssign);
  const homeGroup = new Int32Array(nEnt).fill(-1);
  const homeCount = new Int32Array(nEnt);
  const scratch = new Int32Array(nEnt);
  const { start, ents, assign } = sets;
  for (let g = 0; g < nG; g++) {
    for (let q = membersStart[g]!; q < membersStart[g + 1]!; q++) {
      const m = members[q]!;
      for (let p = start[m]!; p < start[m + 1]!; p++) scratch[ents[p]!]!++;
    }
    for (let q = allStart[g]!; q < allStart[g + 1]!; q++) {
      const x = all[q]!;
      for (let p = start[x]!; p < start[x + 1]!; p++) assignCount[assign[p]!] = scratch[ents[p]!]!;
    }
    for (let q = membersStart[g]!; q < membersStart[g + 1]!; q++) {
      const m = members[q]!;
      for (let p = start[m]!; p < start[m + 1]!; p++) {
        const e = ents[p]!;
        const c = scratch[e]!;
        if (c > 0) {
          if (c > homeCount[e]!) {
            homeCount[e] = c;
            homeGroup[e] = g;
          }
          scratch[e] = 0;
        }
      }
    }
  }
  return { groupOf, member, size, keys, assignCount, membersStart, members, homeGroup, homeCount };
}

/** Deterministic 32-bit PRNG (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const BANDS = 6;
const ROWS = 3;
const WINDOW = 6;

/**
 * k nearest neighbours by Jaccard similarity among `eligible` identities. Candidates come from MinHash LSH
 * (6 bands × 3 rows): identities sharing a band bucket, at most 2×6 per band taken around the identity in the
 * bucket's order; then exact Jaccard on the candidates. The signatures and bands are built once; an identity's
 * neighbours are computed when first asked for (the engine asks only where the organisational groups are
 * inconclusive). Deterministic: fixed seeds, ties broken by index. Only the last identity's neighbours are kept
 * (its assignments come together): a list per identity grew with the snapshot (about 250 bytes per identity asked).
 */
export class NeighbourIndex {
  private readonly order: Int32Array[] = [];
  private readonly bucket: Uint32Array[] = [];
  private readonly pos: Int32Array[] = [];
  private readonly indexed: Uint8Array;
  /** Identity → the call (stamp) that last took it as a candidate. */
  private readonly seen: Int32Array;
  private stamp = 0;
  private lastFor = -1;
  private last: { ids: Int32Array; sims: Float32Array } | null = null;
  private readonly candId = new Int32Array(BANDS * (2 * WINDOW + 1));
  private readonly candSim = new Float64Array(BANDS * (2 * WINDOW + 1));

  constructor(
    private readonly sets: EntitlementSets,
    nEnt: number,
    eligible: Uint8Array,
    private readonly k: number,
    private readonly minSimilarity: number,
  ) {
    const n = eligible.length;
    this.indexed = new Uint8Array(n);
    this.seen = new Int32Array(n).fill(-1);
    if (n >= 2 ** 21) return; // keys below would lose precision; no neighbours beyond 2M identities
    const H = BANDS * ROWS;
    const rnd = mulberry32(0x5eed1234);
    const table = new Uint32Array(H * nEnt);
    for (let t = 0; t < table.length; t++) table[t] = rnd();
    const list: number[] = [];
    const sig = new Uint32Array(n * H);
    for (let i = 0; i < n; i++) {
      if (!eligible[i] || sets.start[i + 1] === sets.start[i]) continue;
      list.push(i);
      this.indexed[i] = 1;
      const base = i * H;
      for (let h = 0; h < H; h++) {
        let m = 0xffffffff;
        const tb = h * nEnt;
        for (let p = sets.start[i]!; p < sets.start[i + 1]!; p++) {
          const v = table[tb + sets.ents[p]!]!;
          if (v < m) m = v;
        }
        sig[base + h] = m;
      }
    }
    const m = list.length;
    const shift = 2 ** Math.max(1, Math.ceil(Math.log2(n + 1)));
    for (let b = 0; b < BANDS; b++) {
      const keys = new Float64Array(m);
      const bk = new Uint32Array(n);
      for (let t = 0; t < m; t++) {
        const i = list[t]!;
        let hsh = 0x811c9dc5 ^ b;
        for (let r = 0; r < ROWS; r++) hsh = Math.imul(hsh ^ sig[i * H + b * ROWS + r]!, 0x01000193) >>> 0;
        bk[i] = hsh;
        keys[t] = hsh * shift + i;
      }
      keys.sort();
      const ord = new Int32Array(m);
      const p = new Int32Array(n);
      for (let t = 0; t < m; t++) {
        const i = keys[t]! % shift;
        ord[t] = i;
        p[i] = t;
      }
      this.order.push(ord);
      this.bucket.push(bk);
      this.pos.push(p);
    }
  }

  /** Up to k neighbours of identity i with similarity ≥ minSimilarity, best first (empty when not indexed). */
  neighbours(i: number): { ids: Int32Array; sims: Float32Array } {
    if (i === this.lastFor) return this.last!;
    const stamp = this.stamp++;
    // Candidates in scratch arrays (at most 2 × WINDOW + 1 per band), kept sorted best first by insertion:
    // similarity descending, then index ascending (candidates are distinct, so the order is total).
    const candId = this.candId;
    const candSim = this.candSim;
    let count = 0;
    if (this.indexed[i]) {
      this.seen[i] = stamp;
      for (let b = 0; b < this.order.length; b++) {
        const ord = this.order[b]!;
        const bk = this.bucket[b]!;
        const p = this.pos[b]![i]!;
        const my = bk[i]!;
        const m = ord.length;
        for (let q = Math.max(0, p - WINDOW); q <= Math.min(m - 1, p + WINDOW); q++) {
          const c = ord[q]!;
          if (bk[c] !== my || this.seen[c] === stamp) continue;
          this.seen[c] = stamp;
          const s = jaccard(this.sets, i, c);
          if (s < this.minSimilarity) continue;
          let at = count++;
          while (at > 0 && (candSim[at - 1]! < s || (candSim[at - 1]! === s && candId[at - 1]! > c))) {
            candSim[at] = candSim[at - 1]!;
            candId[at] = candId[at - 1]!;
            at--;
          }
          candSim[at] = s;
          candId[at] = c;
        }
      }
    }
    const n = Math.min(this.k, count);
    const out = { ids: candId.slice(0, n), sims: Float32Array.from(candSim.subarray(0, n)) };
    this.lastFor = i;
    this.last = out;
    return out;
  }
}
