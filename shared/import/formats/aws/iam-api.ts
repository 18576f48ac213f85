// The IAM ListUsers / GetGroup / ListGroups API responses.
import { classifyAwsUser, privilegeFromName } from '../../classify';
import { baseName } from '../../decode';
import { accountOf } from './authorization-details';
import type { DecodedFile } from '../../types';
import { asArray, defineFormat, isObject, str, toInstant, unwrapResponse, type JsonObject, type SnapshotBuilder } from '../common';

function iamApiShape(body: unknown): 'users' | 'group' | 'groups' | null {
  if (!isObject(body)) return null;
  if (isObject(body['Group']) && Array.isArray(body['Users'])) return 'group';
  if (Array.isArray(body['Users']) && asArray(body['Users']).every((u) => isObject(u) && 'UserName' in u)) return 'users';
  if (Array.isArray(body['Groups']) && asArray(body['Groups']).every((g) => isObject(g) && 'GroupName' in g)) return 'groups';
  return null;
}

function iamUser(u: JsonObject, file: DecodedFile, b: SnapshotBuilder): string | undefined {
  const arn = str(u['Arn']);
  const name = str(u['UserName']);
  if (!arn || !name) return undefined;
  const cls = classifyAwsUser({ name });
  const lastUsed = toInstant(u['PasswordLastUsed']);
  b.identity(
    {
      id: arn,
      displayName: name,
      login: name,
      type: cls.type,
      typeReason: cls.reason,
      status: 'active',
      createdAt: toInstant(u['CreateDate']),
      lastLoginAt: lastUsed,
      passwordLogin: lastUsed ? true : undefined,
    },
    file.name,
  );
  return arn;
}

function iamGroup(g: JsonObject, file: DecodedFile, b: SnapshotBuilder): string | undefined {
  const arn = str(g['Arn']);
  const name = str(g['GroupName']);
  if (!arn || !name) return undefined;
  const rating = privilegeFromName(name);
  b.entitlement(
    {
      id: arn,
      name: `group ${name}`,
      application: `AWS IAM (account ${accountOf(arn)})`,
      privilege: rating.privilege,
      privilegeReason: `${rating.reason} (no policies in this file)`,
    },
    file.name,
  );
  return arn;
}

export const awsIamApi = defineFormat({
  id: 'aws-iam-api',
  label: 'AWS IAM API response (ListUsers, GetGroup, ListGroups)',
  formatVersion: '2010-05-08 (IAM API)',
  parserVersion: '1.0.0',
  detect(file) {
    const body = unwrapResponse(file.json);
    const shape = iamApiShape(body);
    const wrapped = body !== file.json ? ' (boto3 placebo recording)' : '';
    if (shape === 'group') return `JSON object with Group and Users: AWS IAM GetGroup response${wrapped}`;
    if (shape === 'users') return `JSON object with Users[] of UserName/Arn: AWS IAM ListUsers response${wrapped}`;
    if (shape === 'groups') return `JSON object with Groups[] of GroupName/Arn: AWS IAM ListGroups response${wrapped}`;
    return null;
  },
  parseFile(file, b, log) {
    const body = unwrapResponse(file.json) as JsonObject;
    const shape = iamApiShape(body);
    const source = baseName(file.name);
    let gid: string | undefined;
    if (shape === 'group') {
      log.row();
      gid = iamGroup(body['Group'] as JsonObject, file, b);
      if (!gid) log.reject(1, 'Group lacks Arn or GroupName', 'Group');
    }
    const list = shape === 'groups' ? asArray(body['Groups']) : asArray(body['Users']);
    for (const [i, item] of list.entries()) {
      log.row();
      const id = isObject(item) ? (shape === 'groups' ? iamGroup(item, file, b) : iamUser(item, file, b)) : undefined;
      if (!id) {
        log.reject(i + 1, `${shape === 'groups' ? 'Groups' : 'Users'}[${i}] lacks Arn or ${shape === 'groups' ? 'GroupName' : 'UserName'}`);
        continue;
      }
      if (gid) b.assign({ identityId: id, entitlementId: gid, source, usageKnown: false });
    }
  },
});
