// Kubernetes RBAC: RoleBinding / ClusterRoleBinding objects (and Roles, ClusterRoles, ServiceAccounts) as a
// `kind: List`, a multi-document YAML file, or the JSON of `kubectl get ... -o json`.
// Subjects become identities, roles (scoped to the binding's namespace) entitlements, bindings assignments.
import { parseAllDocuments } from 'yaml';
import type { Identity, Privilege } from '../../model';
import { classifyKubernetesSystem, classifyPrincipalSet, nameHint } from '../classify';
import { baseName } from '../decode';
import type { DecodedFile } from '../types';
import { asArray, defineFormat, isObject, str, strings, toInstant, type FileLog, type JsonObject, type SnapshotBuilder } from './common';

const RBAC_KINDS = new Set(['RoleBinding', 'ClusterRoleBinding', 'Role', 'ClusterRole', 'ServiceAccount']);

/** Objects of the file with the document line they start on (1 for JSON). */
function objectsOf(file: DecodedFile, log?: FileLog): { obj: JsonObject; line: number }[] {
  const out: { obj: JsonObject; line: number }[] = [];
  const push = (v: unknown, line: number) => {
    if (!isObject(v)) return;
    if (v['kind'] === 'List' || (Array.isArray(v['items']) && typeof v['kind'] === 'string' && v['kind'].endsWith('List'))) {
      for (const item of asArray(v['items'])) if (isObject(item)) out.push({ obj: item, line });
    } else out.push({ obj: v, line });
  };
  if (file.json !== undefined) {
    if (Array.isArray(file.json)) file.json.forEach((v) => push(v, 1));
    else push(file.json, 1);
    return out;
  }
  const lineStarts: number[] = [];
  const docs = parseAllDocuments(file.text, { prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const lineOf = (offset: number) => {
    if (!lineStarts.length) {
      lineStarts.push(0);
      for (let i = 0; i < file.text.length; i++) if (file.text.charCodeAt(i) === 10) lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  for (const doc of list) {
    const start = doc.range?.[0] ?? 0;
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      log?.row();
      log?.reject(lineOf(e.pos?.[0] ?? start), `YAML syntax: ${e.message.split('\n')[0]}`);
      continue;
    }
    push(doc.toJS({ maxAliasCount: 100 }), lineOf(start));
  }
  return out;
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

export function rateRules(rules: unknown[], name: string): { privilege: Privilege; reason: string } {
  if (name === 'cluster-admin') return { privilege: 'critical', reason: 'cluster-admin: every verb on every resource' };
  let best: { privilege: Privilege; reason: string } | null = null;
  const rank = { low: 0, medium: 1, high: 2, critical: 3 } as const;
  const consider = (privilege: Privilege, reason: string) => {
    if (!best || rank[privilege] > rank[best.privilege]) best = { privilege, reason };
  };
  for (const r of rules.filter(isObject)) {
    const verbs = strings(r['verbs']).map((v) => v.toLowerCase());
    const resources = strings(r['resources']).map((v) => v.toLowerCase());
    const groups = strings(r['apiGroups']);
    const all = verbs.includes('*');
    if (all && resources.includes('*') && (groups.includes('*') || groups.length === 0))
      consider('critical', 'allows every verb on every resource (*)');
    else if (verbs.some((v) => v === 'escalate' || v === 'bind' || v === 'impersonate'))
      consider(
        'critical',
        `allows ${verbs.filter((v) => ['escalate', 'bind', 'impersonate'].includes(v)).join(', ')} (privilege escalation)`,
      );
    else if (resources.some((x) => x === 'secrets' || x === '*') && (all || verbs.some((v) => READ_VERBS.has(v))))
      consider('high', `can read ${resources.includes('secrets') ? 'secrets' : 'every resource including secrets'}`);
    else if (
      resources.some((x) =>
        [
          'pods/exec',
          'pods/attach',
          'nodes/proxy',
          'serviceaccounts/token',
          'clusterroles',
          'roles',
          'clusterrolebindings',
          'rolebindings',
        ].includes(x),
      ) &&
      (all || verbs.some((v) => !READ_VERBS.has(v)))
    )
      consider('high', `can ${verbs.join('/')} ${resources.join(', ')}`);
    else if (all || verbs.some((v) => !READ_VERBS.has(v)))
      consider('medium', `can ${verbs.join('/')} ${resources.join(', ') || strings(r['nonResourceURLs']).join(', ')}`);
    else consider('low', `read-only (${verbs.join('/')}) on ${resources.join(', ') || strings(r['nonResourceURLs']).join(', ')}`);
  }
  if (best) return best;
  if (name === 'admin') return { privilege: 'high', reason: 'built-in admin role: read/write in a namespace, including roles' };
  if (name === 'edit') return { privilege: 'high', reason: 'built-in edit role: read/write most objects, including secrets' };
  if (name === 'view') return { privilege: 'low', reason: 'built-in view role: read-only, no secrets' };
  return { privilege: 'medium', reason: 'rules not in this file (or aggregated); rated medium by default' };
}

function subjectIdentity(s: JsonObject, bindingNs: string | undefined): Identity | string {
  const kind = str(s['kind']);
  const name = str(s['name']);
  if (!kind || !name) return 'subject lacks kind or name';
  if (kind === 'ServiceAccount') {
    const ns = str(s['namespace']) ?? bindingNs ?? 'default';
    return {
      id: `k8s:ServiceAccount/${ns}/${name}`,
      displayName: `${ns}/${name}`,
      login: `system:serviceaccount:${ns}:${name}`,
      type: 'service',
      typeReason: 'Kubernetes ServiceAccount',
      status: 'active',
    };
  }
  if (kind === 'User') {
    if (name.startsWith('system:serviceaccount:')) {
      const [, , ns = '', sa = ''] = name.split(':');
      return {
        id: `k8s:ServiceAccount/${ns}/${sa}`,
        displayName: `${ns}/${sa}`,
        login: name,
        type: 'service',
        typeReason: 'Kubernetes ServiceAccount (named as a User subject)',
        status: 'active',
      };
    }
    if (name.startsWith('system:')) {
      const cls = classifyKubernetesSystem('User', name);
      return {
        id: `k8s:User/${name}`,
        displayName: name,
        login: name,
        type: cls.type,
        typeReason: cls.reason,
        status: 'active',
        principal: name === 'system:anonymous' ? 'public' : undefined,
      };
    }
    const hint = nameHint(name);
    return {
      id: `k8s:User/${name}`,
      displayName: name,
      login: name,
      email: name.includes('@') ? name : undefined,
      type: hint?.type ?? 'human',
      typeReason: hint ? `Kubernetes User subject; ${hint.reason}` : 'Kubernetes User subject',
      status: 'active',
    };
  }
  if (kind === 'Group') {
    const principal = name === 'system:unauthenticated' || name === 'system:authenticated' ? 'public' : 'group';
    const cls = name.startsWith('system:')
      ? classifyKubernetesSystem('Group', name)
      : classifyPrincipalSet('group', 'Kubernetes Group subject (membership is decided by the authenticator)');
    return { id: `k8s:Group/${name}`, displayName: `group ${name}`, type: cls.type, typeReason: cls.reason, status: 'active', principal };
  }
  return `unknown subject kind "${kind}" (expected User, Group or ServiceAccount)`;
}

function parseFile(file: DecodedFile, b: SnapshotBuilder, log: FileLog): void {
  const objects = objectsOf(file, log);
  const source = baseName(file.name);
  const rbac = objects.filter((o) => typeof o.obj['kind'] === 'string' && RBAC_KINDS.has(o.obj['kind'] as string));
  if (!rbac.length && log.outcome.rowsRejected === 0) {
    log.fatal('no Kubernetes RBAC objects found (expected RoleBinding, ClusterRoleBinding, Role, ClusterRole or ServiceAccount)');
    return;
  }
  const roleRules = new Map<string, unknown[]>();
  const clusterRoleLabels = new Map<string, Record<string, unknown>>();
  const aggregates = new Map<string, Record<string, unknown>[]>();
  for (const { obj } of rbac) {
    if (obj['kind'] !== 'Role' && obj['kind'] !== 'ClusterRole') continue;
    const md = isObject(obj['metadata']) ? obj['metadata'] : {};
    if (obj['kind'] === 'ClusterRole' && str(md['name'])) {
      clusterRoleLabels.set(str(md['name'])!, isObject(md['labels']) ? md['labels'] : {});
      const agg = isObject(obj['aggregationRule']) ? obj['aggregationRule'] : undefined;
      const selectors = agg
        ? asArray(agg['clusterRoleSelectors'])
            .filter(isObject)
            .map((x) => (isObject(x['matchLabels']) ? x['matchLabels'] : {}))
        : [];
      if (selectors.length) aggregates.set(str(md['name'])!, selectors);
    }
    const key = obj['kind'] === 'Role' ? `Role/${str(md['namespace']) ?? 'default'}/${str(md['name'])}` : `ClusterRole/${str(md['name'])}`;
    roleRules.set(key, asArray(obj['rules']));
  }
  const scopes = new Map<string, Set<string | undefined>>();
  const entitlement = (roleKind: string, roleName: string, ns: string | undefined): string => {
    const scope = ns ?? 'cluster';
    const id = `k8s:${scope}:${roleKind}/${roleName}`;
    if (roleKind === 'ClusterRole') {
      if (!scopes.has(roleName)) scopes.set(roleName, new Set());
      scopes.get(roleName)!.add(ns);
    }
    if (!b.hasEntitlement(id)) {
      const rules = roleRules.get(roleKind === 'Role' ? `Role/${ns ?? 'default'}/${roleName}` : `ClusterRole/${roleName}`) ?? [];
      const rating = rateRules(rules, roleName);
      b.entitlement(
        {
          id,
          name: `${roleKind} ${roleName}${ns ? ` in namespace ${ns}` : ''}`,
          application: 'Kubernetes RBAC',
          privilege: rating.privilege,
          privilegeReason: rating.reason,
        },
        file.name,
      );
    }
    return id;
  };
  const implicit: { group: string; namespace: string | undefined; entitlementId: string; grantedAt: string | undefined }[] = [];
  for (const { obj, line } of rbac) {
    log.row();
    const kind = obj['kind'] as string;
    const md = isObject(obj['metadata']) ? obj['metadata'] : {};
    const name = str(md['name']);
    const ns = str(md['namespace']);
    if (!name) {
      log.reject(line, `${kind} without metadata.name`, 'metadata.name');
      continue;
    }
    if (kind === 'Role') entitlement('Role', name, ns ?? 'default');
    else if (kind === 'ClusterRole') entitlement('ClusterRole', name, undefined);
    else if (kind === 'ServiceAccount') {
      const nsx = ns ?? 'default';
      b.identity(
        {
          id: `k8s:ServiceAccount/${nsx}/${name}`,
          displayName: `${nsx}/${name}`,
          login: `system:serviceaccount:${nsx}:${name}`,
          type: 'service',
          typeReason: 'Kubernetes ServiceAccount',
          status: 'active',
          createdAt: toInstant(md['creationTimestamp']),
        },
        file.name,
      );
    } else {
      const ref = isObject(obj['roleRef']) ? obj['roleRef'] : undefined;
      const refKind = ref ? str(ref['kind']) : undefined;
      const refName = ref ? str(ref['name']) : undefined;
      if (!refKind || !refName || (refKind !== 'Role' && refKind !== 'ClusterRole')) {
        log.reject(line, `${kind} ${name}: roleRef must name a Role or ClusterRole`, 'roleRef');
        continue;
      }
      // A RoleBinding grants its role inside its namespace only, even when the role is a ClusterRole.
      const eid = entitlement(refKind, refName, kind === 'RoleBinding' ? (ns ?? 'default') : undefined);
      for (const s of asArray(obj['subjects'])) {
        const identity = isObject(s) ? subjectIdentity(s, ns) : 'subject is not an object';
        if (typeof identity === 'string') {
          log.note(line, `${kind} ${name}: ${identity}; subject skipped`, 'subjects');
          continue;
        }
        b.identity(identity, file.name);
        b.assign({ identityId: identity.id, entitlementId: eid, source, grantedAt: toInstant(md['creationTimestamp']), usageKnown: false });
        const saGroup = /^system:serviceaccounts(?::(.+))?$/.exec(isObject(s) && s['kind'] === 'Group' ? (str(s['name']) ?? '') : '');
        if (saGroup)
          implicit.push({ group: identity.id, namespace: saGroup[1], entitlementId: eid, grantedAt: toInstant(md['creationTimestamp']) });
      }
    }
  }
  // Aggregated ClusterRoles: holding the aggregate grants each ClusterRole its selectors match, in the same scope.
  for (const [name, selectors] of aggregates) {
    const parts = [...clusterRoleLabels].filter(
      ([other, labels]) => other !== name && selectors.some((sel) => Object.entries(sel).every(([k, v]) => labels[k] === v)),
    );
    for (const ns of scopes.get(name) ?? []) {
      for (const [other] of parts)
        b.link({
          memberId: `k8s:${ns ?? 'cluster'}:ClusterRole/${name}`,
          groupId: entitlement('ClusterRole', other, ns),
          kind: 'role',
          source,
        });
    }
  }
  // The implicit groups system:serviceaccounts[:NS] hold every ServiceAccount (of that namespace) in the file.
  for (const g of implicit) {
    for (const id of b.identityIds()) {
      if (!id.startsWith('k8s:ServiceAccount/') || (g.namespace !== undefined && !id.startsWith(`k8s:ServiceAccount/${g.namespace}/`)))
        continue;
      b.assign({
        identityId: id,
        entitlementId: g.entitlementId,
        source,
        grantedAt: g.grantedAt,
        usageKnown: false,
        path: [g.group],
        derivedFrom: [g.group],
      });
    }
  }
}

export const kubernetesRbac = defineFormat({
  id: 'kubernetes-rbac',
  label: 'Kubernetes RBAC',
  formatVersion: 'rbac.authorization.k8s.io/v1',
  parserVersion: '1.0.0',
  detect(file) {
    if (file.json !== undefined) {
      const items =
        isObject(file.json) && Array.isArray(file.json['items']) ? file.json['items'] : Array.isArray(file.json) ? file.json : [file.json];
      const kinds = new Set(
        items
          .filter(isObject)
          .map((o) => o['kind'])
          .filter((k): k is string => typeof k === 'string' && RBAC_KINDS.has(k)),
      );
      return kinds.size ? `JSON with Kubernetes objects of kind ${[...kinds].join(', ')}: Kubernetes RBAC` : null;
    }
    const head = file.text.slice(0, 65536);
    if (!/^\s*apiVersion:\s*(rbac\.authorization\.k8s\.io\/|v1\s*$)/m.test(head)) return null;
    const kinds = new Set<string>();
    for (const m of head.matchAll(/^\s*-?\s*kind:\s*(\w+)\s*$/gm)) if (RBAC_KINDS.has(m[1]!)) kinds.add(m[1]!);
    return kinds.size ? `YAML with apiVersion rbac.authorization.k8s.io and kind ${[...kinds].join(', ')}: Kubernetes RBAC` : null;
  },
  parseFile: (file, b, log) => parseFile(file, b, log),
});
