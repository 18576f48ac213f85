// Google Cloud IAM: getIamPolicy output (bindings -> members -> roles), raw or inside an HTTP recording, with the
// Cloud Identity groups and memberships that expand bindings to groups, and service account listings ({accounts}).
import type { Identity, Privilege } from '../../model';
import { classifyPrincipalSet } from '../classify';
import { baseName } from '../decode';
import type { DecodedFile } from '../types';
import { cloudIdentityGroups, cloudIdentityMemberships, expandGroupBindings, readCloudIdentity } from './gcp-groups';
import { asArray, defineFormat, isObject, str, strings, type FileLog, type JsonObject, type SnapshotBuilder } from './common';

function policyOf(json: unknown): JsonObject | null {
  const body = isObject(json) && isObject(json['policy']) ? json['policy'] : json;
  const b2 = isObject(body) && 'headers' in body && isObject(body['body']) ? body['body'] : body;
  if (isObject(b2) && Array.isArray(b2['bindings']) && asArray(b2['bindings']).every((x) => isObject(x) && typeof x['role'] === 'string'))
    return b2;
  return null;
}

function accountsOf(json: unknown): unknown[] | null {
  const body = isObject(json) && 'headers' in json && isObject(json['body']) ? json['body'] : json;
  if (
    isObject(body) &&
    Array.isArray(body['accounts']) &&
    asArray(body['accounts']).every((a) => isObject(a) && typeof a['email'] === 'string')
  )
    return asArray(body['accounts']);
  return null;
}

export function rateGcpRole(role: string): { privilege: Privilege; reason: string } {
  const r = role.toLowerCase();
  if (r === 'roles/owner') return { privilege: 'critical', reason: 'roles/owner: full control, including IAM' };
  if (
    /(iam\.securityadmin|organizationadmin|projectiamadmin|folderadmin|serviceaccounttokencreator|serviceaccountkeyadmin|iam\.admin|iam\.roleadmin)$/.test(
      r,
    )
  )
    return { privilege: 'critical', reason: `${role} can change IAM or mint credentials` };
  if (r === 'roles/editor') return { privilege: 'high', reason: 'roles/editor: write access to most resources' };
  if (/(admin|serviceaccountuser|workloadidentityuser|owner)/.test(r)) return { privilege: 'high', reason: `${role}: administrative role` };
  if (r === 'roles/viewer' || r === 'roles/browser' || /(viewer|reader|browser|lister)$/.test(r))
    return { privilege: 'low', reason: `${role}: read-only role` };
  return { privilege: 'medium', reason: `${role}: no read-only or admin marker in the name; medium by default` };
}

function ps(kind: 'group' | 'domain' | 'public', words: string): Pick<Identity, 'type' | 'typeReason'> {
  const c = classifyPrincipalSet(kind, words);
  return { type: c.type, typeReason: c.reason };
}

/** A binding member to an identity, or an error message when the member is not a known form. */
export function gcpMember(member: string): Identity | string {
  const m = member.trim();
  if (m === 'allUsers')
    return {
      id: 'gcp:allUsers',
      displayName: 'allUsers (anyone on the internet)',
      ...ps('public', 'Google Cloud allUsers: anyone on the internet'),
      status: 'active',
      principal: 'public',
    };
  if (m === 'allAuthenticatedUsers')
    return {
      id: 'gcp:allAuthenticatedUsers',
      displayName: 'allAuthenticatedUsers (any Google account)',
      ...ps('public', 'Google Cloud allAuthenticatedUsers: any signed-in Google account'),
      status: 'active',
      principal: 'public',
    };
  const colon = m.indexOf(':');
  if (colon <= 0)
    return `member "${m}" has no type prefix (expected user:, serviceAccount:, group:, domain:, principal:, principalSet:, allUsers or allAuthenticatedUsers)`;
  let kind = m.slice(0, colon);
  let rest = m.slice(colon + 1);
  let status: Identity['status'] = 'active';
  if (kind === 'deleted') {
    status = 'terminated';
    const c2 = rest.indexOf(':');
    kind = c2 > 0 ? rest.slice(0, c2) : rest;
    rest = c2 > 0 ? rest.slice(c2 + 1).split('?')[0]! : '';
  }
  if (!rest) return `member "${m}" has an empty value after "${kind}:"`;
  const value = kind === 'principal' || kind === 'principalSet' ? rest : rest.toLowerCase();
  switch (kind) {
    case 'user':
      return {
        id: `gcp:user:${value}`,
        displayName: rest,
        email: rest,
        login: rest,
        type: 'human',
        typeReason: 'Google Cloud user: member',
        status,
      };
    case 'serviceAccount':
      return {
        id: `gcp:serviceAccount:${value}`,
        displayName: rest,
        email: rest,
        login: rest,
        type: 'service',
        typeReason: 'Google Cloud serviceAccount: member',
        status,
      };
    case 'group':
      return {
        id: `gcp:group:${value}`,
        displayName: `group ${rest}`,
        email: rest,
        ...ps('group', 'Google group (a set of accounts; membership not in this file)'),
        status,
        principal: 'group',
      };
    case 'domain':
      return {
        id: `gcp:domain:${value}`,
        displayName: `every account in ${rest}`,
        ...ps('domain', 'Google Workspace / Cloud Identity domain'),
        status,
        principal: 'domain',
      };
    case 'principal':
    case 'principalSet':
      return {
        id: `gcp:${kind}:${value}`,
        displayName: rest,
        type: 'workload',
        typeReason: `workload identity federation ${kind}`,
        status,
        principal: kind === 'principalSet' ? 'group' : undefined,
      };
    case 'projectOwner':
    case 'projectEditor':
    case 'projectViewer':
      return {
        id: `gcp:${kind}:${value}`,
        displayName: `${kind} of ${rest}`,
        ...ps('group', `convenience value ${kind}: the project's ${kind.slice(7).toLowerCase()}s`),
        status,
        principal: 'group',
      };
    default:
      return `member "${m}" has an unknown type "${kind}:"`;
  }
}

function resourceOf(file: DecodedFile): string {
  const headers = isObject(file.json) && isObject(file.json['headers']) ? file.json['headers'] : undefined;
  const loc = headers ? str(headers['content-location']) : undefined;
  if (loc) return loc.replace(/^https?:\/\/[^/]+\/v\d+\//, '').replace(/[?:].*$/, '');
  return baseName(file.name).replace(/\.(json|ya?ml)$/, '');
}

function parseFile(file: DecodedFile, b: SnapshotBuilder, log: FileLog): void {
  const source = baseName(file.name);
  if (readCloudIdentity(file, b, log)) return;
  const accounts = accountsOf(file.json);
  if (accounts) {
    for (const [i, a] of accounts.entries()) {
      log.row();
      const o = a as JsonObject;
      const email = str(o['email']);
      if (!email) {
        log.reject(i + 1, `accounts[${i}] has no email`, 'email');
        continue;
      }
      b.identity(
        {
          id: `gcp:serviceAccount:${email.toLowerCase()}`,
          displayName: str(o['displayName']) ?? email,
          email,
          login: email,
          type: 'service',
          typeReason: 'Google Cloud service account (serviceAccounts.list)',
          status: o['disabled'] === true ? 'disabled' : 'active',
          employeeId: undefined,
        },
        file.name,
      );
    }
    return;
  }
  const policy = policyOf(file.json);
  if (!policy) {
    log.fatal('expected a Google Cloud IAM policy ({bindings: [{role, members}]}) or a service account list ({accounts: [...]})');
    return;
  }
  const resource = resourceOf(file);
  for (const [i, bind] of asArray(policy['bindings']).entries()) {
    const o = bind as JsonObject;
    const role = String(o['role']);
    const condition = isObject(o['condition']) ? (str(o['condition']['title']) ?? str(o['condition']['expression'])) : undefined;
    const eid = `gcp:${resource}:${role}${condition ? `?${condition}` : ''}`;
    const rating = rateGcpRole(role);
    b.entitlement(
      {
        id: eid,
        name: `${role}${condition ? ` (if ${condition})` : ''}`,
        application: `Google Cloud ${resource}`,
        privilege: rating.privilege,
        privilegeReason: rating.reason,
      },
      file.name,
    );
    for (const member of strings(o['members'])) {
      log.row();
      const identity = gcpMember(member);
      if (typeof identity === 'string') {
        log.reject(i + 1, `bindings[${i}] (${role}): ${identity}`, 'members');
        continue;
      }
      b.identity(identity, file.name);
      b.assign({ identityId: identity.id, entitlementId: eid, source, usageKnown: false });
    }
  }
}

export const gcpIam = defineFormat({
  id: 'gcp-iam',
  label: 'Google Cloud IAM',
  formatVersion: 'IAM policy v1/v3',
  parserVersion: '1.0.0',
  detect(file) {
    if (policyOf(file.json))
      return `JSON with bindings[] of {role, members}${isObject(file.json) && 'headers' in file.json ? ' (inside an HTTP recording)' : ''}: Google Cloud getIamPolicy output`;
    if (accountsOf(file.json))
      return 'JSON with accounts[] of service accounts (email, uniqueId): Google Cloud serviceAccounts.list output';
    if (cloudIdentityGroups(file.json)) return 'JSON with groups[] of {name, groupKey}: Cloud Identity groups listing';
    if (cloudIdentityMemberships(file.json))
      return 'JSON with memberships[] of {name, preferredMemberKey}: Cloud Identity group memberships (members of Google groups)';
    return null;
  },
  parseFile: (file, b, log) => parseFile(file, b, log),
  finish: expandGroupBindings,
});
