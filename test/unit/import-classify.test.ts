// Classes and privilege ratings carry their reasons; the rules behind them.
import { describe, expect, it } from 'vitest';
import { classifyAwsRole, classifyAwsUser, classifyLdapEntry, nameHint, privilegeFromName } from '../../shared/import/classify';
import { ratePolicyDocument } from '../../shared/import/formats/aws';
import { rateGcpRole } from '../../shared/import/formats/gcp';
import { rateRules } from '../../shared/import/formats/kubernetes';
import { rateAppPermission, rateEntraRole } from '../../shared/import/formats/entra';

describe('classification', () => {
  it('AWS users by sign-in method, with the reason in words', () => {
    expect(classifyAwsUser({ name: 'deploy', passwordEnabled: false, accessKeys: 1 })).toEqual({
      type: 'service',
      reason: 'AWS IAM user with access keys and no console password',
    });
    expect(classifyAwsUser({ name: 'maria', passwordEnabled: true, accessKeys: 1 })).toEqual({
      type: 'human',
      reason: 'AWS IAM user with a console password',
    });
    expect(classifyAwsUser({ name: 'jenkins-ci', passwordEnabled: true }).type).toBe('service');
    expect(classifyAwsUser({ name: 'x', root: true }).reason).toMatch(/root user/);
    expect(classifyAwsRole(['lambda.amazonaws.com'], 'fn')).toEqual({
      type: 'workload',
      reason: 'AWS IAM role assumed by lambda.amazonaws.com',
    });
    expect(classifyAwsRole([], 'Admin').type).toBe('service');
  });

  it('directory entries: managed service accounts, computers, SPNs, system names, people', () => {
    expect(classifyLdapEntry({ objectClasses: ['msDS-ManagedServiceAccount'], spn: false, name: 'x' }).type).toBe('service');
    expect(classifyLdapEntry({ objectClasses: ['user', 'computer'], spn: true, name: 'WS1$' }).type).toBe('workload');
    expect(classifyLdapEntry({ objectClasses: ['user'], spn: true, name: 'sql' }).type).toBe('service');
    expect(classifyLdapEntry({ objectClasses: ['posixAccount'], spn: false, name: 'nobody' })).toEqual({
      type: 'service',
      reason: 'directory account; "nobody" is a well-known system account name',
    });
    expect(classifyLdapEntry({ objectClasses: ['inetOrgPerson'], spn: false, name: 'jdoe' })).toEqual({
      type: 'human',
      reason: 'directory entry of objectClass inetorgperson',
    });
  });

  it('name hints: agents and services, and silence on ordinary names', () => {
    expect(nameHint('triage-agent')?.type).toBe('agent');
    expect(nameHint('svc_reports')?.type).toBe('service');
    expect(nameHint('Ann Lee')).toBeNull();
    expect(nameHint('Api-Ecm_Willmore')).toBeNull();
  });
});

describe('privilege', () => {
  it('AWS policy documents', () => {
    expect(ratePolicyDocument({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, 'Admin')).toEqual({
      privilege: 'critical',
      reason: 'policy "Admin" allows * on *',
    });
    expect(
      ratePolicyDocument({ Statement: { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' } }, 'Read').privilege,
    ).toBe('low');
    expect(
      ratePolicyDocument({ Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*' }] }, 'W').privilege,
    ).toBe('medium');
    expect(ratePolicyDocument({ Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] }, 'P').reason).toMatch(
      /privilege escalation/,
    );
    expect(ratePolicyDocument({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }, 'ReadOnlyAccess').privilege).toBe('low');
    expect(
      ratePolicyDocument(encodeURIComponent(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })), 'Encoded')
        .privilege,
    ).toBe('critical');
    expect(ratePolicyDocument({ Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] }, 'N').privilege).toBe('critical');
  });

  it('Kubernetes rules, GCP roles, Entra roles and permissions, names', () => {
    expect(rateRules([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], 'super').privilege).toBe('critical');
    expect(rateRules([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], 'r').privilege).toBe('high');
    expect(rateRules([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }], 'r').privilege).toBe('low');
    expect(rateRules([{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'] }], 'r').privilege).toBe('critical');
    expect(rateRules([], 'view').privilege).toBe('low');
    expect(rateGcpRole('roles/owner').privilege).toBe('critical');
    expect(rateGcpRole('roles/storage.objectViewer').privilege).toBe('low');
    expect(rateGcpRole('roles/iam.serviceAccountTokenCreator').privilege).toBe('critical');
    expect(rateEntraRole('Global Administrator').privilege).toBe('critical');
    expect(rateEntraRole('Global Reader').privilege).toBe('low');
    expect(rateAppPermission('User.Read.All').privilege).toBe('low');
    expect(rateAppPermission('Files.ReadWrite.All').privilege).toBe('high');
    expect(privilegeFromName('Domain Admins').privilege).toBe('critical');
    expect(privilegeFromName('Marketing').privilege).toBe('medium');
  });
});
