// Where a revoke of inherited access is carried out: the link of its grant path that can be cut (the identity's
// membership in the first group, the last group's link to the entitlement, or the rule that made a link), each with
// its blast radius — who else loses what when that link goes — computed from the snapshot before anything is
// recorded. Pure: the campaign worker builds the graph once and asks per item.
import type { Assignment, GrantLink } from '../model';

export type RemediationLinkKind = 'membership' | 'group-link' | 'rule' | 'direct';

/** What a decision records about the link it cuts (kept small: counts, not the lists). */
export interface RemediationLink {
  kind: RemediationLinkKind;
  /** membership / direct: the identity id; group-link / rule: the group or rule id that holds `group`. */
  member: string;
  /** The group (or entitlement) `member` is removed from. */
  group: string;
  /** The entitlement of the item decided. */
  entitlement: string;
  blastRadius: { identities: number; entitlements: number };
  /** The names of `member` and `group` as the reviewer saw them (the ids of a directory are DNs). */
  memberName?: string;
  groupName?: string;
}

/** One grant lost by cutting a link. */
export interface GrantLoss {
  identityId: string;
  entitlementId: string;
}

export interface RemediationOption {
  link: RemediationLink;
  /** False when another path still grants the item's access after this cut. */
  removesItem: boolean;
  /** Who loses what, the item's own grant first, then by identity and entitlement id; at most `LOSSES_LISTED`. */
  losses: GrantLoss[];
  /** Every grant lost, listed or not. */
  lossCount: number;
}

export const LOSSES_LISTED = 20;
/** Links followed downstream of a cut link at most (a bound against a runaway graph, never reached in practice). */
const REACH_LIMIT = 10_000;

const key = (a: string, b: string) => `${a}\u001f${b}`;

/** The snapshot's grants and nesting links, indexed for the questions remediation asks. */
export class GrantGraph {
  private readonly next = new Map<string, string[]>();
  private readonly prev = new Map<string, string[]>();
  private readonly kinds = new Map<string, GrantLink['kind']>();
  /** Identities with inherited access: all their assignments. */
  private readonly byIdentity = new Map<string, Assignment[]>();
  /** Inherited holders of each entitlement. */
  private readonly inheritedHolders = new Map<string, Assignment[]>();
  private readonly direct = new Set<string>();
  private readonly pairs = new Map<string, Assignment>();

  constructor(assignments: readonly Assignment[], links: readonly GrantLink[] | undefined) {
    for (const a of assignments) {
      if (!a.path?.length) continue;
      this.byIdentity.set(a.identityId, []);
      let holders = this.inheritedHolders.get(a.entitlementId);
      if (!holders) this.inheritedHolders.set(a.entitlementId, (holders = []));
      holders.push(a);
    }
    for (const a of assignments) {
      if (!a.path?.length) this.direct.add(key(a.identityId, a.entitlementId));
      this.byIdentity.get(a.identityId)?.push(a);
      if (this.byIdentity.has(a.identityId)) this.pairs.set(key(a.identityId, a.entitlementId), a);
    }
    // A snapshot stored without its links: the links every path walks stand in for them.
    if (links?.length) for (const l of links) this.addLink(l.memberId, l.groupId, l.kind);
    else for (const list of this.inheritedHolders.values()) for (const a of list) this.addPath([...a.path!, a.entitlementId]);
  }

  private addLink(member: string, group: string, kind: GrantLink['kind']): void {
    const k = key(member, group);
    if (this.kinds.has(k)) return;
    this.kinds.set(k, kind);
    push(this.next, member, group);
    push(this.prev, group, member);
  }

  private addPath(chain: string[]): void {
    for (let i = 0; i + 1 < chain.length; i++) this.addLink(chain[i]!, chain[i + 1]!, undefined);
  }

  /** The assignment of this identity to this entitlement, where the identity has inherited access. */
  assignment(identityId: string, entitlementId: string): Assignment | undefined {
    return this.pairs.get(key(identityId, entitlementId));
  }

  /** The ways to remove `identityId`'s access to `entitlementId`, the one to choose by default first. Empty when no
   * path is involved (a direct grant nothing else derives from): nothing to choose, and nothing is recorded. */
  options(identityId: string, entitlementId: string): RemediationOption[] {
    const a = this.assignment(identityId, entitlementId);
    if (!a) return [];
    if (!a.path?.length) {
      const cut = this.membershipCut(identityId, entitlementId);
      return cut.length > 1 ? [option('direct', identityId, entitlementId, entitlementId, cut, true)] : [];
    }
    const chain = [...a.path, entitlementId];
    const out: RemediationOption[] = [];
    for (let i = 0; i + 1 < chain.length; i++) {
      if (this.kinds.get(key(chain[i]!, chain[i + 1]!)) !== 'rule') continue;
      const cut = this.linkCut(chain[i]!, chain[i + 1]!, identityId, entitlementId);
      out.push(option('rule', chain[i]!, chain[i + 1]!, entitlementId, cut.losses, cut.removesItem));
      break;
    }
    const head = a.path[0]!;
    const membership = this.membershipCut(identityId, head);
    out.push(option('membership', identityId, head, entitlementId, membership, onlyFrom(a, head)));
    const last = a.path[a.path.length - 1]!;
    const link = this.linkCut(last, entitlementId, identityId, entitlementId);
    out.push(option('group-link', last, entitlementId, entitlementId, link.losses, link.removesItem));
    return out;
  }

  /** Removing the identity from `group`: the membership itself and every grant that derives from it alone. */
  private membershipCut(identityId: string, group: string): GrantLoss[] {
    const losses: GrantLoss[] = [{ identityId, entitlementId: group }];
    for (const b of this.byIdentity.get(identityId) ?? [])
      if (b.path?.length && onlyFrom(b, group)) losses.push({ identityId, entitlementId: b.entitlementId });
    return losses;
  }

  /** Cutting the link member → group: who loses `group` and what lies beyond it, with no other way to it. */
  private linkCut(member: string, group: string, identityId: string, entitlementId: string): { losses: GrantLoss[]; removesItem: boolean } {
    const losses: GrantLoss[] = [];
    let removesItem = false;
    for (const target of this.downstream(group)) {
      const still = this.reachingWithout(target, member, group);
      for (const h of this.inheritedHolders.get(target) ?? []) {
        if (this.direct.has(key(h.identityId, target))) continue;
        if ((h.derivedFrom ?? h.path!.slice(0, 1)).some((d) => still.has(d))) continue;
        losses.push({ identityId: h.identityId, entitlementId: target });
        if (h.identityId === identityId && target === entitlementId) removesItem = true;
      }
    }
    return { losses, removesItem };
  }

  /** `group` and every group it grants in turn. */
  private downstream(group: string): string[] {
    const seen = new Set([group]);
    const order = [group];
    for (let i = 0; i < order.length && order.length < REACH_LIMIT; i++) {
      for (const to of this.next.get(order[i]!) ?? []) {
        if (seen.has(to)) continue;
        seen.add(to);
        order.push(to);
      }
    }
    return order;
  }

  /** Every node that still reaches `target` once the link member → group is gone. */
  private reachingWithout(target: string, member: string, group: string): Set<string> {
    const seen = new Set([target]);
    const queue = [target];
    for (let i = 0; i < queue.length; i++) {
      const at = queue[i]!;
      for (const from of this.prev.get(at) ?? []) {
        if (seen.has(from) || (at === group && from === member)) continue;
        seen.add(from);
        queue.push(from);
      }
    }
    return seen;
  }
}

function push(map: Map<string, string[]>, k: string, v: string): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

/** True when every direct grant the assignment derives from is `group`. */
function onlyFrom(a: Assignment, group: string): boolean {
  const from = a.derivedFrom ?? a.path!.slice(0, 1);
  return from.every((d) => d === group);
}

function option(
  kind: RemediationLinkKind,
  member: string,
  group: string,
  entitlement: string,
  all: GrantLoss[],
  removesItem: boolean,
): RemediationOption {
  const identities = new Set(all.map((l) => l.identityId)).size;
  const entitlements = new Set(all.map((l) => l.entitlementId)).size;
  const own = (l: GrantLoss) => (l.entitlementId === entitlement ? 0 : 1);
  const sorted = [...all].sort((x, y) => own(x) - own(y) || cmp(x.identityId, y.identityId) || cmp(x.entitlementId, y.entitlementId));
  return {
    link: { kind, member, group, entitlement, blastRadius: { identities, entitlements } },
    removesItem,
    losses: sorted.slice(0, LOSSES_LISTED),
    lossCount: all.length,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const LINK_KINDS: readonly RemediationLinkKind[] = ['membership', 'group-link', 'rule', 'direct'];

/** The remediation link a decision event's details hold, or undefined when it holds none (or a malformed one). */
export function remediationLinkOf(details: Record<string, unknown> | undefined): RemediationLink | undefined {
  const r = details?.remediation as Partial<RemediationLink> | undefined;
  if (!r || typeof r !== 'object' || !LINK_KINDS.includes(r.kind!)) return undefined;
  if (typeof r.member !== 'string' || typeof r.group !== 'string' || typeof r.entitlement !== 'string') return undefined;
  const b = r.blastRadius;
  if (!b || typeof b.identities !== 'number' || typeof b.entitlements !== 'number') return undefined;
  return {
    kind: r.kind!,
    member: r.member,
    group: r.group,
    entitlement: r.entitlement,
    blastRadius: { identities: b.identities, entitlements: b.entitlements },
    ...(typeof r.memberName === 'string' ? { memberName: r.memberName } : {}),
    ...(typeof r.groupName === 'string' ? { groupName: r.groupName } : {}),
  };
}
