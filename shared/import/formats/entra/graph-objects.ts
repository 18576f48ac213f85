// Recognising Microsoft Graph objects (users, groups, service principals, roles, assignments) in Graph responses,
// PowerShell dumps, Dev Proxy mocks and HAR recordings, and rating Entra roles and API permissions.
import type { Privilege } from '../../../model';
import { privilegeFromName } from '../../classify';
import { harResponses, isObject, prop, str, type JsonObject } from '../common';

export type Kind =
  | 'user'
  | 'mfaRegistration'
  | 'group'
  | 'servicePrincipal'
  | 'application'
  | 'directoryRole'
  | 'roleDefinition'
  | 'roleAssignment'
  | 'appRoleAssignment';

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
  const path = frag
    .split('?')[0]!
    .split('/')
    .filter((s) => s && s !== '$entity' && s !== '*');
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

export function kindOf(o: JsonObject, hint: Kind | undefined): Kind | undefined {
  const t = str(o['@odata.type'])?.toLowerCase();
  if (t) return ODATA_TYPES[t];
  // /reports/authenticationMethods/userRegistrationDetails rows carry a UPN too.
  if (prop(o, 'isMfaRegistered') !== undefined && prop(o, 'accountEnabled') === undefined) return 'mfaRegistration';
  if (prop(o, 'userPrincipalName') !== undefined) return 'user';
  if (prop(o, 'appRoleId') !== undefined) return 'appRoleAssignment';
  if (prop(o, 'principalId') !== undefined && prop(o, 'roleDefinitionId') !== undefined) return 'roleAssignment';
  if (hint) return hint;
  if (
    prop(o, 'servicePrincipalType') !== undefined ||
    prop(o, 'appOwnerOrganizationId') !== undefined ||
    prop(o, 'servicePrincipalNames') !== undefined
  )
    return 'servicePrincipal';
  if (prop(o, 'requiredResourceAccess') !== undefined) return 'application';
  if (prop(o, 'securityEnabled') !== undefined || prop(o, 'groupTypes') !== undefined || prop(o, 'mailEnabled') !== undefined)
    return 'group';
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

export const ROLE_TEMPLATES: Record<string, string> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator',
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': 'Application Administrator',
  '158c047a-c907-4556-b7ef-446551a6b5f7': 'Cloud Application Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451': 'Global Reader',
};
export const APP_ROLES: Record<string, string> = {
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
export const RESOURCES: Record<string, string> = {
  '00000003-0000-0000-c000-000000000000': 'Microsoft Graph',
  '00000002-0000-0ff1-ce00-000000000000': 'Office 365 Exchange Online',
};

export function rateEntraRole(name: string): { privilege: Privilege; reason: string } {
  if (/^(global administrator|company administrator|privileged role administrator|privileged authentication administrator)$/i.test(name))
    return { privilege: 'critical', reason: `Entra role "${name}" controls the whole tenant` };
  if (/administrator/i.test(name)) return { privilege: 'high', reason: `Entra role "${name}" administers part of the tenant` };
  if (/reader/i.test(name)) return { privilege: 'low', reason: `Entra role "${name}" is read-only` };
  return privilegeFromName(name);
}

export function rateAppPermission(name: string): { privilege: Privilege; reason: string } {
  if (
    /^(RoleManagement\.ReadWrite\.Directory|Application\.ReadWrite\.All|AppRoleAssignment\.ReadWrite\.All|Directory\.ReadWrite\.All|full_access_as_app)$/i.test(
      name,
    )
  )
    return { privilege: 'critical', reason: `API permission ${name} lets the app take over the tenant or every mailbox` };
  if (/ReadWrite\.All$/i.test(name)) return { privilege: 'high', reason: `API permission ${name}: write access to all such objects` };
  if (/ReadWrite/i.test(name)) return { privilege: 'medium', reason: `API permission ${name}: write access` };
  if (/Read/i.test(name)) return { privilege: 'low', reason: `API permission ${name}: read access` };
  return { privilege: 'medium', reason: `API permission ${name}: rated medium by default` };
}
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
    if (kind && (objectKey(o) || kind === 'roleAssignment' || kind === 'appRoleAssignment' || prop(o, 'roleTemplateId') !== undefined))
      out.push({ kind, obj: o, record, ...relation });
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
export function graphHar(json: unknown): { url: string; body: unknown }[] | null {
  const found = harResponses(json, (url) => /^https:\/\/graph\.microsoft\.com\//i.test(url));
  return found?.length ? found : null;
}

export function isScuba(json: unknown): json is JsonObject {
  return (
    isObject(json) &&
    (isObject(json['privileged_users']) || isObject(json['privileged_service_principals']) || Array.isArray(json['privileged_roles']))
  );
}
