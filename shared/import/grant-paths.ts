// Effective access: direct grants plus everything reachable through nesting links (group in group, role to group,
// policy on group, rule), each inherited grant with its shortest path. Pure and linear in what it emits: every
// group's reach is computed once by breadth-first search, so cycles are never followed twice; they are reported.
import type { Assignment, GrantLink } from '../model';

export interface GrantExpansion {
  /** The direct assignments as given, then the inherited ones (identity by identity, in first-seen order). */
  assignments: Assignment[];
  /** Nesting cycles: each the entitlement ids of one strongly connected set, in cycle order where it is one ring. */
  cycles: string[][];
}

type Reach = Map<string, string[]>;

function adjacency(links: GrantLink[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const l of links) {
    if (l.memberId === l.groupId && !next.has(l.memberId)) next.set(l.memberId, []);
    const list = next.get(l.memberId);
    if (!list) next.set(l.memberId, [l.groupId]);
    else if (!list.includes(l.groupId)) list.push(l.groupId);
  }
  // Sorted successors: the same paths whatever order the source lists its links in.
  for (const list of next.values()) list.sort();
  return next;
}

/** Every group reachable from `start` (not `start` itself), with the path from `start` to the one before it. */
function reachFrom(start: string, next: Map<string, string[]>): Reach {
  const reach: Reach = new Map();
  const pathTo = new Map<string, string[]>([[start, []]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const at = queue[head]!;
    const via = [...pathTo.get(at)!, at];
    for (const to of next.get(at) ?? []) {
      if (pathTo.has(to)) continue;
      pathTo.set(to, via);
      reach.set(to, via);
      queue.push(to);
    }
  }
  return reach;
}

function shorter(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return a.length < b.length;
  return a.join('\u001f') < b.join('\u001f');
}

export function expandGrantPaths(direct: Assignment[], links: GrantLink[] | undefined): GrantExpansion {
  if (!links?.length) return { assignments: direct, cycles: [] };
  const next = adjacency(links);
  const reaches = new Map<string, Reach>();
  const reachOf = (g: string): Reach | undefined => {
    if (!next.has(g)) return undefined;
    let r = reaches.get(g);
    if (!r) reaches.set(g, (r = reachFrom(g, next)));
    return r;
  };
  const byIdentity = new Map<string, Assignment[]>();
  for (const a of direct) {
    if (!next.has(a.entitlementId)) continue;
    const list = byIdentity.get(a.identityId);
    if (list) list.push(a);
    else byIdentity.set(a.identityId, [a]);
  }
  if (!byIdentity.size) return { assignments: direct, cycles: findGrantCycles(links) };
  const directPairs = new Map<string, Set<string>>();
  for (const a of direct) {
    if (!byIdentity.has(a.identityId)) continue;
    let s = directPairs.get(a.identityId);
    if (!s) directPairs.set(a.identityId, (s = new Set()));
    s.add(a.entitlementId);
  }
  const inherited: Assignment[] = [];
  for (const [identityId, grants] of byIdentity) {
    const own = directPairs.get(identityId)!;
    const best = new Map<string, { path: string[]; head: Assignment; from: Set<string> }>();
    for (const g of grants) {
      for (const [target, path] of reachOf(g.entitlementId)!) {
        if (own.has(target)) continue;
        const found = best.get(target);
        if (!found) best.set(target, { path, head: g, from: new Set([g.entitlementId]) });
        else {
          found.from.add(g.entitlementId);
          if (shorter(path, found.path)) {
            found.path = path;
            found.head = g;
          }
        }
      }
    }
    for (const [entitlementId, { path, head, from }] of best) {
      const derivedFrom = [head.entitlementId, ...[...from].filter((f) => f !== head.entitlementId).sort()];
      // A grant the importer already knew to be inherited (e.g. through an implicit group) keeps its own path first.
      const full = head.path?.length ? [...head.path, ...path] : path;
      const roots = head.derivedFrom?.length ? [...new Set([...head.derivedFrom, ...derivedFrom.slice(1)])] : derivedFrom;
      // Use of the group is not use of what it grants: inherited access carries no usage data.
      inherited.push({ identityId, entitlementId, source: head.source, usageKnown: false, path: full, derivedFrom: roots });
    }
  }
  return { assignments: inherited.length ? [...direct, ...inherited] : direct, cycles: findGrantCycles(links) };
}

/** Strongly connected sets of two or more groups, and groups nested in themselves (iterative Tarjan). */
export function findGrantCycles(links: GrantLink[]): string[][] {
  const next = adjacency(links);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  const nodes = new Set<string>();
  for (const l of links) nodes.add(l.memberId).add(l.groupId);
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const succ = next.get(frame.node) ?? [];
      if (frame.i < succ.length) {
        const to = succ[frame.i++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, i: 0 });
        } else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const members: string[] = [];
      let m: string;
      do {
        m = stack.pop()!;
        onStack.delete(m);
        members.push(m);
      } while (m !== frame.node);
      if (members.length > 1 || succ.includes(frame.node)) cycles.push(ringOrder(members, next));
    }
  }
  return cycles;
}

/** The members as one ring from the smallest id when they form one; otherwise sorted. */
function ringOrder(members: string[], next: Map<string, string[]>): string[] {
  const set = new Set(members);
  const sorted = [...members].sort();
  const ring = [sorted[0]!];
  const inRing = new Set(ring);
  for (;;) {
    const at = ring[ring.length - 1]!;
    const to = (next.get(at) ?? []).find((n) => set.has(n) && (n === ring[0] || !inRing.has(n)));
    if (to === undefined) return sorted;
    if (to === ring[0]) return ring.length === members.length ? ring : sorted;
    ring.push(to);
    inRing.add(to);
  }
}
