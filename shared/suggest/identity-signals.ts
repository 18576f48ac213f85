// Identity-level evidence: last sign-in (dormant account), password login without MFA, a password that never
// expires, root and break-glass accounts (always reviewed, critical), duplicate accounts, never-activated accounts.
import type { LifecycleModel } from './lifecycle';
import type { NhiModel } from './nhi';
import type { Policy } from './policy';
import type { SnapshotIndex } from './snapshot-index';
import { SIGNAL_IDS } from './signal-ids';
import type { Signal } from './types';
import { daysText, flat, round } from './helpers';

export interface IdentityModel {
  /** The identity-level signals of one identity (empty: nothing to say at identity level). */
  signals: (i: number) => Signal[];
}

export function buildIdentitySignals(
  ix: SnapshotIndex,
  policy: Policy,
  lifecycle: LifecycleModel,
  nhi: NhiModel,
  duplicates: Map<number, Signal>,
): IdentityModel {
  const { identities, ms, daysSince, data, identIndex } = ix;
  const p = policy.identity;
  // Keys of each identity, for the special accounts' evidence.
  const keysOf = new Map<number, { active: number; lastUsed: number }>();
  for (const c of data.credentials) {
    const i = identIndex.get(c.identityId);
    if (i === undefined || !c.active || /password|login/i.test(c.kind)) continue;
    const k = keysOf.get(i) ?? { active: 0, lastUsed: Number.NaN };
    k.active++;
    const u = ms(c.lastUsedAt);
    if (u === u && !(u <= k.lastUsed)) k.lastUsed = u;
    keysOf.set(i, k);
  }
  const dateText = (t: number) => new Date(t).toISOString().slice(0, 10);

  function signals(i: number): Signal[] {
    const out: Signal[] = [];
    if (!p.enabled) return out;
    const x = identities[i]!;
    const login = ms(x.lastLoginAt);
    const pw = ms(x.passwordLastUsedAt);
    const last = login === login && pw === pw ? Math.max(login, pw) : login === login ? login : pw;
    const canLogIn = x.passwordLogin === true || nhi.hasActivePassword[i] === 1;
    if (x.specialAccount) {
      const keys = keysOf.get(i);
      const parts = [
        last === last ? `last sign-in ${dateText(last)} (${daysText(daysSince(last))} ago)` : 'no sign-in date',
        x.mfa === true ? 'MFA on' : x.mfa === false ? 'MFA off' : 'MFA not reported',
        keys
          ? `${keys.active} active ${keys.active === 1 ? 'key' : 'keys'}${keys.lastUsed === keys.lastUsed ? `, last used ${dateText(keys.lastUsed)}` : ', never used'}`
          : 'no active keys',
      ];
      out.push({
        id: SIGNAL_IDS.specialAccount,
        message: flat(`${x.specialAccount} account: always reviewed as a critical item; ${parts.join('; ')}`),
        value: x.specialAccount,
        threshold: null,
      });
    }
    const dup = duplicates.get(i);
    if (dup && p.duplicateAccounts) out.push(dup);
    if (x.status === 'active' && last === last) {
      const d = daysSince(last);
      const what = pw === pw && (login !== login || pw >= login) ? 'password sign-in' : 'sign-in';
      // A root account that nobody signs in with is as it should be: dormancy is not a finding there.
      if (d > p.dormantDays && x.specialAccount !== 'root' && x.specialAccount !== 'break-glass')
        out.push({
          id: SIGNAL_IDS.dormant,
          message: flat(`dormant account: last ${what} ${dateText(last)}, ${daysText(d)} ago; policy ${p.dormantDays} days`),
          value: d,
          threshold: p.dormantDays,
          verdict: 'disable-login',
          confidence: round(0.75 + 0.2 * Math.min(1, (d - p.dormantDays) / p.dormantDays)),
        });
      else if (d <= p.dormantDays)
        out.push({
          id: SIGNAL_IDS.dormant,
          message: flat(`last ${what} ${daysText(d)} ago, within ${p.dormantDays} days`),
          value: d,
          threshold: p.dormantDays,
          verdict: 'keep',
          confidence: 0.6,
        });
    }
    if (p.requireMfa && x.mfa === false && canLogIn && x.status === 'active')
      out.push({
        id: SIGNAL_IDS.noMfa,
        message: flat('password or console login without MFA: enrol MFA or disable the password login'),
        value: false,
        threshold: 'MFA on',
        verdict: 'disable-login',
        confidence: 0.6,
      });
    if (p.passwordNeverExpires && x.passwordNeverExpires === true && x.status === 'active')
      out.push({
        id: SIGNAL_IDS.passwordNeverExpires,
        message: flat(`password never expires${x.type === 'human' ? ' on a personal account' : ''}: set an expiry and change it`),
        value: true,
        threshold: 'expiring password',
        verdict: 'rotate',
        confidence: 0.6,
      });
    // Suspended (locked out, suspended) and not signed in for longer than the window: left over, not a pause.
    if (x.status === 'suspended' && last === last && daysSince(last) > p.dormantDays)
      out.push({
        id: SIGNAL_IDS.lifecycle,
        message: flat(
          `${x.sourceStatus ?? 'suspended'} and no sign-in since ${dateText(last)} (${daysText(daysSince(last))}); policy ${p.dormantDays} days: a left-over account`,
        ),
        value: daysSince(last),
        threshold: p.dormantDays,
        verdict: 'disable-login',
        confidence: 0.75,
      });
    if (x.status === 'never-activated') {
      const created = ms(x.createdAt);
      const d = created === created ? daysSince(created) : Number.NaN;
      if (d === d && d > p.neverActivatedGraceDays)
        out.push({
          id: SIGNAL_IDS.lifecycle,
          message: flat(
            `never activated (${x.sourceStatus ?? x.status}), created ${daysText(d)} ago; grace ${p.neverActivatedGraceDays} days: a left-over account`,
          ),
          value: d,
          threshold: p.neverActivatedGraceDays,
          verdict: 'disable-login',
          confidence: 0.7,
        });
      else if (lifecycle.statusNote[i]) out.push(lifecycle.statusNote[i]);
    }
    return out;
  }
  return { signals };
}
