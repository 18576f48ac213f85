// Microsoft Entra ID / Graph objects into the snapshot: users with sign-in and MFA, groups with nested members,
// service principals and their credentials, directory roles and app role assignments.
import type { Credential, IdentityType } from '../../../model';
import { classifyByName, classifyPrincipalSet, privilegeFromName } from '../../classify';
import { baseName } from '../../decode';
import type { DecodedFile } from '../../types';
import { asArray, isObject, prop, str, toInstant, type FileLog, type Json, type JsonObject, type SnapshotBuilder } from '../common';
import {
  APP_ROLES,
  graphObjects,
  isScuba,
  kindOf,
  objectKey,
  rateAppPermission,
  rateEntraRole,
  RESOURCES,
  ROLE_TEMPLATES,
  type Kind,
} from './graph-objects';

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
export function parseFile(file: DecodedFile, b: SnapshotBuilder, log: FileLog): void {
  const source = baseName(file.name);
  const assign = (identityId: string, entitlementId: string, grantedAt?: string) =>
    b.assign({ identityId, entitlementId, source, grantedAt, usageKnown: false });
  const roleEntitlement = (templateOrName: string, displayName?: string): string => {
    const isGuid = /^[0-9a-f-]{36}$/i.test(templateOrName);
    const id = isGuid ? `entra:role:${templateOrName.toLowerCase()}` : `entra:role:${templateOrName.toLowerCase()}`;
    const name =
      displayName ?? ROLE_TEMPLATES[templateOrName.toLowerCase()] ?? (isGuid ? `directory role ${templateOrName}` : templateOrName);
    if (!b.hasEntitlement(id) || b.getEntitlement(id)!.name.startsWith('directory role ')) {
      const rating = rateEntraRole(name);
      b.entitlement(
        { id, name, application: 'Entra ID directory roles', privilege: rating.privilege, privilegeReason: rating.reason },
        file.name,
      );
      const e = b.getEntitlement(id)!;
      if (e.name.startsWith('directory role ') && !name.startsWith('directory role '))
        Object.assign(e, { name, privilege: rating.privilege, privilegeReason: rating.reason });
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
        const cls = sp
          ? { type: 'service' as const, reason: 'Entra service principal' }
          : classifyByName('Entra user (privileged user in a ScubaGear export)', name);
        b.identity(
          {
            id: eid(id),
            displayName: name,
            login: sp ? str(prop(v, 'AppId')) : undefined,
            type: cls.type,
            typeReason: cls.reason,
            status: 'active',
          },
          file.name,
        );
        for (const role of asArray(prop(v, 'roles')).filter((x): x is string => typeof x === 'string'))
          assign(eid(id), byName.get(role.toLowerCase()) ?? roleEntitlement(role, role));
      }
    };
    principals('privileged_users', false);
    principals('privileged_service_principals', true);
    return;
  }

  const found = graphObjects(file.json);
  if (!found) {
    log.fatal(
      'expected Microsoft Graph data: {"@odata.context", value: [...]}, an entity with @odata.type, a PowerShell array of Graph objects, or a Dev Proxy mocks file',
    );
    return;
  }
  const order: Kind[] = [
    'user',
    'mfaRegistration',
    'servicePrincipal',
    'application',
    'directoryRole',
    'roleDefinition',
    'group',
    'roleAssignment',
    'appRoleAssignment',
  ];
  found.sort((a, c) => order.indexOf(a.kind) - order.indexOf(c.kind) || a.record - c.record);
  let skippedPrincipals = 0;
  const credentials = (owner: string, o: JsonObject) => {
    const add = (list: Json | undefined, kind: string) => {
      for (const c of asArray(list).filter(isObject)) {
        const keyId = str(prop(c, 'keyId')) ?? str(prop(c, 'id')) ?? str(prop(c, 'name')) ?? str(prop(c, 'displayName'));
        if (!keyId) continue;
        const cred: Credential = {
          identityId: owner,
          credentialId: `${kind}:${keyId}`,
          kind,
          createdAt: toInstant(prop(c, 'startDateTime')),
          expiresAt: toInstant(prop(c, 'endDateTime')),
          active: true,
          source,
        };
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
      const last = isObject(sign)
        ? latest(
            ['lastSuccessfulSignInDateTime', 'lastSignInDateTime', 'lastNonInteractiveSignInDateTime'].map((k) => toInstant(prop(sign, k))),
          )
        : undefined;
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
      b.identity(
        {
          id: eid(id),
          displayName: name ?? str(prop(o, 'appId')) ?? id,
          login: str(prop(o, 'appId')),
          type: cls.type,
          typeReason: cls.reason,
          status: prop(o, 'accountEnabled') === false ? 'disabled' : 'active',
          createdAt: toInstant(prop(o, 'createdDateTime')),
        },
        file.name,
      );
    }
    credentials(eid(id), o);
    return eid(id);
  };
  const memberIdentity = (m: JsonObject): string | undefined => {
    const mk = kindOf(m, undefined);
    const id = objectKey(m);
    if (!id) return undefined;
    if (b.hasIdentity(eid(id))) return eid(id);
    if (mk === 'user' || mk === 'servicePrincipal' || (str(m['@odata.type']) ?? '').toLowerCase() === '#microsoft.graph.user')
      return principal(m, mk ?? 'user');
    return undefined;
  };
  /** A member object that is a group: its members inherit what the outer group or role grants. */
  const memberGroup = (m: JsonObject): string | undefined => {
    const id = objectKey(m);
    if (!id || b.hasIdentity(eid(id))) return undefined;
    return kindOf(m, undefined) === 'group' || (str(m['@odata.type']) ?? '').toLowerCase() === '#microsoft.graph.group'
      ? eid(id)
      : undefined;
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
              b.entitlement(
                {
                  id: entId,
                  name: isRole ? pname : `${pname} (delegated)`,
                  application: RESOURCES[resource] ?? `Entra resource ${resource}`,
                  privilege: rating.privilege,
                  privilegeReason: rating.reason,
                },
                file.name,
              );
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
          log.reject(
            f.record,
            !key ? 'userRegistrationDetails row without id' : 'userRegistrationDetails row without isMfaRegistered true/false',
            !key ? 'id' : 'isMfaRegistered',
          );
          break;
        }
        const upn = str(prop(o, 'userPrincipalName'));
        const name = str(prop(o, 'userDisplayName'));
        const user = b.hasIdentity(eid(key))
          ? b.getIdentity(eid(key))!
          : b.identity(
              {
                id: eid(key),
                displayName: name ?? upn ?? key,
                login: upn,
                ...userClass(upn ?? name, 'Entra user (from the MFA registration report)'),
                status: 'active',
              },
              file.name,
            );
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
        const rating =
          prop(o, 'isAssignableToRole') === true
            ? { privilege: 'high' as const, reason: 'role-assignable group (can hold Entra directory roles)' }
            : privilegeFromName(name);
        b.entitlement(
          {
            id: eid(id),
            name,
            application: 'Entra ID groups',
            privilege: rating.privilege,
            privilegeReason: rating.reason,
            description: str(prop(o, 'description')),
          },
          file.name,
        );
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
        else if (b.hasEntitlement(eid(pid)) || (isObject(pObj) && memberGroup({ ...pObj, id: pid })))
          b.link({ memberId: eid(pid), groupId: rid, kind: 'role', source });
        else skippedPrincipals++;
        break;
      }
      case 'appRoleAssignment': {
        const roleId = str(prop(o, 'appRoleId'));
        if (!roleId) {
          log.reject(f.record, 'app role assignment without appRoleId', 'appRoleId');
          break;
        }
        const resource =
          str(prop(o, 'resourceDisplayName')) ??
          RESOURCES[str(prop(o, 'resourceId')) ?? ''] ??
          str(prop(o, 'resourceId')) ??
          'unknown resource';
        const zero = /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(roleId);
        const entId = zero ? `entra:appRole:${resource.toLowerCase()}:default` : `entra:appRole:${roleId.toLowerCase()}`;
        const pname =
          str(prop(o, 'roleDisplayName')) ?? APP_ROLES[roleId.toLowerCase()] ?? (zero ? `default access to ${resource}` : roleId);
        const rating = rateAppPermission(pname);
        b.entitlement(
          { id: entId, name: pname, application: resource, privilege: rating.privilege, privilegeReason: rating.reason },
          file.name,
        );
        const pid = str(prop(o, 'principalId'));
        if (!pid) break;
        if (!b.hasIdentity(eid(pid))) {
          const ptype = (str(prop(o, 'principalType')) ?? '').toLowerCase();
          const pname2 = str(prop(o, 'principalDisplayName')) ?? pid;
          const cls =
            ptype === 'serviceprincipal'
              ? { type: 'service' as const, reason: 'Entra service principal (from an app role assignment)' }
              : ptype === 'group'
                ? classifyPrincipalSet('group', 'Entra group (from an app role assignment)')
                : classifyByName(`Entra ${ptype || 'principal'} (from an app role assignment)`, pname2);
          b.identity(
            {
              id: eid(pid),
              displayName: pname2,
              type: cls.type,
              typeReason: cls.reason,
              status: 'active',
              principal: ptype === 'group' ? 'group' : undefined,
            },
            file.name,
          );
        }
        assign(eid(pid), entId, toInstant(prop(o, 'createdDateTime')));
        // Group-based app role assignment: the group's members hold the app role through it.
        if ((str(prop(o, 'principalType')) ?? '').toLowerCase() === 'group')
          b.link({ memberId: eid(pid), groupId: entId, kind: 'role', source });
        break;
      }
    }
  }
  // Relations the request URLs state (HAR / mocks with real ids): members of a group or role, groups of a user.
  const roleByObjectId = new Map<string, string>();
  for (const f of found)
    if (f.kind === 'directoryRole') {
      const oid = str(prop(f.obj, 'id'));
      const tid = str(prop(f.obj, 'roleTemplateId'));
      if (oid) roleByObjectId.set(oid.toLowerCase(), `entra:role:${(tid ?? oid).toLowerCase()}`);
    }
  for (const f of found) {
    const key = objectKey(f.obj);
    if (!key) continue;
    if (f.memberOf && (f.kind === 'user' || f.kind === 'servicePrincipal')) {
      const gid =
        f.memberOf.kind === 'group'
          ? eid(f.memberOf.id)
          : (roleByObjectId.get(f.memberOf.id.toLowerCase()) ?? roleEntitlement(f.memberOf.id));
      if (f.memberOf.kind === 'group' && !b.hasEntitlement(gid))
        b.entitlement(
          {
            id: gid,
            name: f.memberOf.id,
            application: 'Entra ID groups',
            privilege: 'medium',
            privilegeReason: 'group known only by the id in the request URL; rated medium by default',
          },
          file.name,
        );
      assign(eid(key), gid);
    }
    if (f.memberOf && f.kind === 'group') {
      const outer =
        f.memberOf.kind === 'group'
          ? eid(f.memberOf.id)
          : (roleByObjectId.get(f.memberOf.id.toLowerCase()) ?? roleEntitlement(f.memberOf.id));
      if (f.memberOf.kind === 'group' && !b.hasEntitlement(outer))
        b.entitlement(
          {
            id: outer,
            name: f.memberOf.id,
            application: 'Entra ID groups',
            privilege: 'medium',
            privilegeReason: 'group known only by the id in the request URL; rated medium by default',
          },
          file.name,
        );
      b.link({ memberId: eid(key), groupId: outer, kind: f.memberOf.kind === 'group' ? 'group' : 'role', source });
    }
    if (f.memberIs && (f.kind === 'group' || f.kind === 'directoryRole')) {
      const uid = eid(f.memberIs);
      if (!b.hasIdentity(uid))
        b.identity(
          {
            id: uid,
            displayName: f.memberIs,
            login: f.memberIs.includes('@') ? f.memberIs : undefined,
            type: 'human',
            typeReason: 'Entra user known only from a /users/{id}/memberOf request (human by default)',
            status: 'active',
          },
          file.name,
        );
      assign(uid, f.kind === 'group' ? eid(key) : (roleByObjectId.get(key.toLowerCase()) ?? eid(key)));
    }
  }
  if (skippedPrincipals)
    log.note(
      0,
      `${skippedPrincipals} role assignment(s) name a principal that is not in this file; they are not stored (import the users / service principals with them)`,
      'principalId',
    );
}
