// The output of `aws iam get-account-authorization-details`: users, groups, roles and their policies.
import { classifyAwsRole, classifyAwsUser, maxPrivilege, privilegeFromName, type PrivilegeRating } from '../../classify';
import { baseName } from '../../decode';
import type { DecodedFile } from '../../types';
import { asArray, defineFormat, isObject, str, strings, toInstant, unwrapResponse, type FileLog, type SnapshotBuilder } from '../common';
import { policyDocument, ratePolicyDocument } from './policy';

const AUTH_KEYS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'];

export function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}

function parseAuthorizationDetails(file: DecodedFile, b: SnapshotBuilder, log: FileLog): void {
  const d = unwrapResponse(file.json);
  if (!isObject(d) || !AUTH_KEYS.some((k) => Array.isArray(d[k]))) {
    log.fatal(
      'expected the output of aws iam get-account-authorization-details (UserDetailList, GroupDetailList, RoleDetailList, Policies)',
    );
    return;
  }
  const source = baseName(file.name);
  const app = (arn: string) => `AWS IAM${accountOf(arn) && accountOf(arn) !== 'aws' ? ` (account ${accountOf(arn)})` : ''}`;
  const policyRating = new Map<string, PrivilegeRating>();
  for (const [i, p] of asArray(d['Policies']).entries()) {
    log.row();
    if (!isObject(p) || !str(p['Arn'])) {
      log.reject(i + 1, `Policies[${i}] has no Arn`, 'Policies');
      continue;
    }
    const arn = str(p['Arn'])!;
    const name = str(p['PolicyName']) ?? arn;
    const versions = asArray(p['PolicyVersionList']).filter(isObject);
    const def = versions.find((v) => v['IsDefaultVersion'] === true) ?? versions[0];
    const rating = def ? ratePolicyDocument(def['Document'], name) : privilegeFromName(name);
    policyRating.set(arn, rating);
    b.entitlement(
      {
        id: arn,
        name,
        application: app(arn),
        privilege: rating.privilege,
        privilegeReason: rating.reason,
        description: str(p['Description']) ?? `managed policy ${str(p['Path']) ?? ''}${name}`,
      },
      file.name,
    );
  }
  const attachedPolicy = (ap: unknown): string | undefined => {
    if (!isObject(ap)) return undefined;
    const arn = str(ap['PolicyArn']);
    if (!arn) return undefined;
    if (!b.hasEntitlement(arn)) {
      const name = str(ap['PolicyName']) ?? arn.split('/').pop() ?? arn;
      const rating = privilegeFromName(name);
      const r = { privilege: rating.privilege, reason: `${rating.reason} (policy document not in this file)` };
      policyRating.set(arn, r);
      b.entitlement(
        {
          id: arn,
          name,
          application: app(arn),
          privilege: r.privilege,
          privilegeReason: r.reason,
          description: 'managed policy (document not in this export)',
        },
        file.name,
      );
    }
    return arn;
  };
  const inline = (ownerArn: string, ip: unknown) => {
    if (!isObject(ip)) return undefined;
    const pname = str(ip['PolicyName']) ?? 'inline';
    const id = `${ownerArn}#inline/${pname}`;
    const rating = ratePolicyDocument(ip['PolicyDocument'], pname);
    b.entitlement(
      {
        id,
        name: `${pname} (inline)`,
        application: app(ownerArn),
        privilege: rating.privilege,
        privilegeReason: rating.reason,
        description: `inline policy of ${ownerArn.split(':').pop()}`,
      },
      file.name,
    );
    return id;
  };
  const groupByName = new Map<string, string>();
  for (const [i, g] of asArray(d['GroupDetailList']).entries()) {
    log.row();
    if (!isObject(g) || !str(g['Arn']) || !str(g['GroupName'])) {
      log.reject(i + 1, `GroupDetailList[${i}] lacks Arn or GroupName`, 'GroupDetailList');
      continue;
    }
    const arn = str(g['Arn'])!;
    const name = str(g['GroupName'])!;
    const ratings: PrivilegeRating[] = [];
    const parts: string[] = [];
    for (const ap of asArray(g['AttachedManagedPolicies'])) {
      const parn = attachedPolicy(ap);
      if (parn) {
        ratings.push(policyRating.get(parn)!);
        parts.push(b.getEntitlement(parn)?.name ?? parn);
        // The group's members hold its policies through it: effective access user → group → policy.
        b.link({ memberId: arn, groupId: parn, kind: 'policy', source });
      }
    }
    for (const ip of asArray(g['GroupPolicyList']).filter(isObject)) {
      const pname = str(ip['PolicyName']) ?? 'inline';
      ratings.push(ratePolicyDocument(ip['PolicyDocument'], pname));
      parts.push(`${pname} (inline)`);
      b.link({ memberId: arn, groupId: inline(arn, ip)!, kind: 'policy', source });
    }
    const rating = maxPrivilege(ratings, { privilege: 'low', reason: 'group with no policies' });
    groupByName.set(name, arn);
    b.entitlement(
      {
        id: arn,
        name: `group ${name}`,
        application: app(arn),
        privilege: rating.privilege,
        privilegeReason: ratings.length ? `via ${rating.reason}` : rating.reason,
        description: parts.length ? `IAM group with policies: ${parts.join(', ')}` : 'IAM group without policies',
      },
      file.name,
    );
  }
  const assign = (identityId: string, entitlementId: string | undefined) => {
    if (entitlementId) b.assign({ identityId, entitlementId, source, usageKnown: false });
  };
  for (const [i, u] of asArray(d['UserDetailList']).entries()) {
    log.row();
    if (!isObject(u) || !str(u['Arn']) || !str(u['UserName'])) {
      log.reject(i + 1, `UserDetailList[${i}] lacks Arn or UserName`, 'UserDetailList');
      continue;
    }
    const arn = str(u['Arn'])!;
    const name = str(u['UserName'])!;
    const cls = classifyAwsUser({ name });
    b.identity(
      {
        id: arn,
        displayName: name,
        login: name,
        type: cls.type,
        typeReason: cls.reason,
        status: 'active',
        createdAt: toInstant(u['CreateDate']),
      },
      file.name,
    );
    for (const gname of strings(u['GroupList'])) {
      let gid = groupByName.get(gname);
      if (!gid) {
        gid = `arn:aws:iam::${accountOf(arn)}:group/${gname}`;
        const rating = privilegeFromName(gname);
        b.entitlement(
          {
            id: gid,
            name: `group ${gname}`,
            application: app(arn),
            privilege: rating.privilege,
            privilegeReason: `${rating.reason} (group not in this file)`,
          },
          file.name,
        );
        groupByName.set(gname, gid);
      }
      assign(arn, gid);
    }
    for (const ap of asArray(u['AttachedManagedPolicies'])) assign(arn, attachedPolicy(ap));
    for (const ip of asArray(u['UserPolicyList'])) assign(arn, inline(arn, ip));
  }
  for (const [i, r] of asArray(d['RoleDetailList']).entries()) {
    log.row();
    if (!isObject(r) || !str(r['Arn']) || !str(r['RoleName'])) {
      log.reject(i + 1, `RoleDetailList[${i}] lacks Arn or RoleName`, 'RoleDetailList');
      continue;
    }
    const arn = str(r['Arn'])!;
    const name = str(r['RoleName'])!;
    const services: string[] = [];
    const federated: string[] = [];
    const trustDoc = policyDocument(r['AssumeRolePolicyDocument']);
    for (const s of isObject(trustDoc) ? asArray(trustDoc['Statement']).filter(isObject) : []) {
      const principal = s['Principal'];
      if (isObject(principal)) {
        services.push(...strings(principal['Service']));
        federated.push(...strings(principal['Federated']));
      }
    }
    let cls = classifyAwsRole(services, name);
    // Roles behind SAML / IAM Identity Center are how people sign in; still a role, but say so.
    if (!services.length && federated.length)
      cls = {
        type: 'service',
        reason: `AWS IAM role assumed through federation (${federated.map((f) => f.split(':').pop()).join(', ')}): people sign in through it; review who can assume it`,
      };
    const lastUsed = isObject(r['RoleLastUsed']) ? toInstant(r['RoleLastUsed']['LastUsedDate']) : undefined;
    b.identity(
      {
        id: arn,
        displayName: `role ${name}`,
        login: name,
        type: cls.type,
        typeReason: cls.reason,
        status: 'active',
        createdAt: toInstant(r['CreateDate']),
        lastLoginAt: lastUsed,
      },
      file.name,
    );
    for (const ap of asArray(r['AttachedManagedPolicies'])) assign(arn, attachedPolicy(ap));
    for (const ip of asArray(r['RolePolicyList'])) assign(arn, inline(arn, ip));
  }
}

export const awsAuthorizationDetails = defineFormat({
  id: 'aws-authorization-details',
  label: 'AWS get-account-authorization-details',
  formatVersion: '2010-05-08 (IAM API)',
  parserVersion: '1.0.0',
  detect(file) {
    const d = unwrapResponse(file.json);
    if (!isObject(d)) return null;
    const keys = AUTH_KEYS.filter((k) => Array.isArray(d[k]));
    if (keys.length < 2 && !(keys.length === 1 && keys[0] !== 'Policies')) return null;
    return `JSON object with ${keys.join(', ')}: output of aws iam get-account-authorization-details`;
  },
  parseFile: (file, b, log) => parseAuthorizationDetails(file, b, log),
});
