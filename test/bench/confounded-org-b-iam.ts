// Confounded organisation B's IAM accounts outside Okta (see confounded-org-b.ts): per AWS account a root user,
// and for production and security accounts a break-glass user and legacy console users (some without MFA, unused
// for years) from the credential report; CI users with access keys (stale, unused or fresh, some ownerless); and
// Kubernetes workloads (some ownerless). Labels as in confounded-truth.ts.
import { assignmentItemId, credentialItemId, identityItemId, type Identity, type Privilege } from '../../shared/model';
import type { NameBook } from './confounded-names';
import type { OrgBuilder, Prng } from './confounded-truth';

export interface IamAccountsContext {
  b: OrgBuilder;
  rng: Prng;
  names: NameBook;
  /** Adds the entitlement once and returns its id. */
  ent: (application: string, name: string, privilege: Privilege, id?: string) => string;
  awsAccounts: readonly string[];
  /** Owner of the break-glass users. */
  secHead: { identity: Identity };
  /** Owners of the CI users and workloads. */
  engManagers: string[];
  nCi: number;
  nWorkload: number;
}

/** Adds the AWS credential report's users and the Kubernetes workloads, drawing from `rng` in a fixed order. */
export function addIamAccounts({ b, rng, names, ent, awsAccounts, secHead, engManagers, nCi, nWorkload }: IamAccountsContext): void {
  const pick = <T>(xs: readonly T[]) => rng.one(xs);
  const pad = (n: number) => String(n).padStart(6, '0');
  for (const acct of awsAccounts) {
    const rootUsed = rng.chance(0.35);
    const root: Identity = {
      id: `aws-root:${acct}`,
      displayName: `<root_account> (${acct})`,
      type: 'system',
      status: 'active',
      specialAccount: 'root',
      passwordLogin: rootUsed || rng.chance(0.5),
      mfa: rng.chance(0.8),
      createdAt: b.ago(rng.between(600, 2500)),
      ...(rootUsed ? { passwordLastUsedAt: b.ago(rng.between(3, 170)), lastLoginAt: b.ago(rng.between(3, 170)) } : {}),
      sources: ['aws-credential-report.csv'],
    };
    b.identities.push(root);
    b.scope(identityItemId(root.id), 'root-account');
    if (acct.startsWith('prod-') || acct === 'security') {
      const bg: Identity = {
        id: `aws-iam:${acct}:breakglass`,
        displayName: `breakglass (${acct})`,
        type: 'human',
        status: 'active',
        specialAccount: 'break-glass',
        passwordLogin: true,
        mfa: true,
        createdAt: b.ago(rng.between(700, 2000)),
        passwordLastUsedAt: b.ago(rng.between(200, 600)),
        lastLoginAt: b.ago(rng.between(200, 600)),
        ownerId: secHead.identity.id,
        sources: ['aws-credential-report.csv'],
      };
      b.identities.push(bg);
      const adm = ent('AWS IAM', `${acct} AdministratorAccess (IAM user policy)`, 'critical', `aws-iam:${acct}:administratoraccess`);
      b.assignments.push({
        identityId: bg.id,
        entitlementId: adm,
        source: 'aws-credential-report.csv',
        grantedAt: bg.createdAt,
        usageKnown: false,
      });
      b.scope(identityItemId(bg.id), 'break-glass-account', ['revoke', 'disable-login']);
      b.scope(assignmentItemId(bg.id, adm), 'break-glass-account', ['revoke']);
      for (let k = 0; k < 3; k++) {
        const n = names.next(pick);
        const bad = k === 0 || rng.chance(0.2);
        const last = bad ? rng.between(700, 1500) : rng.between(0, 25);
        const u: Identity = {
          id: `aws-iam:${acct}:${n.local}`,
          displayName: n.local,
          type: 'human',
          status: 'active',
          passwordLogin: true,
          mfa: !bad,
          createdAt: b.ago(last + rng.between(30, 900)),
          passwordLastUsedAt: b.ago(last),
          lastLoginAt: b.ago(last),
          sources: ['aws-credential-report.csv'],
        };
        b.identities.push(u);
        const ro = ent('AWS IAM', `${acct} ReadOnly (IAM user policy)`, 'low', `aws-iam:${acct}:readonly`);
        b.assignments.push({
          identityId: u.id,
          entitlementId: ro,
          source: 'aws-credential-report.csv',
          grantedAt: u.createdAt,
          usageKnown: false,
        });
        if (bad) {
          b.anomaly(identityItemId(u.id), 'console-no-mfa');
          b.covered(assignmentItemId(u.id, ro), 'console-no-mfa');
        }
      }
    }
  }
  const ciPolicies = [
    ent('AWS IAM', 'ci-deploy-policy', 'high'),
    ent('AWS IAM', 'artifact-publish-policy', 'medium'),
    ent('AWS IAM', 'terraform-plan-policy', 'medium'),
  ];
  for (let k = 1; k <= nCi; k++) {
    const name = `ci-${pick(['deployer', 'publisher', 'terraform', 'backup', 'etl'])}-${k}`;
    const u: Identity = {
      id: `aws-iam:ci:${name}`,
      displayName: name,
      type: 'service',
      status: 'active',
      passwordLogin: false,
      createdAt: b.ago(rng.between(100, 2000)),
      sources: ['aws-credential-report.csv'],
      ownerId: pick(engManagers),
    };
    b.identities.push(u);
    b.assignments.push({
      identityId: u.id,
      entitlementId: pick(ciPolicies),
      source: 'aws-access-advisor.json',
      grantedAt: u.createdAt,
      lastUsedAt: b.ago(rng.between(0, 3)),
    });
    const keyId = `AKIA${pad(k)}CI`;
    const r = rng.next();
    if (r < 0.1) {
      delete u.ownerId;
      b.anomaly(identityItemId(u.id), 'ownerless-nhi');
    } else b.normal(identityItemId(u.id), 'nhi-no-interactive-login');
    const k2 = rng.next();
    if (k2 < 0.12) {
      const age = rng.between(200, 1200);
      b.credentials.push({
        identityId: u.id,
        credentialId: keyId,
        kind: 'access-key',
        createdAt: b.ago(age),
        lastRotatedAt: b.ago(age),
        lastUsedAt: b.ago(rng.between(0, 2)),
        active: true,
        source: 'aws-credential-report.csv',
      });
      b.anomaly(credentialItemId(u.id, keyId), 'stale-key');
    } else if (k2 < 0.2) {
      const age = rng.between(30, 600);
      b.credentials.push({
        identityId: u.id,
        credentialId: keyId,
        kind: 'access-key',
        createdAt: b.ago(age),
        lastRotatedAt: b.ago(age),
        lastUsedAt: b.ago(Math.max(200, age - rng.between(0, 30))),
        active: true,
        source: 'aws-credential-report.csv',
      });
      b.anomaly(credentialItemId(u.id, keyId), 'unused-key');
    } else {
      const age = rng.between(3, 80);
      b.credentials.push({
        identityId: u.id,
        credentialId: keyId,
        kind: 'access-key',
        createdAt: b.ago(age),
        lastRotatedAt: b.ago(age),
        lastUsedAt: b.ago(rng.between(0, 2)),
        active: true,
        source: 'aws-credential-report.csv',
      });
    }
  }
  const clusters = ['prod-eu', 'prod-us', 'staging'];
  for (let k = 1; k <= nWorkload; k++) {
    const c = pick(clusters);
    const ns = `team-${1 + (k % Math.max(1, engManagers.length))}`;
    const w: Identity = {
      id: `k8s:${c}:${ns}/sa-${k}`,
      displayName: `${ns}/sa-${k}`,
      type: 'workload',
      status: 'active',
      createdAt: b.ago(rng.between(10, 900)),
      sources: ['k8s-rbac.yaml'],
      ownerId: pick(engManagers),
    };
    b.identities.push(w);
    const role = ent('Kubernetes', `${c} ${ns} edit`, 'medium', `k8s:${c}:role/${ns}-edit`);
    b.assignments.push({ identityId: w.id, entitlementId: role, source: 'k8s-rbac.yaml', grantedAt: w.createdAt, usageKnown: false });
    if (rng.chance(0.08)) {
      delete w.ownerId;
      b.anomaly(identityItemId(w.id), 'ownerless-nhi');
    } else b.normal(identityItemId(w.id), 'nhi-no-interactive-login');
  }
}
