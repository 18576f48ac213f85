// How mapped cell values are understood: the words for identity types, statuses and privileges, and dates.
import type { IdentityStatus, IdentityType, Privilege } from '../model';
import { toInstant } from './formats/common';

export const TYPE_WORDS: Record<string, IdentityType> = {
  human: 'human',
  user: 'human',
  person: 'human',
  employee: 'human',
  contractor: 'human',
  member: 'human',
  guest: 'human',
  service: 'service',
  'service account': 'service',
  svc: 'service',
  system: 'service',
  technical: 'service',
  workload: 'workload',
  machine: 'workload',
  application: 'workload',
  app: 'workload',
  device: 'workload',
  agent: 'agent',
  bot: 'agent',
  ai: 'agent',
};
export const STATUS_WORDS: Record<string, IdentityStatus> = {
  active: 'active',
  enabled: 'active',
  true: 'active',
  yes: 'active',
  '1': 'active',
  staged: 'never-activated',
  provisioned: 'never-activated',
  'never-activated': 'never-activated',
  'never activated': 'never-activated',
  disabled: 'disabled',
  inactive: 'disabled',
  suspended: 'suspended',
  locked: 'suspended',
  locked_out: 'suspended',
  'locked out': 'suspended',
  false: 'disabled',
  no: 'disabled',
  '0': 'disabled',
  terminated: 'terminated',
  deleted: 'terminated',
  deprovisioned: 'terminated',
  left: 'terminated',
  leaver: 'terminated',
};
export const PRIVILEGE_WORDS: Record<string, Privilege> = {
  low: 'low',
  medium: 'medium',
  moderate: 'medium',
  high: 'high',
  critical: 'critical',
  '1': 'low',
  '2': 'medium',
  '3': 'high',
  '4': 'critical',
};

/** A date as written in spreadsheets and exports, to ISO; undefined when empty; null when not a date. */
export function readDate(text: string, order: 'dmy' | 'mdy' = 'mdy'): string | undefined | null {
  const t = text.trim();
  if (!t || /^(n\/a|never|none|-|null)$/i.test(t)) return undefined;
  const iso = toInstant(t);
  if (iso) return iso;
  const m = /^(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (m) {
    let y: number, mo: number, d: number;
    if (m[1]!.length === 4) [y, mo, d] = [+m[1]!, +m[2]!, +m[3]!];
    else if (order === 'dmy' || t.includes('.')) [d, mo, y] = [+m[1]!, +m[2]!, +m[3]!];
    else [mo, d, y] = [+m[1]!, +m[2]!, +m[3]!];
    if (y < 100) y += 2000;
    const ms = Date.UTC(y, mo - 1, d, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
    const check = new Date(ms);
    if (check.getUTCMonth() === mo - 1 && check.getUTCDate() === d) return check.toISOString();
    return null;
  }
  return null;
}
