// Google Cloud Identity groups and their memberships (the groups.list and groups.memberships.list API responses, or
// `gcloud identity groups search|memberships list --format=json`): who is in each Google group, so an IAM policy
// binding to group:X reaches the group's members, each with its path through the groups. Read with the policies in
// the same import; memberships name their group by resource name (groups/ID), which the groups listing maps to its
// email as the policies name it.
import type { Identity } from '../../model';
import { classifyPrincipalSet } from '../classify';
import type { DecodedFile } from '../types';
import { asArray, isObject, str, type FileLog, type JsonObject, type SnapshotBuilder } from './common';

interface Membership {
  group: string;
  memberEmail: string;
  type: string | undefined;
  file: string;
  line: number;
}

interface Pending {
  /** groups/ID → the group's email. */
  names: Map<string, string>;
  memberships: Membership[];
}

/** The groups and memberships of the files read so far, per builder: applied once every GCP file is read (finish). */
const PENDING = new WeakMap<SnapshotBuilder, Pending>();

const bodyOf = (json: unknown): unknown => (isObject(json) && 'headers' in json && isObject(json['body']) ? json['body'] : json);

function listOf(json: unknown, key: string, fits: (o: JsonObject) => boolean): unknown[] | null {
  const body = bodyOf(json);
  const list = Array.isArray(body) ? body : isObject(body) && Array.isArray(body[key]) ? asArray(body[key]) : null;
  return list && list.length > 0 && list.every((x) => isObject(x) && fits(x)) ? list : null;
}

/** groups.list / `gcloud identity groups search`: [{name: "groups/ID", groupKey: {id: email}}]. */
export function cloudIdentityGroups(json: unknown): unknown[] | null {
  return listOf(json, 'groups', (o) => typeof o['name'] === 'string' && isObject(o['groupKey']));
}

/** groups.memberships.list / `gcloud identity groups memberships list`: [{name: "groups/ID/memberships/M", preferredMemberKey: {id}}]. */
export function cloudIdentityMemberships(json: unknown): unknown[] | null {
  return listOf(json, 'memberships', (o) => typeof o['name'] === 'string' && isObject(o['preferredMemberKey']));
}

function pendingOf(b: SnapshotBuilder): Pending {
  let p = PENDING.get(b);
  if (!p) PENDING.set(b, (p = { names: new Map(), memberships: [] }));
  return p;
}

/** Reads a groups or memberships listing into the builder's pending state; false when the file is neither. */
export function readCloudIdentity(file: DecodedFile, b: SnapshotBuilder, log: FileLog): boolean {
  const groups = cloudIdentityGroups(file.json);
  const memberships = groups ? null : cloudIdentityMemberships(file.json);
  if (!groups && !memberships) return false;
  const p = pendingOf(b);
  for (const [i, g] of (groups ?? []).entries()) {
    log.row();
    const o = g as JsonObject;
    const email = str((o['groupKey'] as JsonObject)['id']);
    if (!email) {
      log.reject(i + 1, `groups[${i}] has no groupKey.id (the group's email)`, 'groupKey.id');
      continue;
    }
    p.names.set(String(o['name']), email.toLowerCase());
    b.identity(groupIdentity(email, str(o['displayName'])), file.name);
  }
  for (const [i, m] of (memberships ?? []).entries()) {
    log.row();
    const o = m as JsonObject;
    const name = String(o['name']);
    const at = name.indexOf('/memberships/');
    const memberEmail = str((o['preferredMemberKey'] as JsonObject)['id']);
    if (at <= 0 || !memberEmail) {
      log.reject(
        i + 1,
        `memberships[${i}]: expected name groups/ID/memberships/ID and preferredMemberKey.id`,
        at <= 0 ? 'name' : 'preferredMemberKey.id',
      );
      continue;
    }
    p.memberships.push({
      group: name.slice(0, at),
      memberEmail: memberEmail.toLowerCase(),
      type: str(o['type']),
      file: file.name,
      line: i + 1,
    });
  }
  return true;
}

function groupIdentity(email: string, displayName?: string): Identity {
  return {
    id: `gcp:group:${email.toLowerCase()}`,
    displayName: displayName ? `group ${displayName}` : `group ${email}`,
    email,
    type: classifyPrincipalSet('group', 'Google group').type,
    typeReason: 'Google group (a set of accounts; its members are read from the Cloud Identity memberships)',
    status: 'active',
    principal: 'group',
  };
}

function memberIdentity(m: Membership): Identity {
  const kind =
    m.type === 'GROUP'
      ? 'group'
      : m.type === 'SERVICE_ACCOUNT' || m.memberEmail.endsWith('.gserviceaccount.com')
        ? 'serviceAccount'
        : 'user';
  if (kind === 'group') return groupIdentity(m.memberEmail);
  return {
    id: `gcp:${kind}:${m.memberEmail}`,
    displayName: m.memberEmail,
    email: m.memberEmail,
    login: m.memberEmail,
    type: kind === 'user' ? 'human' : 'service',
    typeReason: `Google Cloud ${kind} (Cloud Identity group member)`,
    status: 'active',
  };
}

/**
 * Every binding a Google group holds reaches its members, nested groups included: each member gets the binding's
 * role with the path from its own group out to the bound one. A member bound directly keeps its direct grant;
 * groups in a cycle are each expanded once.
 */
export function expandGroupBindings(b: SnapshotBuilder, logs: FileLog[]): void {
  const p = PENDING.get(b);
  if (!p) return;
  PENDING.delete(b);
  const members = new Map<string, Set<string>>();
  for (const m of p.memberships) {
    const email = p.names.get(m.group) ?? (m.group.includes('@') ? m.group.toLowerCase() : undefined);
    const log = logs.find((l) => l.file === m.file);
    if (!email) {
      log?.note(
        m.line,
        `a membership of ${m.group}: that group's email is not in the files read (import the groups listing with it)`,
        'name',
      );
      continue;
    }
    const member = memberIdentity(m);
    if (!b.hasIdentity(member.id)) b.identity(member, m.file);
    const group = `gcp:group:${email}`;
    let set = members.get(group);
    if (!set) members.set(group, (set = new Set()));
    set.add(member.id);
  }
  const bound = [...b.eachAssignment()].filter((a) => members.has(a.identityId) && !a.path?.length);
  for (const binding of bound) {
    // Breadth first from the bound group: each member is reached by its shortest path, each group expanded once.
    const seen = new Set([binding.identityId]);
    let frontier: { id: string; path: string[] }[] = [{ id: binding.identityId, path: [binding.identityId] }];
    while (frontier.length) {
      const next: typeof frontier = [];
      for (const { id: group, path } of frontier) {
        for (const member of members.get(group) ?? []) {
          if (seen.has(member)) continue;
          seen.add(member);
          b.assign({
            identityId: member,
            entitlementId: binding.entitlementId,
            source: binding.source,
            usageKnown: false,
            path,
            derivedFrom: [path[0]!],
          });
          if (members.has(member)) next.push({ id: member, path: [member, ...path] });
        }
      }
      frontier = next;
    }
  }
}
