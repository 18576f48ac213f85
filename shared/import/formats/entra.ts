// Microsoft Entra ID / Microsoft Graph: users (with signInActivity), groups (with expanded members),
// service principals, applications, directory roles and role definitions, role assignments and app role
// assignments. Reads Graph responses ({"@odata.context", value: [...]} or one entity), PowerShell
// ConvertTo-Json dumps of the same objects (PascalCase, "/Date(ms)/"), Dev Proxy mock files that hold Graph
// responses, and the Entra part of a ScubaGear ProviderSettingsExport (privileged users, service principals, roles).
import type { Credential, IdentityType, Privilege } from '../../model';
import { classifyByName, classifyPrincipalSet, privilegeFromName } from '../classify';
import { baseName } from '../decode';
import type { DecodedFile } from '../types';
import { asArray, defineFormat, harResponses, isObject, prop, str, toInstant, type FileLog, type Json, type JsonObject, type SnapshotBuilder } from './common';

type Kind = 'user' | 'mfaRegistration' | 'group' | 'servicePrincipal' | 'application' | 'directoryRole' | 'roleDefinition' | 'roleAssignment' | 'appRoleAssignment';

const ODATA_TYPES: Record<string, Kind> = {
  '#microsoft.graph.user': 'user',
  '#microsoft.graph.group': 'group',
  '#microsoft.graph.serviceprincipal': 'servicePrincipal',
  '#microsoft.graph.application': 'application',
  '#microsoft.graph.directoryrole': 'directoryRole',
  '#microsoft.graph.unifiedroledefinition': 'roleDefinition',
  '#microsoft.graph.unifiedroleassignment': 'roleAssignment',
  '#microsoft.graph.unifiedroleassignmentschedule': 'roleAssignment',
  '#microsoft.graph.unifiedroleassignmentscheduleinstance': 'roleAssignment',
  '#microsoft.graph.unifiedroleeligibilityschedule': 'roleAssignment',
  '#microsoft.graph.unifiedroleeligibilityscheduleinstance': 'roleAssignment',
  '#microsoft.graph.approleassignment': 'appRoleAssignment',
  '#microsoft.graph.userregistrationdetails': 'mfaRegistration',
};

/** The entity collection a context or URL names ("...$metadata#users(...)" -> users). */
function collectionHint(text: string | undefined): Kind | undefined {
  if (!text) return undefined;
  const t = text.toLowerCase();
  const frag = t.includes('#') ? t.slice(t.indexOf('#') + 1) : t.replace(/^https?:\/\/[^/]+\/(v1\.0|beta)\//, '');
  const path = frag.split('?')[0]!.split('/').filter((s) => s && s !== '$entity' && s !== '*');
  const last = (path[path.length - 1] ?? '').replace(/\(.*$/, '');
  const cast = /microsoft\.graph\.(\w+)/.exec(last)?.[1];
  const seg = cast ? `${cast}s` : last;
  if (seg === 'users') return 'user';
  if (seg === 'groups') return 'group';
  if (seg === 'serviceprincipals') return 'servicePrincipal';
  if (seg === 'applications') return 'application';
  if (seg === 'directoryroles') return 'directoryRole';
  if (seg === 'roledefinitions') return 'roleDefinition';
  if (/^role(assignment|eligibility)/.test(seg) || seg.startsWith('collection(unifiedrole')) return 'roleAssignment';
  if (seg === 'approleassignments' || seg === 'approleassignedto') return 'appRoleAssignment';
  if (seg === 'userregistrationdetails' || seg === 'userregistrationdetailss') return 'mfaRegistration';
  return undefined;
}

function kindOf(o: JsonObject, hint: Kind | undefined): Kind | undefined {
  const t = str(o['@odata.type'])?.toLowerCase();
  if (t) return ODATA_TYPES[t];
  // /reports/authenticationMethods/userRegistrationDetails rows carry a UPN too.
  if (prop(o, 'isMfaRegistered') !== undefined && prop(o, 'accountEnabled') === undefined) return 'mfaRegistration';
  if (prop(o, 'userPrincipalName') !== undefined) return 'user';
  if (prop(o, 'appRoleId') !== undefined) return 'appRoleAssignment';
  if (prop(o, 'principalId') !== undefined && prop(o, 'roleDefinitionId') !== undefined) return 'roleAssignment';
  if (hint) return hint;
  if (prop(o, 'servicePrincipalType') !== undefined || prop(o, 'appOwnerOrganizationId') !== undefined || prop(o, 'servicePrincipalNames') !== undefined) return 'servicePrincipal';
  if (prop(o, 'requiredResourceAccess') !== undefined) return 'application';
  if (prop(o, 'securityEnabled') !== undefined || prop(o, 'groupTypes') !== undefined || prop(o, 'mailEnabled') !== undefined) return 'group';
  if (prop(o, 'roleTemplateId') !== undefined) return 'directoryRole';
  if (prop(o, 'rolePermissions') !== undefined) return 'roleDefinition';
  return undefined;
}

interface Found {
  kind: Kind;
  obj: JsonObject;
  record: number;
  /** From the request URL: the object was returned as a member of this group / directory role ... */
  memberOf?: { kind: 'group' | 'directoryRole'; id: string };
  /** ... or as a group / role this user is a member of (/users/{id}/memberOf). */
  memberIs?: string;
}

/** What a response URL says about the relation between its objects and the id in the path. */
function urlRelation(url: string | undefined): Pick<Found, 'memberOf' | 'memberIs'> {
  if (!url) return {};
  const path = url.replace(/^https?:\/\/[^/]+\/(v1\.0|beta)/, '').split('?')[0]!;
  const id = '([^/*()]+)';
  let m = new RegExp(`^/groups/${id}/(?:transitiveMembers|members)(?:/|$)`, 'i').exec(path);
  if (m) return { memberOf: { kind: 'group', id: decodeURIComponent(m[1]!) } };
  m = new RegExp(`^/directoryRoles/${id}/members(?:/|$)`, 'i').exec(path);
  if (m) return { memberOf: { kind: 'directoryRole', id: decodeURIComponent(m[1]!) } };
  m = new RegExp(`^/users/${id}/(?:transitiveMemberOf|memberOf)(?:/|$)`, 'i').exec(path);
  if (m) return { memberIs: decodeURIComponent(m[1]!) };
  return {};
}

const ROLE_TEMPLATES: Record<string, string> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator',
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': 'Application Administrator',
  '158c047a-c907-4556-b7ef-446551a6b5f7': 'Cloud Application Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451': 'Global Reader',
};
const APP_ROLES: Record<string, string> = {
  '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9': 'Application.ReadWrite.All',
  '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8': 'RoleManagement.ReadWrite.Directory',
  'df021288-bdef-4463-88db-98f22de89214': 'User.Read.All',
  'e2a3a72e-5f79-4c64-b1b1-878b674786c9': 'Mail.ReadWrite',
  'dbaae8cf-10b5-4b86-a4a1-f871c94c6695': 'GroupMember.ReadWrite.All',
  '75359482-378d-4052-8f01-80520e7db3cd': 'Files.ReadWrite.All',
  'dc890d15-9560-4a4c-9b7f-a736ec74ec40': 'full_access_as_app',
  '19dbc75e-c2e2-444c-a770-ec69d8559fc7': 'Directory.ReadWrite.All',
  '7ab1d382-f21e-4acd-a863-ba3e13f7da61': 'Directory.Read.All',
};
const RESOURCES: Record<string, string> = { '00000003-0000-0000-c000-000000000000': 'Microsoft Graph', '00000002-0000-0ff1-ce00-000000000000': 'Office 365 Exchange Online' };

export function rateEntraRole(name: string): { privilege: Privilege; reason: string } {
  if (/^(global administrator|company administrator|privileged role administrator|privileged authentication administrator)$/i.test(name)) return { privilege: 'critical', reason: `Entra role "${name}" controls the whole tenant` };
  if (/administrator/i.test(name)) return { privilege: 'high', reason: `Entra role "${name}" administers part of the tenant` };
  if (/reader/i.test(name)) return { privilege: 'low', reason: `Entra role "${name}" is read-only` };
  return privilegeFromName(name);
}

export function rateAppPermission(name: string): { privilege: Privilege; reason: string } {
  if (/^(RoleManagement\.ReadWrite\.Directory|Application\.ReadWrite\.All|AppRoleAssignment\.ReadWrite\.All|Directory\.ReadWrite\.All|full_access_as_app)$/i.test(name)) return { privilege: 'critical', reason: `API permission ${name} lets the app take over the tenant or every mailbox` };
  if (/ReadWrite\.All$/i.test(name)) return { privilege: 'high', reason: `API permission ${name}: write access to all such objects` };
  if (/ReadWrite/i.test(name)) return { privilege: 'medium', reason: `API permission ${name}: write access` };
  if (/Read/i.test(name)) return { privilege: 'low', reason: `API permission ${name}: read access` };
  return { privilege: 'medium', reason: `API permission ${name}: rated medium by default` };
}

const eid = (id: string) => `entra:${id.toLowerCase()}`;

function latest(dates: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  // Graph writes 0001-01-01T00:00:00Z for "never".
  for (const d of dates) if (d && !d.startsWith('0001-') && (!best || d > best)) best = d;
  return best;
}

/** MFA as a user object states it: MSOnline strongAuthenticationMethods, or an isMfaRegistered copied onto it. */
function mfaOfUser(o: JsonObject): boolean | undefined {
  const reg = prop(o, 'isMfaRegistered');
  if (typeof reg === 'boolean') return reg;
  const methods = prop(o, 'strongAuthenticationMethods');
  return Array.isArray(methods) ? methods.length > 0 : undefined;
}

function userClass(name: string | undefined, words: string): { type: IdentityType; typeReason: string } {
  const c = classifyByName(words, name);
  return { type: c.type, typeReason: c.reason };
}

/** The object's key: its id, or (for Graph responses with a $select that left the id out) UPN, appId, mail or name. */
export function objectKey(o: JsonObject): string | undefined {
  const id = str(prop(o, 'id')) ?? str(prop(o, 'userPrincipalName')) ?? str(prop(o, 'appId')) ?? str(prop(o, 'mail'));
  if (id) return id;
  const name = str(prop(o, 'displayName'));
  return name ? `name:${name}` : undefined;
}

/** Every Graph object in the file with its kind; null when the file holds no Graph data. */
export function graphObjects(json: unknown): Found[] | null {
  const out: Found[] = [];
  let record = 0;
  let relation: Pick<Found, 'memberOf' | 'memberIs'> = {};
  const take = (o: unknown, hint: Kind | undefined) => {
    record++;
    if (!isObject(o)) return;
    const kind = kindOf(o, hint);
    // Objects without any identifying attribute (e.g. $select=customSecurityAttributes) are not records.
    if (kind && (objectKey(o) || kind === 'roleAssignment' || kind === 'appRoleAssignment' || prop(o, 'roleTemplateId') !== undefined)) out.push({ kind, obj: o, record, ...relation });
  };
  const body = (b: unknown, urlHint?: Kind) => {
    if (isObject(b)) {
      const hint = collectionHint(str(b['@odata.context'])) ?? urlHint;
      if (Array.isArray(b['value'])) for (const v of b['value']) take(v, hint);
      else if (objectKey(b)) take(b, hint);
    } else if (Array.isArray(b)) for (const v of b) take(v, urlHint);
  };
  if (isObject(json) && Array.isArray(json['mocks'])) {
    for (const m of json['mocks']) {
      if (!isObject(m) || !isObject(m['response'])) continue;
      const url = isObject(m['request']) ? str(m['request']['url']) : undefined;
      relation = urlRelation(url);
      body(m['response']['body'], collectionHint(url));
    }
    return out;
  }
  const har = graphHar(json);
  if (har) {
    for (const e of har) {
      relation = urlRelation(e.url);
      body(e.body, collectionHint(e.url));
    }
    return out;
  }
  if (isObject(json) && ('@odata.context' in json || '@odata.type' in json)) {
    body(json);
    return out;
  }
  if (Array.isArray(json) && json.length && json.every(isObject)) {
    body(json);
    return out.length === json.length ? out : null;
  }
  return null;
}

/** Graph responses inside a HAR recording (requests to graph.microsoft.com); null when there are none. */
function graphHar(json: unknown): { url: string; body: unknown }[] | null {
  const found = harResponses(json, (url) => /^https:\/\/graph\.microsoft\.com\//i.test(url));
  return found?.length ? found : null;
}

function isScuba(json: unknown): json is JsonObject {
  return isObject(json) && (isObject(json['privileged_users']) || isObject(json['privileged_service_principals']) || Array.isArray(json['privileged_roles']));
}

function parseFile(file: DecodedFile, b: SnapshotBuilder, log: FileLog): void {
  const source = baseName(file.name);
  const assign = (identityId: string, entitlementId: string, grantedAt?: string) => b.assign({ identityId, entitlementId, source, grantedAt, usageKnown: false });
  const roleEntitlement = (templateOrName: string, displayName?: string): string => {
    const isGuid = /^[0-9a-f-]{36}$/i.test(templateOrName);
    const id = isGuid ? `entra:role:${templateOrName.toLowerCase()}` : `entra:role:${templateOrName.toLowerCase()}`;
    const name = displayName ?? ROLE_TEMPLATES[templateOrName.toLowerCase()] ?? (isGuid ? `directory role ${templateOrName}` : templateOrName);
    if (!b.hasEntitlement(id) || b.getEntitlement(id)!.name.startsWith('directory role ')) {
      const rating = rateEntraRole(name);
      b.entitlement({ id, name, application: 'Entra ID directory roles', privilege: rating.privilege, privilegeReason: rating.reason }, file.name);
      const e = b.getEntitlement(id)!;
      if (e.name.startsWith('directory role ') && !name.startsWith('directory role ')) Object.assign(e, { name, privilege: rating.privilege, privilegeReason: rating.reason });
    }
    return id;
  };

  if (isScuba(file.json)) {
    const j = file.json;
    const byName = new Map<string, string>();
    for (const r of asArray(j['privileged_roles']).filter(isObject)) {
      log.row();
      const name = str(prop(r, 'DisplayName'));
      const tid = str(prop(r, 'RoleTemplateId'));
      if (!name) {
        log.reject(log.outcome.rowsRead, 'privileged_roles entry without DisplayName', 'DisplayName');
        continue;
      }
      byName.set(name.toLowerCase(), roleEntitlement(tid ?? name, name));
    }
    const principals = (key: string, sp: boolean) => {
      const dict = j[key];
      if (!isObject(dict)) return;
      for (const [id, v] of Object.entries(dict)) {
        log.row();
        if (!isObject(v)) {
          log.reject(log.outcome.rowsRead, `${key}.${id} is not an object`, key);
          continue;
        }
        const name = str(prop(v, 'DisplayName')) ?? id;
        const cls = sp ? { type: 'service' as const, reason: 'Entra service principal' } : classifyByName('Entra user (privileged user in a ScubaGear export)', name);
        b.identity({ id: eid(id), displayName: name, login: sp ? str(prop(v, 'AppId')) : undefined, type: cls.type, typeReason: cls.reason, status: 'active' }, file.name);
        for (const role of asArray(prop(v, 'roles')).filter((x): x is string => typeof x === 'string')) assign(eid(id), byName.get(role.toLowerCase()) ?? roleEntitlement(role, role));
      }
    };
    principals('privileged_users', false);
    principals('privileged_service_principals', true);
    return;
  }

  const found = graphObjects(file.json);
  if (!found) {
    log.fatal('expected Microsoft Graph data: {"@odata.context", value: [...]}, an entity with @odata.type, a PowerShell array of Graph objects, or a Dev Proxy mocks file');
    return;
  }
  const order: Kind[] = ['user', 'mfaRegistration', 'servicePrincipal', 'application', 'directoryRole', 'roleDefinition', 'group', 'roleAssignment', 'appRoleAssignment'];
  found.sort((a, c) => order.indexOf(a.kind) - order.indexOf(c.kind) || a.record - c.record);
  let skippedPrincipals = 0;
  const credentials = (owner: string, o: JsonObject) => {
    const add = (list: Json | undefined, kind: string) => {
      for (const c of asArray(list).filter(isObject)) {
        const keyId = str(prop(c, 'keyId')) ?? str(prop(c, 'id')) ?? str(prop(c, 'name')) ?? str(prop(c, 'displayName'));
        if (!keyId) continue;
        const cred: Credential = { identityId: owner, credentialId: `${kind}:${keyId}`, kind, createdAt: toInstant(prop(c, 'startDateTime')), expiresAt: toInstant(prop(c, 'endDateTime')), active: true, source };
        b.credential(cred);
      }
    };
    add(prop(o, 'keyCredentials'), 'certificate');
    add(prop(o, 'passwordCredentials'), 'client-secret');
    add(prop(o, 'federatedIdentityCredentials'), 'federated-credential');
  };
  const principal = (o: JsonObject, kind: Kind): string | undefined => {
    const id = objectKey(o);
    if (!id) return undefined;
    const name = str(prop(o, 'displayName'));
    if (kind === 'user') {
      const upn = str(prop(o, 'userPrincipalName'));
      const guest = str(prop(o, 'userType'))?.toLowerCase() === 'guest' || upn?.includes('#EXT#');
      const cls = classifyByName(guest ? 'Entra guest user' : 'Entra user', upn ?? name);
      const sign = prop(o, 'signInActivity');
      // Dormancy is judged on any sign-in: a non-interactive one (token refresh by a mail client) proves use too.
      const last = isObject(sign) ? latest(['lastSuccessfulSignInDateTime', 'lastSignInDateTime', 'lastNonInteractiveSignInDateTime'].map((k) => toInstant(prop(sign, k)))) : undefined;
      const enabled = prop(o, 'accountEnabled');
      const mgr = prop(o, 'manager');
      b.identity(
        {
          id: eid(id),
          displayName: name ?? upn ?? id,
          email: str(prop(o, 'mail')),
          login: upn,
          employeeId: str(prop(o, 'employeeId')),
          department: str(prop(o, 'department')),
          title: str(prop(o, 'jobTitle')),
          managerId: isObject(mgr) && str(mgr['id']) ? eid(str(mgr['id'])!) : undefined,
          type: cls.type,
          typeReason: cls.reason,
          status: enabled === false ? 'disabled' : 'active',
          sourceStatus: typeof enabled === 'boolean' ? `accountEnabled ${enabled}` : undefined,
          createdAt: toInstant(prop(o, 'createdDateTime')),
          lastLoginAt: last,
          mfa: mfaOfUser(o),
        },
        file.name,
      );
    } else {
      const spType = str(prop(o, 'servicePrincipalType'));
      const cls =
        kind === 'application'
          ? { type: 'service' as const, reason: 'Entra application registration' }
          : spType === 'ManagedIdentity'
            ? { type: 'workload' as const, reason: 'Entra managed identity (service principal of type ManagedIdentity)' }
            : { type: 'service' as const, reason: 'Entra service principal' };
      b.identity({ id: eid(id), displayName: name ?? str(prop(o, 'appId')) ?? id, login: str(prop(o, 'appId')), type: cls.type, typeReason: cls.reason, status: prop(o, 'accountEnabled') === false ? 'disabled' : 'active', createdAt: toInstant(prop(o, 'createdDateTime')) }, file.name);
    }
    credentials(eid(id), o);
    return eid(id);
  };
  const memberIdentity = (m: JsonObject): string | undefined => {
    const mk = kindOf(m, undefined);
    const id = objectKey(m);
    if (!id) return undefined;
    if (b.hasIdentity(eid(id))) return eid(id);
    if (mk === 'user' || mk === 'servicePrincipal' || (str(m['@odata.type']) ?? '').toLowerCase() === '#microsoft.graph.user') return principal(m, mk ?? 'user');
    return undefined;
  };
  /** A member object that is a group: its members inherit what the outer group or role grants. */
  const memberGroup = (m: JsonObject): string | undefined => {
    const id = objectKey(m);
    if (!id || b.hasIdentity(eid(id))) return undefined;
    return kindOf(m, undefined) === 'group' || (str(m['@odata.type']) ?? '').toLowerCase() === '#microsoft.graph.group' ? eid(id) : undefined;
  };
  for (const f of found) {
    log.row();
    const o = f.obj;
    const id = objectKey(o);
    switch (f.kind) {
      case 'user':
      case 'servicePrincipal':
      case 'application': {
        if (!principal(o, f.kind)) log.reject(f.record, `${f.kind} object without id`, 'id');
        if (f.kind === 'application' && id) {
          for (const rra of asArray(prop(o, 'requiredResourceAccess')).filter(isObject)) {
            const resource = str(prop(rra, 'resourceAppId')) ?? 'unknown';
            for (const ra of asArray(prop(rra, 'resourceAccess')).filter(isObject)) {
              const pid = str(prop(ra, 'id'));
              if (!pid) continue;
              const isRole = (str(prop(ra, 'type')) ?? '').toLowerCase() === 'role';
              const pname = APP_ROLES[pid.toLowerCase()] ?? pid;
              const rating = rateAppPermission(pname);
              const entId = isRole ? `entra:appRole:${pid.toLowerCase()}` : `entra:scope:${pid.toLowerCase()}`;
              b.entitlement({ id: entId, name: isRole ? pname : `${pname} (delegated)`, application: RESOURCES[resource] ?? `Entra resource ${resource}`, privilege: rating.privilege, privilegeReason: rating.reason }, file.name);
              assign(eid(id), entId);
            }
          }
        }
        break;
      }
      case 'mfaRegistration': {
        // The registration report names the user by id and UPN; MFA registered = at least one strong method.
        const key = str(prop(o, 'id')) ?? str(prop(o, 'userPrincipalName'));
        const registered = prop(o, 'isMfaRegistered');
        if (!key || typeof registered !== 'boolean') {
          log.reject(f.record, !key ? 'userRegistrationDetails row without id' : 'userRegistrationDetails row without isMfaRegistered true/false', !key ? 'id' : 'isMfaRegistered');
          break;
        }
        const upn = str(prop(o, 'userPrincipalName'));
        const name = str(prop(o, 'userDisplayName'));
        const user = b.hasIdentity(eid(key)) ? b.getIdentity(eid(key))! : b.identity({ id: eid(key), displayName: name ?? upn ?? key, login: upn, ...userClass(upn ?? name, 'Entra user (from the MFA registration report)'), status: 'active' }, file.name);
        user.mfa = registered;
        break;
      }
      case 'directoryRole':
      case 'roleDefinition': {
        const tid = str(prop(o, 'roleTemplateId')) ?? str(prop(o, 'templateId')) ?? id;
        if (!tid) {
          log.reject(f.record, `${f.kind} without id or roleTemplateId`, 'id');
          break;
        }
        const rid = roleEntitlement(tid, str(prop(o, 'displayName')));
        for (const m of asArray(prop(o, 'members')).filter(isObject)) {
          const iid = memberIdentity(m);
          if (iid) assign(iid, rid);
          else {
            const inner = memberGroup(m);
            if (inner) b.link({ memberId: inner, groupId: rid, kind: 'role', source });
          }
        }
        break;
      }
      case 'group': {
        if (!id) {
          log.reject(f.record, 'group without id', 'id');
          break;
        }
        const name = str(prop(o, 'displayName')) ?? id;
        const rating = prop(o, 'isAssignableToRole') === true ? { privilege: 'high' as const, reason: 'role-assignable group (can hold Entra directory roles)' } : privilegeFromName(name);
        b.entitlement({ id: eid(id), name, application: 'Entra ID groups', privilege: rating.privilege, privilegeReason: rating.reason, description: str(prop(o, 'description')) }, file.name);
        for (const m of asArray(prop(o, 'members')).filter(isObject)) {
          const iid = memberIdentity(m);
          if (iid) assign(iid, eid(id));
          else {
            const inner = memberGroup(m);
            if (inner) b.link({ memberId: inner, groupId: eid(id), kind: 'group', source });
          }
        }
        break;
      }
      case 'roleAssignment': {
        const pid = str(prop(o, 'principalId'));
        const rdef = str(prop(o, 'roleDefinitionId'));
        if (!pid || !rdef) {
          log.reject(f.record, 'role assignment without principalId or roleDefinitionId', !pid ? 'principalId' : 'roleDefinitionId');
          break;
        }
        const rdObj = prop(o, 'roleDefinition');
        const rid = roleEntitlement(rdef, isObject(rdObj) ? str(prop(rdObj, 'displayName')) : undefined);
        const pObj = prop(o, 'principal');
        if (isObject(pObj)) memberIdentity({ ...pObj, id: pid });
        if (b.hasIdentity(eid(pid))) assign(eid(pid), rid, toInstant(prop(o, 'startDateTime')) ?? toInstant(prop(o, 'createdDateTime')));
        // A role assigned to a (role-assignable) group: its members hold the role through it.
        else if (b.hasEntitlement(eid(pid)) || (isObject(pObj) && memberGroup({ ...pObj, id: pid }))) b.link({ memberId: eid(pid), groupId: rid, kind: 'role', source });
        else skippedPrincipals++;
        break;
      }
      case 'appRoleAssignment': {
        const roleId = str(prop(o, 'appRoleId'));
        if (!roleId) {
          log.reject(f.record, 'app role assignment without appRoleId', 'appRoleId');
          break;
        }
        const resource = str(prop(o, 'resourceDisplayName')) ?? RESOURCES[str(prop(o, 'resourceId')) ?? ''] ?? str(prop(o, 'resourceId')) ?? 'unknown resource';
        const zero = /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(roleId);
        const entId = zero ? `entra:appRole:${resource.toLowerCase()}:default` : `entra:appRole:${roleId.toLowerCase()}`;
        const pname = str(prop(o, 'roleDisplayName')) ?? APP_ROLES[roleId.toLowerCase()] ?? (zero ? `default access to ${resource}` : roleId);
        const rating = rateAppPermission(pname);
        b.entitlement({ id: entId, name: pname, application: resource, privilege: rating.privilege, privilegeReason: rating.reason }, file.name);
        const pid = str(prop(o, 'principalId'));
        if (!pid) break;
        if (!b.hasIdentity(eid(pid))) {
          const ptype = (str(prop(o, 'principalType')) ?? '').toLowerCase();
          const pname2 = str(prop(o, 'principalDisplayName')) ?? pid;
          const cls = ptype === 'serviceprincipal' ? { type: 'service' as const, reason: 'Entra service principal (from an app role assignment)' } : ptype === 'group' ? classifyPrincipalSet('group', 'Entra group (from an app role assignment)') : classifyByName(`Entra ${ptype || 'principal'} (from an app role assignment)`, pname2);
          b.identity({ id: eid(pid), displayName: pname2, type: cls.type, typeReason: cls.reason, status: 'active', principal: ptype === 'group' ? 'group' : undefined }, file.name);
        }
        assign(eid(pid), entId, toInstant(prop(o, 'createdDateTime')));
        // Group-based app role assignment: the group's members hold the app role through it.
        if ((str(prop(o, 'principalType')) ?? '').toLowerCase() === 'group') b.link({ memberId: eid(pid), groupId: entId, kind: 'role', source });
        break;
      }
    }
  }
  // Relations the request URLs state (HAR / mocks with real ids): members of a group or role, groups of a user.
  const roleByObjectId = new Map<string, string>();
  for (const f of found) if (f.kind === 'directoryRole') {
    const oid = str(prop(f.obj, 'id'));
    const tid = str(prop(f.obj, 'roleTemplateId'));
    if (oid) roleByObjectId.set(oid.toLowerCase(), `entra:role:${(tid ?? oid).toLowerCase()}`);
  }
  for (const f of found) {
    const key = objectKey(f.obj);
    if (!key) continue;
    if (f.memberOf && (f.kind === 'user' || f.kind === 'servicePrincipal')) {
      const gid = f.memberOf.kind === 'group' ? eid(f.memberOf.id) : (roleByObjectId.get(f.memberOf.id.toLowerCase()) ?? roleEntitlement(f.memberOf.id));
      if (f.memberOf.kind === 'group' && !b.hasEntitlement(gid)) b.entitlement({ id: gid, name: f.memberOf.id, application: 'Entra ID groups', privilege: 'medium', privilegeReason: 'group known only by the id in the request URL; rated medium by default' }, file.name);
      assign(eid(key), gid);
    }
    if (f.memberOf && f.kind === 'group') {
      const outer = f.memberOf.kind === 'group' ? eid(f.memberOf.id) : (roleByObjectId.get(f.memberOf.id.toLowerCase()) ?? roleEntitlement(f.memberOf.id));
      if (f.memberOf.kind === 'group' && !b.hasEntitlement(outer)) b.entitlement({ id: outer, name: f.memberOf.id, application: 'Entra ID groups', privilege: 'medium', privilegeReason: 'group known only by the id in the request URL; rated medium by default' }, file.name);
      b.link({ memberId: eid(key), groupId: outer, kind: f.memberOf.kind === 'group' ? 'group' : 'role', source });
    }
    if (f.memberIs && (f.kind === 'group' || f.kind === 'directoryRole')) {
      const uid = eid(f.memberIs);
      if (!b.hasIdentity(uid)) b.identity({ id: uid, displayName: f.memberIs, login: f.memberIs.includes('@') ? f.memberIs : undefined, type: 'human', typeReason: 'Entra user known only from a /users/{id}/memberOf request (human by default)', status: 'active' }, file.name);
      assign(uid, f.kind === 'group' ? eid(key) : (roleByObjectId.get(key.toLowerCase()) ?? eid(key)));
    }
  }
  if (skippedPrincipals) log.note(0, `${skippedPrincipals} role assignment(s) name a principal that is not in this file; they are not stored (import the users / service principals with them)`, 'principalId');
}

export const entra = defineFormat({
  id: 'entra-graph',
  label: 'Microsoft Entra ID (Graph)',
  formatVersion: 'Microsoft Graph v1.0',
  parserVersion: '1.0.0',
  detect(file) {
    const j = file.json;
    if (isScuba(j)) return 'JSON object with privileged_users / privileged_service_principals / privileged_roles: Entra ID part of a ScubaGear ProviderSettingsExport';
    if (graphHar(j)) {
      const n = graphObjects(j)?.length ?? 0;
      return n ? `HAR recording of graph.microsoft.com requests (${n} directory objects): Microsoft Graph responses` : null;
    }
    if (isObject(j) && Array.isArray(j['mocks'])) {
      const n = graphObjects(j)?.length ?? 0;
      return n ? `JSON object with mocks[] of graph.microsoft.com responses (${n} directory objects): Microsoft Graph responses in a Dev Proxy mocks file` : null;
    }
    if (isObject(j) && typeof j['@odata.context'] === 'string' && j['@odata.context'].includes('graph.microsoft.com')) {
      const n = graphObjects(j)?.length ?? 0;
      return n ? `JSON object with @odata.context ${j['@odata.context'].split('#')[1] ?? ''}: Microsoft Graph response` : null;
    }
    if (Array.isArray(j) && j.length && j.every(isObject)) {
      const found = graphObjects(j);
      if (!found || found.length !== j.length) return null;
      const first = j[0] as JsonObject;
      const powershell = Object.keys(first).some((k) => /^[A-Z]/.test(k));
      // Arrays of bare objects are only taken when their keys are Graph's own.
      const graphish = ['Id', 'AppId', 'AppRoleId', 'UserPrincipalName', 'ServicePrincipalType', 'RequiredResourceAccess', 'id', 'appId', 'userPrincipalName'].some((k) => k in first);
      if (!graphish) return null;
      const kinds = [...new Set(found.map((f) => f.kind))].join(', ');
      return `JSON array of ${powershell ? 'PowerShell (PascalCase) ' : ''}Microsoft Graph ${kinds} objects`;
    }
    return null;
  },
  parseFile: (file, b, log) => parseFile(file, b, log),
});
