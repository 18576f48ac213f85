// SCIM 2.0 (RFC 7643/7644): a User, a Group, a ListResponse, or a JSON array of resources.
// Users become identities, Groups entitlements, Group.members and User.groups assignments.
import type { IdentityStatus } from '../../model';
import { classifyByName, privilegeFromName } from '../classify';
import { baseName } from '../decode';
import type { DecodedFile } from '../types';
import { asArray, defineFormat, isObject, str, toInstant, type FileLog, type JsonObject, type SnapshotBuilder } from './common';

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:user';
const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:group';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:listresponse';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function schemas(o: JsonObject): string[] {
  return asArray(o['schemas'])
    .filter((s): s is string => typeof s === 'string')
    .map((s) => s.toLowerCase());
}

export function scimKind(o: JsonObject): 'user' | 'group' | null {
  const s = schemas(o);
  const rt = isObject(o['meta']) ? str(o['meta']['resourceType'])?.toLowerCase() : undefined;
  if (s.includes(CORE_USER) || rt === 'user') return 'user';
  if (s.includes(CORE_GROUP) || rt === 'group') return 'group';
  if (s.some((x) => x.endsWith(':schema') || x.includes(':api:messages:'))) return null;
  if (typeof o['userName'] === 'string') return 'user';
  if (typeof o['id'] === 'string' && (Array.isArray(o['members']) || typeof o['displayName'] === 'string')) return 'group';
  return null;
}

function resources(json: unknown): unknown[] | null {
  if (isObject(json)) {
    if (schemas(json).includes(LIST) || Array.isArray(json['Resources'])) return asArray(json['Resources']);
    return scimKind(json) ? [json] : null;
  }
  if (Array.isArray(json) && json.length > 0 && json.every((r) => isObject(r) && scimKind(r) !== null && schemas(r).length > 0))
    return json;
  return null;
}

const sid = (id: string) => `scim:${id}`;

function primaryEmail(u: JsonObject): string | undefined {
  const emails = asArray(u['emails']).filter(isObject);
  const primary = emails.find((e) => e['primary'] === true) ?? emails.find((e) => e['type'] === 'work') ?? emails[0];
  return primary ? str(primary['value']) : undefined;
}

function groupEntitlement(b: SnapshotBuilder, id: string, name: string, file: string, note?: string): void {
  const rating = privilegeFromName(name);
  b.entitlement(
    { id: sid(id), name, application: 'SCIM directory', privilege: rating.privilege, privilegeReason: rating.reason, description: note },
    file,
  );
}

/** SCIM has no standard sign-in attribute; providers put one in meta or in their own extension (lastLogin...). */
function scimLastLogin(u: JsonObject): string | undefined {
  const places = [
    u,
    isObject(u['meta']) ? u['meta'] : undefined,
    ...Object.entries(u)
      .filter(([k, v]) => k.startsWith('urn:') && isObject(v))
      .map(([, v]) => v as JsonObject),
  ];
  for (const o of places) {
    if (!o) continue;
    for (const k of ['lastLogin', 'lastLoginTime', 'lastLoginDate', 'lastSignInDateTime']) {
      const d = toInstant(o[k]);
      if (d) return d;
    }
  }
  return undefined;
}

function parseFile(file: DecodedFile, b: SnapshotBuilder, log: FileLog): void {
  const list = resources(file.json);
  if (!list) {
    log.fatal('expected a SCIM 2.0 User, Group or ListResponse (schemas urn:ietf:params:scim:...)');
    return;
  }
  const source = baseName(file.name);
  const users: JsonObject[] = [];
  const groups: JsonObject[] = [];
  const seen = new Map<string, number>();
  for (const [i, r] of list.entries()) {
    log.row();
    if (!isObject(r)) {
      log.reject(i + 1, `Resources[${i}] is not an object`);
      continue;
    }
    const kind = scimKind(r);
    const id = str(r['id']) ?? str(r['externalId']) ?? (kind === 'user' ? str(r['userName']) : undefined);
    if (!kind || !id) {
      log.reject(i + 1, `Resources[${i}] is neither a SCIM User (userName) nor a Group (displayName/members) with an id`, 'id');
      continue;
    }
    const prev = seen.get(`${kind}:${id}`);
    if (prev !== undefined) {
      log.reject(
        i + 1,
        `Resources[${i}]: duplicate ${kind} id "${id}" (already used by Resources[${prev}]${kind === 'user' ? ` ${str((list[prev] as JsonObject)['userName']) ?? ''}` : ''}); this resource is not stored`,
        'id',
      );
      continue;
    }
    seen.set(`${kind}:${id}`, i);
    (kind === 'user' ? users : groups).push({ ...r, id });
  }
  for (const g of groups) groupEntitlement(b, String(g['id']), str(g['displayName']) ?? String(g['id']), file.name);
  for (const u of users) {
    const id = String(u['id']);
    const ext = isObject(u[ENTERPRISE]) ? u[ENTERPRISE] : undefined;
    const mgrRaw = ext ? (Array.isArray(ext['manager']) ? ext['manager'][0] : ext['manager']) : undefined;
    const manager = isObject(mgrRaw) ? str(mgrRaw['value']) : str(mgrRaw);
    const name = isObject(u['name'])
      ? (str(u['name']['formatted']) ?? [str(u['name']['givenName']), str(u['name']['familyName'])].filter(Boolean).join(' '))
      : undefined;
    const userName = str(u['userName']);
    const displayName = str(u['displayName']) ?? (name || undefined) ?? userName ?? id;
    const userType = str(u['userType']);
    const cls = classifyByName(`SCIM User${userType ? ` (userType ${userType})` : ''}`, userName);
    const status: IdentityStatus = u['active'] === false ? 'disabled' : 'active';
    b.identity(
      {
        id: sid(id),
        displayName,
        email: primaryEmail(u) ?? (userName?.includes('@') ? userName : undefined),
        login: userName,
        employeeId: ext ? str(ext['employeeNumber']) : undefined,
        department: ext ? str(ext['department']) : undefined,
        title: str(u['title']),
        managerId: manager ? sid(manager) : undefined,
        type: cls.type,
        typeReason: cls.reason,
        status,
        sourceStatus: typeof u['active'] === 'boolean' ? `active ${u['active']}` : undefined,
        createdAt: isObject(u['meta']) ? toInstant(u['meta']['created']) : undefined,
        lastLoginAt: scimLastLogin(u),
        passwordLogin: typeof u['password'] === 'string' ? true : undefined,
      },
      file.name,
    );
    for (const g of asArray(u['groups']).filter(isObject)) {
      const gid = str(g['value']);
      if (!gid) continue;
      if (!b.hasEntitlement(sid(gid)))
        groupEntitlement(
          b,
          gid,
          str(g['display']) ?? gid,
          file.name,
          'known from a User.groups reference (the Group resource is not in this file)',
        );
      b.assign({ identityId: sid(id), entitlementId: sid(gid), source, usageKnown: false });
    }
  }
  // Group members: users in this import get an assignment; member users known only by reference become
  // minimal identities (the Group says they are members); nested groups are not expanded.
  for (const g of groups) {
    for (const m of asArray(g['members']).filter(isObject)) {
      const mid = str(m['value']);
      if (!mid) continue;
      const type = str(m['type'])?.toLowerCase();
      const ref = str(m['$ref']) ?? '';
      if (type === 'group' || ref.includes('/Groups/')) continue;
      if (!b.hasIdentity(sid(mid))) {
        if (!(type === 'user' || ref.includes('/Users/') || str(m['display']))) continue;
        const display = str(m['display']) ?? mid;
        const cls = classifyByName('SCIM Group member (referenced only; no User resource in this file)', display);
        b.identity({ id: sid(mid), displayName: display, type: cls.type, typeReason: cls.reason, status: 'active' }, file.name);
      }
      b.assign({ identityId: sid(mid), entitlementId: sid(String(g['id'])), source, usageKnown: false });
    }
  }
}

export const scim = defineFormat({
  id: 'scim',
  label: 'SCIM 2.0',
  formatVersion: 'RFC 7643/7644',
  parserVersion: '1.0.0',
  detect(file) {
    const j = file.json;
    if (isObject(j)) {
      const s = schemas(j);
      if (s.includes(LIST) && Array.isArray(j['Resources']))
        return 'JSON object with schemas ListResponse and Resources[]: SCIM 2.0 list response';
      const kind = scimKind(j);
      if (kind && s.length)
        return `JSON object with schemas ${kind === 'user' ? 'core:2.0:User' : 'core:2.0:Group'}: a SCIM 2.0 ${kind === 'user' ? 'User' : 'Group'}`;
      return null;
    }
    if (resources(j)) return 'JSON array of objects with SCIM schemas (User/Group): SCIM 2.0 resources';
    return null;
  },
  parseFile: (file, b, log) => parseFile(file, b, log),
});
