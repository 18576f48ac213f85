// People resolve what correlation left ambiguous. The importer never guesses: an identity that matches several
// others, or whose keys contradict, is listed as ambiguous and left apart (merge.ts). A person then decides, per
// ambiguity, "merge" (these candidates are one person) or "keep apart", with a rationale. The resolutions are an
// append-only list (an undo is a new entry, never an erasure), kept beside the snapshot and applied whenever it is
// loaded: the imported snapshot itself never changes, and any prefix of the list is a state someone saw.
import type { Assignment, Credential, Identity, SnapshotData } from '../model';
import { checkRationale } from '../review';
import type { ReviewerRef } from '../review';
import { expandGrantPaths } from './grant-paths';
import { joinAssignments, mergeIdentities } from './merge';
import type { CorrelationSummary } from './types';

export type AmbiguousMatch = CorrelationSummary['ambiguous'][number];

export interface CorrelationResolution {
  /** The ambiguity resolved, named by its candidates as the import listed them. */
  candidates: string[];
  action: 'merge' | 'keep-apart' | 'undo';
  /** merge: the candidates that are one person (two or more; the others stay apart). keep-apart, undo: none. */
  identityIds: string[];
  /** undo: the position in the list of the entry it undoes. */
  undoes?: number;
  rationale: string;
  by: ReviewerRef;
  at: string;
}

export interface ActiveResolution {
  entry: CorrelationResolution;
  /** Its position in the list. */
  index: number;
}

export interface ResolutionProblem {
  index: number;
  message: string;
}

/** One ambiguity's key: its candidates, sorted (merge.ts lists them sorted already). */
export function ambiguityKey(candidates: readonly string[]): string {
  return [...candidates].sort().join('\u001f');
}

/** Null when the rationale is acceptable; otherwise why not. The rule of decision rationales: no placeholder text. */
export function checkResolutionRationale(text: string): string | null {
  const t = text.trim();
  if (!t) return 'Say why: what shows that these records are, or are not, the same person.';
  return checkRationale(t, { suggested: null, chosen: 'keep', decisionClass: null, sameTextCount: 0 });
}

type Check = (
  entry: CorrelationResolution,
  index: number,
  active: Map<string, ActiveResolution>,
  list: readonly CorrelationResolution[],
) => string | null;

function fold(
  list: readonly CorrelationResolution[],
  check: Check | null,
): { active: Map<string, ActiveResolution>; problems: ResolutionProblem[] } {
  const active = new Map<string, ActiveResolution>();
  const problems: ResolutionProblem[] = [];
  list.forEach((entry, index) => {
    const problem = check?.(entry, index, active, list) ?? null;
    if (problem) {
      problems.push({ index, message: problem });
      return;
    }
    const key = ambiguityKey(entry.candidates);
    if (entry.action === 'undo') {
      if (active.get(key)?.index === entry.undoes) active.delete(key);
    } else if (!active.has(key)) active.set(key, { entry, index }); // the standing one stays until undone
  });
  return { active, problems };
}

/** The resolution in force for each ambiguity (by ambiguityKey), undos taken into account. Entries are taken as recorded. */
export function activeResolutions(list: readonly CorrelationResolution[]): Map<string, ActiveResolution> {
  return fold(list, null).active;
}

function describe(a: ActiveResolution): string {
  return `entry #${a.index + 1} (${a.entry.action} by ${a.entry.by.name}, ${a.entry.at.slice(0, 10)})`;
}

function checker(ambiguities: readonly AmbiguousMatch[], identityExists: (id: string) => boolean): Check {
  const byKey = new Map(ambiguities.map((a) => [ambiguityKey(a.candidates), a]));
  return (entry, index, active, list) => {
    const rationale = checkResolutionRationale(entry.rationale ?? '');
    if (rationale) return rationale;
    if (!entry.by?.id || !entry.by.name) return 'a resolution names the reviewer who made it';
    if (Number.isNaN(Date.parse(entry.at))) return `"${entry.at}" is not a date and time`;
    const key = ambiguityKey(entry.candidates ?? []);
    if (entry.action === 'undo') {
      const i = entry.undoes;
      if (i === undefined || !Number.isInteger(i) || i < 0 || i >= index) return `there is no earlier entry #${(i ?? -1) + 1} to undo`;
      const target = list[i]!;
      if (target.action === 'undo') return `entry #${i + 1} is itself an undo: record the resolution again instead`;
      if (ambiguityKey(target.candidates) !== key) return `entry #${i + 1} resolves another ambiguity`;
      if (active.get(key)?.index !== i) return `entry #${i + 1} is no longer in force`;
      return null;
    }
    const ambiguity = byKey.get(key);
    if (!ambiguity) return `no ambiguous match with the candidates ${entry.candidates.join(', ')} in this snapshot`;
    const missing = ambiguity.candidates.find((id) => !identityExists(id));
    if (missing !== undefined) return `candidate "${missing}" is not in the snapshot`;
    const standing = active.get(key);
    if (standing) return `this ambiguity is already resolved by ${describe(standing)}: undo that first`;
    if (entry.action === 'keep-apart') return entry.identityIds.length ? 'keep apart merges nothing: it names no identities' : null;
    if (entry.action !== 'merge') return `unknown action "${String(entry.action)}"`;
    const ids = entry.identityIds;
    if (new Set(ids).size !== ids.length) return 'an identity is named twice in the merge';
    if (ids.length < 2) return 'a merge needs at least two of the candidates';
    const stranger = ids.find((id) => !ambiguity.candidates.includes(id));
    if (stranger !== undefined) return `"${stranger}" is not a candidate of this ambiguity`;
    // An identity in two merges would join both groups into one person nobody chose: refuse; undo one first.
    for (const a of active.values()) {
      if (a.entry.action !== 'merge') continue;
      const twice = ids.find((id) => a.entry.identityIds.includes(id));
      if (twice !== undefined) return `"${twice}" is already merged by ${describe(a)}: undo that first`;
    }
    return null;
  };
}

/** Null when `entry` can be appended to `list`; otherwise why not, in words. */
export function checkResolution(
  entry: CorrelationResolution,
  list: readonly CorrelationResolution[],
  ambiguities: readonly AmbiguousMatch[],
  identityExists: (id: string) => boolean,
): string | null {
  const check = checker(ambiguities, identityExists);
  const { active } = fold(list, check);
  return check(entry, list.length, active, [...list, entry]);
}

/** Per ambiguity: its standing resolution, if any. "N ambiguous, M resolved". */
export function resolutionStatus(
  ambiguities: readonly AmbiguousMatch[],
  list: readonly CorrelationResolution[],
): { ambiguity: AmbiguousMatch; resolution: ActiveResolution | null }[] {
  const active = activeResolutions(list);
  return ambiguities.map((ambiguity) => ({ ambiguity, resolution: active.get(ambiguityKey(ambiguity.candidates)) ?? null }));
}

export interface ResolvedSnapshot {
  data: SnapshotData;
  /** One entry per merge applied, like the importer's: the merged identity, its records, and why. */
  merged: CorrelationSummary['merged'];
  /** Identity id merged away → the id of the identity it is now part of. */
  idMap: Map<string, string>;
  /** Entries not applied (they are checked when recorded, so only a damaged list has any). */
  problems: ResolutionProblem[];
}

export function mergeReason(entry: CorrelationResolution): string {
  return `merged by ${entry.by.name}: ${entry.rationale.trim()}`;
}

/**
 * The snapshot with the standing merges applied: each group of candidates becomes one identity (the one listed
 * first in the snapshot keeps its id), with their assignments, credentials and sources united; an assignment or
 * credential both records hold becomes one. References (manager, owner) follow. `data` is not modified.
 * Linear in the size of the snapshot; nothing is copied when no merge stands.
 */
export function applyCorrelationResolutions(
  data: SnapshotData,
  ambiguities: readonly AmbiguousMatch[],
  list: readonly CorrelationResolution[],
): ResolvedSnapshot {
  const position = new Map<string, number>();
  data.identities.forEach((i, n) => position.set(i.id, n));
  const { active, problems } = fold(
    list,
    checker(ambiguities, (id) => position.has(id)),
  );
  const merges = [...active.values()].filter((a) => a.entry.action === 'merge').sort((a, b) => a.index - b.index);
  const idMap = new Map<string, string>();
  if (!merges.length) return { data, merged: [], idMap, problems };

  const groupOf = new Map<string, { ids: string[]; entry: CorrelationResolution }>();
  const merged: CorrelationSummary['merged'] = [];
  for (const { entry } of merges) {
    const ids = [...entry.identityIds].sort((a, b) => position.get(a)! - position.get(b)!);
    const group = { ids, entry };
    for (const id of ids) groupOf.set(id, group);
    for (const id of ids.slice(1)) idMap.set(id, ids[0]!);
    merged.push({ identityId: ids[0]!, from: ids, reason: mergeReason(entry) });
  }
  const repoint = (id: string | undefined) => (id === undefined ? undefined : (idMap.get(id) ?? id));

  const identities: Identity[] = [];
  for (const i of data.identities) {
    const group = groupOf.get(i.id);
    let out = i;
    if (group) {
      if (group.ids[0] !== i.id) continue;
      out = mergeIdentities(group.ids.map((id) => data.identities[position.get(id)!]!));
      out.id = i.id;
      out.mergeReason = mergeReason(group.entry);
    }
    if ((out.managerId && idMap.has(out.managerId)) || (out.ownerId && idMap.has(out.ownerId))) {
      out = out === i ? { ...i } : out;
      if (out.managerId) out.managerId = repoint(out.managerId);
      if (out.ownerId) out.ownerId = repoint(out.ownerId);
    }
    identities.push(out);
  }
  const entitlements = data.entitlements.map((e) => (e.ownerId && idMap.has(e.ownerId) ? { ...e, ownerId: repoint(e.ownerId) } : e));

  const assignments = mergedAssignments(data, groupOf, repoint);
  const credentials: Credential[] = [];
  const seen = new Set<string>();
  for (const c of data.credentials) {
    if (!groupOf.has(c.identityId)) {
      credentials.push(c);
      continue;
    }
    const identityId = repoint(c.identityId)!;
    const key = `${identityId}\u001f${c.credentialId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    credentials.push(identityId === c.identityId ? c : { ...c, identityId });
  }
  const out: SnapshotData = { identities, entitlements, assignments, credentials };
  if (data.links) out.links = data.links;
  if (data.cycles) out.cycles = data.cycles;
  return { data: out, merged, idMap, problems };
}

/**
 * Assignments with the merges applied. Only the merged identities' assignments change: their own grants (direct,
 * or inherited as the importer stated it, e.g. through an Okta rule) are united, and what they inherit through
 * nesting links is expanded again from those, so paths and derivedFrom are the ones an import of the merged person
 * would give (a grant one record held directly may shorten or replace the other record's inherited path).
 */
function mergedAssignments(
  data: SnapshotData,
  groupOf: Map<string, unknown>,
  repoint: (id: string | undefined) => string | undefined,
): Assignment[] {
  const own = new Map<string, Map<string, Assignment>>();
  for (const a of data.assignments) {
    if (!groupOf.has(a.identityId)) continue;
    let m = own.get(a.identityId);
    if (!m) own.set(a.identityId, (m = new Map()));
    m.set(a.entitlementId, a);
  }
  /** Derived by expansion: the path runs through a grant the same record holds, reached by the path before it. */
  const expanded = (a: Assignment) => {
    const held = own.get(a.identityId)!;
    return (a.path ?? []).some((g, k) => {
      const h = held.get(g);
      return h !== undefined && samePath(h.path, a.path!.slice(0, k));
    });
  };
  const assignments: Assignment[] = [];
  const heads = new Map<string, Assignment[]>();
  const at = new Map<string, number>();
  for (const a of data.assignments) {
    if (!groupOf.has(a.identityId)) {
      assignments.push(a);
      continue;
    }
    if (data.links?.length && expanded(a)) continue;
    const identityId = repoint(a.identityId)!;
    let list = heads.get(identityId);
    if (!list) {
      heads.set(identityId, (list = []));
      // The merged person's grants take the place of its first one.
      at.set(identityId, assignments.length);
      assignments.push(a);
    }
    const same = list.findIndex((x) => x.entitlementId === a.entitlementId);
    if (same < 0) list.push(identityId === a.identityId ? a : { ...a, identityId });
    else list[same] = joinAssignments(list[same]!, a, identityId);
  }
  const slots = [...at.entries()].sort((x, y) => y[1] - x[1]);
  for (const [identityId, slot] of slots) {
    const list = heads.get(identityId)!;
    const all = data.links?.length ? expandGrantPaths(list, data.links).assignments : list;
    assignments.splice(slot, 1, ...all);
  }
  return assignments;
}

function samePath(a: string[] | undefined, b: string[]): boolean {
  const x = a ?? [];
  return x.length === b.length && x.every((g, i) => g === b[i]);
}
