// Okta Management API responses: GET /api/v1/users, /api/v1/groups, /api/v1/groups/{id}/users and
// /api/v1/users/{id}/roles and /api/v1/users/{id}/factors, saved as returned (JSON arrays, or a single object).
// The members and roles responses do not name their group or user: when the file name contains the Okta
// id (00g... for a group, 00u... for a user) the links are recorded; otherwise only the objects are.
// Group rules (/api/v1/groups/rules) mark the memberships of the groups they assign as granted by the rule.
import type { Assignment, IdentityStatus, Privilege } from '../../model';
import { classifyByName, privilegeFromName } from '../classify';
import { baseName } from '../decode';
import type { DecodedFile } from '../types';
import {
  defineFormat,
  harResponses,
  isObject,
  str,
  toInstant,
  type FileLog,
  type Json,
  type JsonObject,
  type SnapshotBuilder,
} from './common';

type Shape = 'users' | 'groups' | 'roles' | 'factors' | 'rules';

function itemShape(o: unknown): Shape | null {
  if (!isObject(o) || typeof o['id'] !== 'string') return null;
  // A group rule: type group_rule, or the rule's action even where the type was left out.
  if (o['type'] === 'group_rule' || (isObject(o['actions']) && isObject(o['actions']['assignUserToGroups']))) return 'rules';
  // Before users: an e-mail factor's profile holds an email too.
  if (typeof o['factorType'] === 'string' && typeof o['provider'] === 'string' && typeof o['status'] === 'string') return 'factors';
  const profile = o['profile'];
  if (isObject(profile) && typeof o['status'] === 'string' && ('login' in profile || 'email' in profile)) return 'users';
  if (isObject(profile) && 'name' in profile && (typeof o['type'] === 'string' || Array.isArray(o['objectClass']))) return 'groups';
  if (typeof o['label'] === 'string' && typeof o['type'] === 'string' && /ADMIN|ROLE|READ_ONLY/.test(o['type'] as string)) return 'roles';
  return null;
}

export function oktaShape(json: unknown): Shape | null {
  const items = Array.isArray(json) ? json : [json];
  if (!items.length) return null;
  const first = itemShape(items[0]);
  if (!first) return null;
  // Look at a sample so a large file is not scanned twice.
  for (let i = 1; i < Math.min(items.length, 50); i++) if (itemShape(items[i]) !== first) return null;
  return first;
}

// Okta's lifecycle words; the others (ACTIVE, PASSWORD_EXPIRED, RECOVERY) are active accounts. The word itself is
// kept in sourceStatus.
const STATUS: Record<string, IdentityStatus> = {
  STAGED: 'never-activated',
  PROVISIONED: 'never-activated',
  LOCKED_OUT: 'suspended',
  SUSPENDED: 'suspended',
  DEPROVISIONED: 'terminated',
};
const ROLE_PRIVILEGE: Record<string, Privilege> = {
  SUPER_ADMIN: 'critical',
  ORG_ADMIN: 'critical',
  READ_ONLY_ADMIN: 'low',
  REPORT_ADMIN: 'low',
};

const oid = (id: string) => `okta:${id}`;

function parseFile(file: DecodedFile, b: SnapshotBuilder, log: FileLog): void {
  const har = harEntries(file.json);
  if (har) {
    // A HAR recording of the Okta API: every JSON response of /api/v1/users, /groups, /groups/{id}/users and
    // /users/{id}/roles, with the group / user id taken from the request URL.
    let taken = 0;
    for (const e of har) {
      const shape = oktaShape(e.body);
      if (!shape) continue;
      taken++;
      const path = e.url.replace(/^https?:\/\/[^/]+/, '').split('?')[0]!;
      const groupId = /\/api\/v1\/groups\/([^/]+)\/users$/.exec(path)?.[1];
      const userId = /\/api\/v1\/users\/([^/]+)\/(?:roles|factors)$/.exec(path)?.[1];
      parseItems(Array.isArray(e.body) ? e.body : [e.body], shape, file, b, log, groupId, userId);
    }
    if (!taken) log.fatal('this HAR recording holds no Okta API responses (/api/v1/users, /api/v1/groups ...)');
    return;
  }
  const shape = oktaShape(file.json);
  if (!shape) {
    log.fatal(
      'expected an Okta API response: an array of users (id, status, profile.login), groups (id, type, profile.name), role assignments (id, label, type), factors (id, factorType, provider, status) or group rules (id, type group_rule, actions.assignUserToGroups.groupIds)',
    );
    return;
  }
  // Okta ids are case-sensitive: read them from the name as given (baseName lower-cases it).
  const given = file.name.split(/[\\/]/).pop() ?? file.name;
  const userId = /00u[0-9A-Za-z]{15,17}/.exec(given)?.[0];
  if (shape === 'factors' && !userId) {
    log.fatal('an Okta factors response does not name its user: put the user id (00u...) in the file name, or import a HAR recording');
    return;
  }
  parseItems(Array.isArray(file.json) ? file.json : [file.json], shape, file, b, log, /00g[0-9A-Za-z]{15,17}/.exec(given)?.[0], userId);
}

/** Okta API responses inside a HAR file. */
function harEntries(json: unknown): { url: string; body: unknown }[] | null {
  return harResponses(json, (url) => url.includes('/api/v1/'));
}

const EXPECTED: Record<Shape, string> = {
  users: 'status, profile.login',
  groups: 'type, profile.name',
  roles: 'label, type',
  factors: 'factorType, provider, status',
  rules: 'type group_rule, actions.assignUserToGroups.groupIds',
};

function groupStub(groupId: string, file: DecodedFile, b: SnapshotBuilder): void {
  if (!b.hasEntitlement(oid(groupId)))
    b.entitlement(
      {
        id: oid(groupId),
        name: groupId,
        application: 'Okta',
        privilege: 'medium',
        privilegeReason: 'group known only by the id in the file name; rated medium by default',
      },
      file.name,
    );
}

/** The rules of the files read so far, per builder: applied to the memberships once every file is read (finish). */
const RULES = new WeakMap<SnapshotBuilder, OktaGroupRule[]>();

interface OktaGroupRule {
  entitlementId: string;
  name: string;
  groupIds: string[];
  excludedUsers: Set<string>;
  excludedGroups: string[];
  file: string;
  line: number;
}

/** GET /api/v1/groups/rules: one group rule. Only an ACTIVE rule assigns users; the others are recorded and noted. */
function groupRule(o: JsonObject, line: number, file: DecodedFile, b: SnapshotBuilder, log: FileLog): void {
  const id = o['id'] as string;
  const name = str(o['name']) ?? id;
  const status = (str(o['status']) ?? '').toUpperCase();
  const conditions = isObject(o['conditions']) ? o['conditions'] : {};
  const expression = isObject(conditions['expression']) ? str(conditions['expression']['value']) : undefined;
  const action = isObject(o['actions']) && isObject(o['actions']['assignUserToGroups']) ? o['actions']['assignUserToGroups'] : {};
  const rawIds = action['groupIds'];
  if (!Array.isArray(rawIds) || !rawIds.every((g) => typeof g === 'string' && g.trim() !== '')) {
    log.reject(
      line,
      `group rule ${name}: actions.assignUserToGroups.groupIds must be a list of group ids`,
      'actions.assignUserToGroups.groupIds',
    );
    return;
  }
  const groupIds = [...new Set(rawIds as string[])];
  const people = isObject(conditions['people']) ? conditions['people'] : {};
  const excluded = (key: 'users' | 'groups') =>
    isObject(people[key]) && Array.isArray(people[key]['exclude'])
      ? (people[key]['exclude'] as Json[]).filter((x): x is string => typeof x === 'string')
      : [];
  const entitlementId = oid(`rule:${id}`);
  b.entitlement(
    {
      id: entitlementId,
      name: `rule: ${name}`,
      application: 'Okta (group rule)',
      privilege: 'low',
      privilegeReason: 'an Okta group rule grants nothing itself; the groups it assigns are rated on their own',
      description: `${status || 'status not stated'}${expression ? `; assigns users where ${expression}` : ''}; assigns ${groupIds.length} group(s)`,
    },
    file.name,
  );
  if (status !== 'ACTIVE') {
    log.note(
      line,
      `group rule ${name} is ${status || 'without a status'}: it assigns no one, so no membership is marked as granted by it`,
      'status',
    );
    return;
  }
  for (const g of groupIds) {
    groupStub(g, file, b);
    b.link({ memberId: entitlementId, groupId: oid(g), kind: 'rule', source: baseName(file.name) });
  }
  let list = RULES.get(b);
  if (!list) RULES.set(b, (list = []));
  list.push({
    entitlementId,
    name,
    groupIds: groupIds.map(oid),
    excludedUsers: new Set(excluded('users').map(oid)),
    excludedGroups: excluded('groups').map(oid),
    file: file.name,
    line,
  });
}

/**
 * Memberships of a group an active rule assigns are granted by that rule (path: the rule), except for the users the
 * rule excludes (by id, or through an excluded group). Okta's API does not say per member whether the rule or an
 * administrator added them; a member of a rule-assigned group is taken to be the rule's.
 */
function applyGroupRules(b: SnapshotBuilder, logs: FileLog[]): void {
  const rules = RULES.get(b);
  if (!rules?.length) return;
  RULES.delete(b);
  const byGroup = new Map<string, OktaGroupRule[]>();
  for (const r of rules) for (const g of r.groupIds) byGroup.set(g, [...(byGroup.get(g) ?? []), r]);
  const groupsOf = new Map<string, Set<string>>();
  const members: Assignment[] = [];
  for (const a of b.eachAssignment()) {
    let s = groupsOf.get(a.identityId);
    if (!s) groupsOf.set(a.identityId, (s = new Set()));
    s.add(a.entitlementId);
    if (byGroup.has(a.entitlementId) && !a.path?.length) members.push(a);
  }
  const marked = new Map<OktaGroupRule, number>();
  for (const a of members) {
    const held = groupsOf.get(a.identityId)!;
    const by = byGroup
      .get(a.entitlementId)!
      .filter((r) => !r.excludedUsers.has(a.identityId) && !r.excludedGroups.some((g) => held.has(g)));
    if (!by.length) continue;
    const ids = by.map((r) => r.entitlementId).sort();
    a.path = [ids[0]!];
    a.derivedFrom = ids;
    for (const r of by) marked.set(r, (marked.get(r) ?? 0) + 1);
  }
  for (const r of rules) {
    const log = logs.find((l) => l.file === r.file);
    if (!marked.has(r))
      log?.note(
        r.line,
        `group rule ${r.name}: none of the memberships read is in a group it assigns (import the members of ${r.groupIds.join(', ')})`,
        'actions.assignUserToGroups.groupIds',
      );
  }
}

function parseItems(
  items: unknown[],
  shape: Shape,
  file: DecodedFile,
  b: SnapshotBuilder,
  log: FileLog,
  groupId: string | undefined,
  userId: string | undefined,
): void {
  const source = baseName(file.name);
  for (const [i, raw] of items.entries()) {
    log.row();
    if (itemShape(raw) !== shape) {
      log.reject(i + 1, `item ${i} is not an Okta ${shape.slice(0, -1)} like the others (expected id and ${EXPECTED[shape]})`);
      continue;
    }
    const o = raw as JsonObject;
    const id = o['id'] as string;
    if (shape === 'rules') {
      groupRule(o, i + 1, file, b, log);
      continue;
    }
    if (shape === 'users') {
      const p = o['profile'] as JsonObject;
      const login = str(p['login']);
      const name = str(p['displayName']) ?? ([str(p['firstName']), str(p['lastName'])].filter(Boolean).join(' ') || login || id);
      const status = String(o['status']).toUpperCase();
      const provider =
        isObject(o['credentials']) && isObject(o['credentials']['provider']) ? str(o['credentials']['provider']['type']) : undefined;
      const cls = classifyByName(`Okta user${provider ? ` (credentials from ${provider})` : ''}`, login);
      b.identity(
        {
          id: oid(id),
          displayName: name,
          email: str(p['email']),
          login,
          employeeId: str(p['employeeNumber']),
          department: str(p['department']),
          title: str(p['title']),
          managerId: str(p['managerId']) ? oid(str(p['managerId'])!) : undefined,
          type: cls.type,
          typeReason: cls.reason,
          status: STATUS[status] ?? 'active',
          sourceStatus: status,
          createdAt: toInstant(o['created']),
          lastLoginAt: toInstant(o['lastLogin']),
          passwordLogin: isObject(o['credentials']) && 'password' in o['credentials'] ? true : undefined,
        },
        file.name,
      );
      if (groupId) {
        groupStub(groupId, file, b);
        b.assign({ identityId: oid(id), entitlementId: oid(groupId), source, usageKnown: false });
      }
    } else if (shape === 'groups') {
      const p = o['profile'] as JsonObject;
      const name = str(p['name']) ?? id;
      const rating = privilegeFromName(name);
      const type = str(o['type']);
      const group = {
        id: oid(id),
        name,
        application: type === 'APP_GROUP' ? 'Okta (application group)' : 'Okta',
        privilege: rating.privilege,
        privilegeReason: rating.reason,
        description: str(p['description']),
      };
      const stub = b.getEntitlement(oid(id));
      // A group first met as a bare id (members response) takes its real name and rating now.
      if (stub?.privilegeReason?.startsWith('group known only'))
        Object.assign(stub, group.description === undefined ? { ...group, description: stub.description } : group);
      else b.entitlement(group, file.name);
    } else if (shape === 'factors') {
      // GET /api/v1/users/{id}/factors: MFA is on when one enrolled factor is ACTIVE.
      if (!userId) continue;
      const user = b.hasIdentity(oid(userId))
        ? b.getIdentity(oid(userId))!
        : b.identity(
            {
              id: oid(userId),
              displayName: userId,
              type: 'human',
              typeReason: 'Okta user known only by the id in the file name (human by default)',
              status: 'active',
            },
            file.name,
          );
      user.mfa = user.mfa === true || String(o['status']).toUpperCase() === 'ACTIVE';
    } else {
      const type = String(o['type']);
      const label = str(o['label']) ?? type;
      const privilege = ROLE_PRIVILEGE[type] ?? 'high';
      const eid = oid(`role:${type}`);
      b.entitlement(
        {
          id: eid,
          name: label,
          application: 'Okta administration',
          privilege,
          privilegeReason: `Okta admin role ${type}${privilege === 'critical' ? ' controls the whole org' : privilege === 'low' ? ' is read-only' : ' administers part of the org'}`,
        },
        file.name,
      );
      if (userId) {
        if (!b.hasIdentity(oid(userId)))
          b.identity(
            {
              id: oid(userId),
              displayName: userId,
              type: 'human',
              typeReason: 'Okta user known only by the id in the file name (human by default)',
              status: 'active',
            },
            file.name,
          );
        b.assign({ identityId: oid(userId), entitlementId: eid, source, grantedAt: toInstant(o['created']), usageKnown: false });
      }
    }
  }
}

export const okta = defineFormat({
  id: 'okta',
  label: 'Okta API',
  formatVersion: 'Okta Management API v1',
  parserVersion: '1.0.0',
  detect(file) {
    const har = harEntries(file.json);
    if (har) {
      const n = har.filter((e) => oktaShape(e.body)).length;
      return n ? `HAR recording with ${n} Okta API response(s) (/api/v1/...): Okta API` : null;
    }
    const shape = oktaShape(file.json);
    if (shape === 'users') return 'JSON array of objects with id, status and profile.login: Okta /api/v1/users response';
    if (shape === 'groups') return 'JSON array of objects with id, type and profile.name: Okta /api/v1/groups response';
    if (shape === 'roles') return 'JSON array of objects with id, label and an admin role type: Okta /api/v1/users/{id}/roles response';
    if (shape === 'factors')
      return 'JSON array of objects with id, factorType, provider and status: Okta /api/v1/users/{id}/factors response';
    if (shape === 'rules')
      return 'JSON array of objects with id, type group_rule and actions.assignUserToGroups: Okta /api/v1/groups/rules response';
    return null;
  },
  parseFile: (file, b, log) => parseFile(file, b, log),
  finish: applyGroupRules,
});
