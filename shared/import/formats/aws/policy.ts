// IAM policy documents rated by what their statements allow (escalation actions, writes, reads).
import type { Privilege } from '../../../model';
import { maxPrivilege, privilegeFromName, type PrivilegeRating } from '../../classify';
import { isObject, strings } from '../common';

interface Statement {
  effect: string;
  actions: string[];
  notActions: boolean;
  resources: string[];
}

export function policyDocument(doc: unknown): unknown {
  if (typeof doc === 'string') {
    try {
      return JSON.parse(doc.trimStart().startsWith('{') ? doc : decodeURIComponent(doc));
    } catch {
      return undefined;
    }
  }
  return doc;
}

function statements(doc: unknown): Statement[] {
  const d = policyDocument(doc);
  if (!isObject(d)) return [];
  const raw = Array.isArray(d['Statement']) ? d['Statement'] : isObject(d['Statement']) ? [d['Statement']] : [];
  return raw.filter(isObject).map((s) => ({
    effect: String(s['Effect'] ?? '').toLowerCase(),
    actions: strings(s['Action'] ?? s['NotAction']).map((a) => a.toLowerCase()),
    notActions: s['Action'] === undefined && s['NotAction'] !== undefined,
    resources: strings(s['Resource'] ?? (s['NotResource'] !== undefined ? '*' : undefined)),
  }));
}

const ESCALATION = [
  'iam:passrole',
  'iam:createaccesskey',
  'iam:createloginprofile',
  'iam:updateloginprofile',
  'iam:attachuserpolicy',
  'iam:attachrolepolicy',
  'iam:attachgrouppolicy',
  'iam:putuserpolicy',
  'iam:putrolepolicy',
  'iam:putgrouppolicy',
  'iam:createpolicyversion',
  'iam:setdefaultpolicyversion',
  'iam:updateassumerolepolicy',
  'iam:addusertogroup',
  'sts:assumerole',
];
const READ_PREFIXES = [
  'get',
  'list',
  'describe',
  'head',
  'view',
  'batchget',
  'search',
  'lookup',
  'select',
  'query',
  'scan',
  'check',
  'validate',
  'estimate',
  'preview',
  'test',
  'filter',
];

/** Privilege of an IAM policy document from its Allow statements (Deny only narrows, so it is not counted). */
export function ratePolicyDocument(doc: unknown, name: string): PrivilegeRating {
  const allows = statements(doc).filter((s) => s.effect === 'allow');
  if (!allows.length) return privilegeFromName(name);
  const ratings: PrivilegeRating[] = [];
  for (const s of allows) {
    const anyResource = s.resources.includes('*');
    if (s.notActions) {
      ratings.push({
        privilege: anyResource ? 'critical' : 'high',
        reason: `policy "${name}" allows every action except ${s.actions.join(', ')}${anyResource ? ' on *' : ''}`,
      });
      continue;
    }
    for (const a of s.actions) {
      let p: Privilege;
      let why: string;
      const [service = '', action = ''] = a.split(':');
      if ((a === '*' || a === '*:*') && anyResource) [p, why] = ['critical', 'allows * on *'];
      else if (a === '*' || a === '*:*') [p, why] = ['high', `allows every action on ${s.resources.join(', ')}`];
      else if (a === 'iam:*' && anyResource) [p, why] = ['critical', 'allows iam:* on * (can grant itself anything)'];
      else if (ESCALATION.includes(a) || (service === 'iam' && action.includes('*') && !READ_PREFIXES.some((r) => action.startsWith(r))))
        [p, why] = ['high', `allows ${a} (privilege escalation path)`];
      else if (action === '*') [p, why] = ['high', `allows every ${service} action`];
      else if (READ_PREFIXES.some((r) => action.startsWith(r))) [p, why] = ['low', `read actions such as ${a}`];
      else [p, why] = ['medium', `write actions such as ${a}`];
      ratings.push({ privilege: p, reason: `policy "${name}" ${why}` });
    }
  }
  return maxPrivilege(ratings, privilegeFromName(name));
}
