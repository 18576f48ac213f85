// Merge the parts of one import into one snapshot, correlating identities across sources.
//
// 1. Records with the same id are one identity (e.g. an AWS ARN seen in the credential report and in the
//    authorization details).
// 2. Identities from different source files correlate by employee id, then e-mail, then UPN / login
//    (case-insensitive). An identity is merged only when, in each other source, exactly one identity matches
//    it over all three keys, and no employee ids contradict; otherwise the candidates are listed in
//    `ambiguous` for a person to resolve, and nothing is merged.
// 3. Assignments, credentials, managerId and ownerId are re-pointed to the merged identity's id.
// Everything is linear in the number of records (maps, no pairwise scans).
import type { Assignment, Credential, Entitlement, GrantLink, Identity, IdentityStatus, SnapshotData } from '../model';
import type { CorrelationSummary } from './types';

type KeyName = 'employee id' | 'email' | 'login';
const KEYS: KeyName[] = ['employee id', 'email', 'login'];

interface Node {
  /** Position in first-seen order (the survivor of a merge is the earlier node). */
  order: number;
  /** The representative identity (first seen). */
  rep: Identity;
  members: Identity[];
  origins: Set<string>;
  keys: Record<KeyName, string | undefined>;
}

function norm(v: string | undefined): string | undefined {
  const t = v?.trim().toLowerCase();
  return t ? t : undefined;
}

function keysOf(i: Identity): Record<KeyName, string | undefined> {
  return { 'employee id': norm(i.employeeId), email: norm(i.email), login: norm(i.login) };
}

// The most final state wins when records of one person disagree.
const SEVERITY: Record<IdentityStatus, number> = { active: 0, 'never-activated': 1, suspended: 2, disabled: 3, terminated: 4 };

function originOf(i: Identity, part: number): string {
  return i.sources?.[0] ?? `part ${part + 1}`;
}

/** Whether merging these parts keeps them as they are (one part from one source): nothing to re-point. */
export function mergesAsIs(parts: readonly SnapshotData[]): boolean {
  if (parts.length !== 1) return false;
  const only = parts[0]!;
  const first = only.identities[0];
  const origin0 = first ? originOf(first, 0) : '';
  return only.identities.every((i) => originOf(i, 0) === origin0);
}

export function mergeSnapshotData(parts: SnapshotData[]): { data: SnapshotData; correlation: CorrelationSummary } {
  const correlation: CorrelationSummary = { merged: [], ambiguous: [] };
  if (mergesAsIs(parts)) return { data: parts[0]!, correlation };

  // 1. Same id.
  const byId = new Map<string, Node>();
  const nodes: Node[] = [];
  parts.forEach((part, p) => {
    for (const i of part.identities) {
      const existing = byId.get(i.id);
      if (existing) {
        existing.members.push(i);
        existing.origins.add(originOf(i, p));
        continue;
      }
      const node: Node = { order: nodes.length, rep: i, members: [i], origins: new Set([originOf(i, p)]), keys: keysOf(i) };
      byId.set(i.id, node);
      nodes.push(node);
    }
  });
  for (const n of nodes) {
    if (n.members.length > 1) {
      // Fill keys from every record with this id.
      for (const m of n.members.slice(1)) {
        const k = keysOf(m);
        for (const key of KEYS) n.keys[key] ??= k[key];
      }
      correlation.merged.push({
        identityId: n.rep.id,
        from: [...n.origins],
        reason: `same id "${n.rep.id}" in ${[...n.origins].join(' and ')}`,
      });
    }
  }

  // 2. Keys across origins.
  const index: Record<KeyName, Map<string, Node[]>> = { 'employee id': new Map(), email: new Map(), login: new Map() };
  for (const n of nodes) {
    for (const key of KEYS) {
      const v = n.keys[key];
      if (!v) continue;
      const list = index[key].get(v);
      if (list) list.push(n);
      else index[key].set(v, [n]);
    }
  }
  const parent = new Map<Node, Node>();
  const find = (n: Node): Node => {
    let r = n;
    while (parent.has(r)) r = parent.get(r)!;
    let c = n;
    while (parent.has(c) && parent.get(c) !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  const groupOrigins = new Map<Node, Set<string>>();
  const reasons = new Map<Node, string[]>();
  const ambiguousSeen = new Set<string>();
  const flagAmbiguous = (candidates: Node[], reason: string) => {
    const ids = [...new Set(candidates.map((c) => c.rep.id))].sort();
    const key = ids.join('\u001f');
    if (ambiguousSeen.has(key)) return;
    ambiguousSeen.add(key);
    correlation.ambiguous.push({ candidates: ids, reason });
  };
  const desc = (n: Node) => `"${n.rep.displayName}" (${n.rep.id}, ${[...n.origins].join(', ')})`;

  const proposals: { a: Node; b: Node; keys: KeyName[] }[] = [];
  for (const a of nodes) {
    // Candidates from other origins, per key, in precedence order.
    const perOrigin = new Map<string, Map<Node, KeyName[]>>();
    for (const key of KEYS) {
      const v = a.keys[key];
      if (!v) continue;
      for (const c of index[key].get(v) ?? []) {
        if (c === a || [...c.origins].some((o) => a.origins.has(o))) continue;
        for (const o of c.origins) {
          let m = perOrigin.get(o);
          if (!m) perOrigin.set(o, (m = new Map()));
          m.set(c, [...(m.get(c) ?? []), key]);
        }
      }
    }
    for (const [origin, cands] of perOrigin) {
      const list = [...cands.keys()];
      if (list.length > 1) {
        const how = list.map((c) => `${desc(c)} by ${cands.get(c)!.join(' and ')}`).join('; ');
        flagAmbiguous([a, ...list], `${desc(a)} matches ${list.length} identities in ${origin}: ${how}`);
        continue;
      }
      const b = list[0]!;
      const keys = cands.get(b)!;
      const ea = a.keys['employee id'];
      const eb = b.keys['employee id'];
      if (ea && eb && ea !== eb) {
        flagAmbiguous([a, b], `${desc(a)} and ${desc(b)} share ${keys.join(' and ')} but have different employee ids (${ea} vs ${eb})`);
        continue;
      }
      if (a.order < b.order) proposals.push({ a, b, keys });
    }
  }
  const flagged = () => new Set(correlation.ambiguous.flatMap((x) => x.candidates));
  let ambiguousNow = flagged();
  for (const { a, b, keys } of proposals) {
    if (ambiguousNow.has(a.rep.id) || ambiguousNow.has(b.rep.id)) continue;
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) continue;
    const oa = groupOrigins.get(ra) ?? new Set(ra.origins);
    const ob = groupOrigins.get(rb) ?? new Set(rb.origins);
    if ([...oa].some((o) => ob.has(o))) {
      flagAmbiguous([a, b], `${desc(a)} matches ${desc(b)} by ${keys[0]}, but that would join two identities of the same source`);
      ambiguousNow = flagged();
      continue;
    }
    // Keep the identity seen first as the survivor.
    const [keep, drop] = ra.order <= rb.order ? [ra, rb] : [rb, ra];
    parent.set(drop, keep);
    groupOrigins.set(keep, new Set([...oa, ...ob]));
    const key = keys[0]!;
    reasons.set(keep, [
      ...(reasons.get(keep) ?? []),
      ...(reasons.get(drop) ?? []),
      `${key} "${a.keys[key]!}" links ${desc(a)} and ${desc(b)}`,
    ]);
  }

  // Ambiguous identities are never merged: undo any union that touches one of them.
  const ambiguousIds = new Set(correlation.ambiguous.flatMap((x) => x.candidates));
  const groups = new Map<Node, Node[]>();
  for (const n of nodes) {
    const r = ambiguousIds.has(n.rep.id) ? n : find(n);
    const list = groups.get(r);
    if (list) list.push(n);
    else groups.set(r, [n]);
  }

  // 3. Build merged identities and the id map.
  const idMap = new Map<string, string>();
  const identities: Identity[] = [];
  for (const [root, group] of groups) {
    const records = group.flatMap((g) => g.members);
    const merged = mergeIdentities(records);
    merged.id = (group.includes(root) ? root : group[0]!).rep.id;
    for (const g of group) for (const m of g.members) idMap.set(m.id, merged.id);
    identities.push(merged);
    if (group.length > 1) {
      const why = (reasons.get(root) ?? []).filter(Boolean);
      correlation.merged.push({
        identityId: merged.id,
        from: group.map((g) => g.rep.id),
        reason: why.length ? why.join('; ') : 'linked through another identity',
      });
    }
  }
  const repoint = (id: string | undefined) => (id === undefined ? undefined : (idMap.get(id) ?? id));
  for (const i of identities) {
    if (i.managerId) i.managerId = repoint(i.managerId);
    if (i.ownerId) i.ownerId = repoint(i.ownerId);
  }

  const entitlements = new Map<string, Entitlement>();
  for (const part of parts) {
    for (const e of part.entitlements) {
      const existing = entitlements.get(e.id);
      if (!existing) entitlements.set(e.id, { ...e, ownerId: repoint(e.ownerId) });
      else if (e.sources) existing.sources = [...new Set([...(existing.sources ?? []), ...e.sources])];
    }
  }
  // Each part is already free of duplicate grants, so only identities with assignments in two or more parts
  // can carry the same grant twice: only those are checked (no key string per assignment at 1M rows).
  // Only the ids that changed are looked up per assignment (a small map stays in cache at 1M rows).
  const changed = new Map<string, string>();
  for (const [k, v] of idMap) if (k !== v) changed.set(k, v);
  const finalId = (id: string) => (changed.size ? (changed.get(id) ?? id) : id);
  let big = 0;
  parts.forEach((part, p) => {
    if (part.assignments.length > parts[big]!.assignments.length) big = p;
  });
  const inSmallParts = new Map<string, number>();
  const shared = new Set<string>();
  parts.forEach((part, p) => {
    if (p === big) return;
    for (const a of part.assignments) {
      const id = finalId(a.identityId);
      const f = inSmallParts.get(id);
      if (f === undefined) inSmallParts.set(id, p);
      else if (f !== p) shared.add(id);
    }
  });
  if (inSmallParts.size)
    for (const a of parts[big]!.assignments) {
      const id = finalId(a.identityId);
      if (inSmallParts.has(id)) shared.add(id);
    }
  const assignments: Assignment[] = [];
  const seen = new Map<string, Map<string, number>>();
  for (const part of parts) {
    for (const a of part.assignments) {
      const identityId = finalId(a.identityId);
      const rec = identityId === a.identityId ? a : { ...a, identityId };
      if (!shared.has(identityId)) {
        assignments.push(rec);
        continue;
      }
      let grants = seen.get(identityId);
      if (!grants) seen.set(identityId, (grants = new Map()));
      const at = grants.get(a.entitlementId);
      if (at === undefined) {
        grants.set(a.entitlementId, assignments.length);
        assignments.push(rec);
        continue;
      }
      assignments[at] = joinAssignments(assignments[at]!, a, identityId);
    }
  }
  const credentials = new Map<string, Credential>();
  for (const part of parts) {
    for (const c of part.credentials) {
      const identityId = repoint(c.identityId)!;
      const key = `${identityId}\u001f${c.credentialId}`;
      if (!credentials.has(key)) credentials.set(key, identityId === c.identityId ? c : { ...c, identityId });
    }
  }
  const data: SnapshotData = { identities, entitlements: [...entitlements.values()], assignments, credentials: [...credentials.values()] };
  const links = mergeLinks(parts);
  if (links.length) data.links = links;
  return { data, correlation };
}

/** Nesting links of every part, each once (two files may state the same link). */
function mergeLinks(parts: SnapshotData[]): GrantLink[] {
  const out: GrantLink[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    for (const l of part.links ?? []) {
      const key = `${l.memberId}\u001f${l.groupId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(l);
    }
  }
  return out;
}

/** The same grant reported twice (by two sources, or for two records a person merged): one assignment, the
 * earliest grant, the latest use, both sources. */
export function joinAssignments(prev: Assignment, a: Assignment, identityId: string): Assignment {
  const merged: Assignment = {
    identityId,
    entitlementId: a.entitlementId,
    source: prev.source.split(', ').includes(a.source) ? prev.source : `${prev.source}, ${a.source}`,
  };
  const grantedAt =
    prev.grantedAt && a.grantedAt ? (a.grantedAt < prev.grantedAt ? a.grantedAt : prev.grantedAt) : (prev.grantedAt ?? a.grantedAt);
  const lastUsedAt =
    prev.lastUsedAt && a.lastUsedAt ? (a.lastUsedAt > prev.lastUsedAt ? a.lastUsedAt : prev.lastUsedAt) : (prev.lastUsedAt ?? a.lastUsedAt);
  if (grantedAt) merged.grantedAt = grantedAt;
  if (lastUsedAt) merged.lastUsedAt = lastUsedAt;
  // Direct access wins over inherited; of two inherited grants the shorter path is kept.
  if (prev.path?.length && a.path?.length) {
    const keep = a.path.length < prev.path.length ? a : prev;
    merged.path = keep.path;
    merged.derivedFrom = [...new Set([...(keep.derivedFrom ?? []), ...(prev.derivedFrom ?? []), ...(a.derivedFrom ?? [])])];
  }
  // Usage is unknown only when no source reports it.
  if (prev.usageKnown === false && a.usageKnown === false) merged.usageKnown = false;
  return merged;
}

/** One identity from several records of it: first non-empty value per field, the most severe status (with its source
 * word), latest sign-ins, MFA off if any record says so, password-never-expires if any does. */
export function mergeIdentities(records: Identity[]): Identity {
  const first = records[0]!;
  if (records.length === 1) return { ...first };
  const out: Identity = { ...first };
  const sources = new Set<string>(first.sources ?? []);
  for (const r of records.slice(1)) {
    for (const k of Object.keys(r) as (keyof Identity)[]) {
      if (
        k === 'sources' ||
        k === 'status' ||
        k === 'sourceStatus' ||
        k === 'lastLoginAt' ||
        k === 'passwordLastUsedAt' ||
        k === 'passwordLogin' ||
        k === 'mfa' ||
        k === 'passwordNeverExpires'
      )
        continue;
      if ((out[k] === undefined || out[k] === '') && r[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = r[k];
    }
    for (const s of r.sources ?? []) sources.add(s);
    // The source's word goes with the status it explains.
    if (SEVERITY[r.status] > SEVERITY[out.status]) {
      out.status = r.status;
      if (r.sourceStatus !== undefined) out.sourceStatus = r.sourceStatus;
      else delete out.sourceStatus;
    } else if (out.sourceStatus === undefined && r.status === out.status && r.sourceStatus !== undefined) out.sourceStatus = r.sourceStatus;
    if (r.lastLoginAt && (!out.lastLoginAt || r.lastLoginAt > out.lastLoginAt)) out.lastLoginAt = r.lastLoginAt;
    if (r.passwordLastUsedAt && (!out.passwordLastUsedAt || r.passwordLastUsedAt > out.passwordLastUsedAt))
      out.passwordLastUsedAt = r.passwordLastUsedAt;
    // One account of the person without MFA, or with a password that never expires, is the person's exposure.
    if (r.mfa === false || (r.mfa === true && out.mfa === undefined)) out.mfa = r.mfa;
    if (r.passwordNeverExpires) out.passwordNeverExpires = true;
    if (r.passwordLogin) out.passwordLogin = true;
    else if (r.passwordLogin === false && out.passwordLogin === undefined) out.passwordLogin = false;
  }
  if (sources.size) out.sources = [...sources];
  return out;
}
