// Identity classes (human, service, workload, agent, system) and entitlement privilege, each with its reason in words.
// Parsers call the source-specific helpers; a person can reclassify later (the app records that), so the
// reason must say what the class rests on.
import type { IdentityType, Privilege } from '../model';

export interface Classification {
  type: IdentityType;
  reason: string;
}

export interface PrivilegeRating {
  privilege: Privilege;
  reason: string;
}

const AGENT_WORDS = /(^|[^a-z])(ai|llm|gpt|copilot|assistant|agent|chatbot)([^a-z]|$)/i;
const SERVICE_WORDS =
  /(^|[^a-z])(svc|service|srv|bot|robot|automation|batch|daemon|system|ci|cd|deploy|deployer|jenkins|terraform|ansible|github|gitlab|pipeline|backup|monitor|monitoring|scanner|noreply|no-reply)([^a-z]|$)/i;
/** Well-known Unix / database system accounts (exact login). */
const SYSTEM_ACCOUNTS = new Set([
  'root',
  'bin',
  'daemon',
  'sys',
  'adm',
  'lp',
  'uucp',
  'nuucp',
  'nobody',
  'noaccess',
  'nobody4',
  'mail',
  'news',
  'games',
  'ftp',
  'www',
  'www-data',
  'postgres',
  'mysql',
  'oracle',
  'sshd',
  'operator',
  'halt',
  'shutdown',
  'tcpdump',
  'listen',
  'smmsp',
  'gdm',
  'webservd',
  'sgiweb',
  'lpd',
  'diag',
  'tutor',
  'demos',
  'outofbox',
  'dbadmin',
  'sysadm',
  'ezsetup',
  'rfindd',
  '4dgifts',
  'cmwlogin',
]);

/** A hint from a name alone ("svc-reports", "ci-deployer", "triage-agent"); null when the name says nothing. */
export function nameHint(name: string | undefined): Classification | null {
  if (!name) return null;
  if (SYSTEM_ACCOUNTS.has(name.toLowerCase())) return { type: 'service', reason: `"${name}" is a well-known system account name` };
  if (AGENT_WORDS.test(name)) return { type: 'agent', reason: `name "${name}" suggests an AI agent` };
  if (SERVICE_WORDS.test(name)) return { type: 'service', reason: `name "${name}" suggests a service account` };
  return null;
}

function withName(base: Classification, name: string | undefined): Classification {
  const hint = nameHint(name);
  if (hint && hint.type !== base.type && base.type === 'human') return { type: hint.type, reason: `${base.reason}; ${hint.reason}` };
  return base;
}

export function classifyAwsUser(u: { name: string; root?: boolean; passwordEnabled?: boolean; accessKeys?: number }): Classification {
  if (u.root)
    return {
      type: 'system',
      reason: 'AWS account root user (<root_account>): the account itself, not a person; always reviewed as a critical item',
    };
  if (u.passwordEnabled === false && (u.accessKeys ?? 0) > 0)
    return withName({ type: 'service', reason: 'AWS IAM user with access keys and no console password' }, u.name);
  if (u.passwordEnabled) return withName({ type: 'human', reason: 'AWS IAM user with a console password' }, u.name);
  const hint = nameHint(u.name);
  if (hint) return { type: hint.type, reason: `AWS IAM user; ${hint.reason}` };
  return {
    type: 'human',
    reason:
      u.passwordEnabled === false
        ? 'AWS IAM user without console password or access keys (human by default)'
        : 'AWS IAM user (no sign-in data in this file; human by default)',
  };
}

export function classifyAwsRole(trustedServices: string[], name: string): Classification {
  if (trustedServices.length) return { type: 'workload', reason: `AWS IAM role assumed by ${trustedServices.join(', ')}` };
  return { type: 'service', reason: `AWS IAM role "${name}" (roles are non-human)` };
}

export function classifyLdapEntry(e: { objectClasses: string[]; spn: boolean; name: string }): Classification {
  const oc = new Set(e.objectClasses.map((c) => c.toLowerCase()));
  if (oc.has('msds-groupmanagedserviceaccount') || oc.has('msds-managedserviceaccount') || oc.has('msds-delegatedmanagedserviceaccount')) {
    return { type: 'service', reason: 'Active Directory managed service account (msDS-*ServiceAccount objectClass)' };
  }
  if (oc.has('computer')) return { type: 'workload', reason: 'Active Directory computer account' };
  if (e.spn) return { type: 'service', reason: 'directory account with a servicePrincipalName (Kerberos service)' };
  const hint = nameHint(e.name);
  if (hint) return { type: hint.type, reason: `directory account; ${hint.reason}` };
  const personLike = ['inetorgperson', 'person', 'organizationalperson', 'user', 'openldapperson'].find((c) => oc.has(c));
  if (personLike) return { type: 'human', reason: `directory entry of objectClass ${personLike}` };
  return { type: 'human', reason: `directory account (objectClass ${e.objectClasses.join(', ') || 'unknown'}; human by default)` };
}

/** A subject that stands for many principals (a group, a whole domain, the public) is not a person. */
export function classifyPrincipalSet(kind: 'group' | 'domain' | 'public', sourceWords: string): Classification {
  const what =
    kind === 'group'
      ? 'a group: it stands for its members, not one person'
      : kind === 'domain'
        ? 'a whole domain: every account in it, not one person'
        : 'the public or every signed-in account, not one person';
  return { type: 'system', reason: `${sourceWords}; ${what}` };
}

/** Kubernetes built-in `system:` users and groups: the API server's own principals, never a person. */
export function classifyKubernetesSystem(kind: 'User' | 'Group', name: string): Classification {
  if (name === 'system:anonymous')
    return { type: 'system', reason: 'Kubernetes system:anonymous: every request without credentials, not a person' };
  if (name === 'system:unauthenticated')
    return { type: 'system', reason: 'Kubernetes system:unauthenticated: the group of every anonymous request, not a person' };
  if (name === 'system:authenticated')
    return { type: 'system', reason: 'Kubernetes system:authenticated: the group of every authenticated caller, not a person' };
  if (name.startsWith('system:serviceaccounts')) return { type: 'service', reason: `Kubernetes built-in group ${name}: service accounts` };
  if (kind === 'Group')
    return { type: 'system', reason: `Kubernetes built-in group ${name} (membership decided by the authenticator), not a person` };
  return { type: 'system', reason: `Kubernetes system user ${name} (a control-plane or node identity), not a person` };
}

export function classifyByName(sourceWords: string, name: string | undefined): Classification {
  const hint = nameHint(name);
  if (hint) return { type: hint.type, reason: `${sourceWords}; ${hint.reason}` };
  return { type: 'human', reason: sourceWords };
}

const RANK: Record<Privilege, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function maxPrivilege(ratings: PrivilegeRating[], fallback: PrivilegeRating): PrivilegeRating {
  let best: PrivilegeRating | null = null;
  for (const r of ratings) if (!best || RANK[r.privilege] > RANK[best.privilege]) best = r;
  return best ?? fallback;
}

export function privilegeRank(p: Privilege): number {
  return RANK[p];
}

/** Privilege from a group / role name alone, for sources that carry no permission detail. */
export function privilegeFromName(name: string): PrivilegeRating {
  const n = name.toLowerCase();
  if (
    /(^|[^a-z])(domain admins|enterprise admins|schema admins|global administrator|cluster-admin|system:masters|roles\/owner|owner|root|superuser|super admin|super_admin|administratoraccess|privileged role administrator)([^a-z]|$)/.test(
      n,
    )
  ) {
    return { privilege: 'critical', reason: `name "${name}" denotes full administrative control` };
  }
  if (/(admin|administrator|wheel|sudo|privileged|roles\/editor|full[ _-]?access|manager|operator)/.test(n))
    return { privilege: 'high', reason: `name "${name}" denotes administrative or write access` };
  if (/(read|viewer|view|reader|readonly|read-only|browse|guest|everyone|all staff|users|staff|employees|basic|discovery)/.test(n))
    return { privilege: 'low', reason: `name "${name}" denotes read-only or baseline access` };
  return { privilege: 'medium', reason: `no privilege detail in the source; "${name}" rated medium by default` };
}
