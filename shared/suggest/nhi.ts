// Credentials (keys, tokens, passwords) and non-human identity hygiene: owner, password login, rotation, disuse.
// A person's password is not rotated on a schedule (NIST SP 800-63B) but a password nobody signs in with is
// disabled, and a login without MFA is named.
import type { Credential, Identity } from '../model';
import type { LifecycleModel } from './lifecycle';
import type { Policy } from './policy';
import type { SnapshotIndex } from './snapshot-index';
import { SIGNAL_IDS } from './signal-ids';
import type { Signal } from './types';
import { NON_HUMAN, daysText, round } from './helpers';

export interface NhiModel {
  credentialSignals: (c: Credential, i: number | undefined, ident: Identity | undefined) => Signal[];
  /** Owner and password-login signals of a non-human identity. */
  identitySignals: (i: number, signals: Signal[]) => void;
  /** Identity → whether it has an active password / console credential. */
  hasActivePassword: Uint8Array;
}

export function buildNhi(ix: SnapshotIndex, policy: Policy, lifecycle: LifecycleModel): NhiModel {
  const { identities, identIndex, ms, daysSince } = ix;
  const nhiPolicy = policy.nonHuman;
  const orphanPolicy = policy.orphaned;
  const idPolicy = policy.identity;
  const orphanStatuses = orphanPolicy.statuses.join('|');
  const noPasswordTypesText = nhiPolicy.noPasswordLoginTypes.join('|');
  const passwordKinds = new Set(nhiPolicy.passwordLoginKinds.map((k) => k.toLowerCase()));
  const hasActivePassword = new Uint8Array(ix.nI);
  for (const c of ix.data.credentials) {
    const i = identIndex.get(c.identityId);
    if (i !== undefined && c.active && passwordKinds.has(c.kind.toLowerCase())) hasActivePassword[i] = 1;
  }
  const mfaText = (ident: Identity | undefined) => (ident?.mfa === false ? '; MFA is off' : ident?.mfa === true ? '; MFA is on' : '');

  function credentialSignals(c: Credential, i: number | undefined, ident: Identity | undefined): Signal[] {
    const signals: Signal[] = [];
    if (orphanPolicy.enabled) {
      const why = i === undefined ? 'identity is not in the snapshot' : lifecycle.orphanReason[i];
      if (why && c.active)
        signals.push({
          id: SIGNAL_IDS.orphaned,
          message: `${why} and still has an active ${c.kind}`,
          value: ident?.status ?? null,
          threshold: orphanStatuses,
          verdict: 'revoke',
          confidence: 0.95,
        });
    }
    if (!c.active) {
      signals.push({
        id: SIGNAL_IDS.credentialInactive,
        message: `${c.kind} is inactive`,
        value: false,
        threshold: null,
        verdict: 'keep',
        confidence: 0.8,
      });
      return signals;
    }
    const isPassword = passwordKinds.has(c.kind.toLowerCase());
    const used = ms(c.lastUsedAt);
    const created = ms(c.createdAt);
    // A person's (or a root account's) password: disuse and MFA, never a rotation schedule.
    if (isPassword && ident && (ident.type === 'human' || ident.type === 'system')) {
      if (idPolicy.enabled) passwordSignals(c, ident, used, created, signals);
      return signals;
    }
    if (!nhiPolicy.enabled) return signals;
    const nonHuman = !!ident && NON_HUMAN.has(ident.type);
    if (isPassword && ident && nhiPolicy.noPasswordLoginTypes.includes(ident.type) && !ident.specialAccount) {
      signals.push({
        id: SIGNAL_IDS.nhiPasswordLogin,
        message: `${ident.type} identity has a ${c.kind}: interactive login is not allowed for ${ident.type} identities`,
        value: c.kind,
        threshold: noPasswordTypesText,
        verdict: 'disable-login',
        confidence: 0.9,
      });
    }
    if (isPassword && !nonHuman) return signals;
    if (used === used) {
      const d = daysSince(used);
      if (d > nhiPolicy.unusedCredentialDays)
        signals.push({
          id: SIGNAL_IDS.nhiUnusedCredential,
          message: `${c.kind} last used ${daysText(d)} ago; policy ${nhiPolicy.unusedCredentialDays} days`,
          value: d,
          threshold: nhiPolicy.unusedCredentialDays,
          verdict: 'revoke',
          confidence: round(0.75 + 0.2 * Math.min(1, (d - nhiPolicy.unusedCredentialDays) / nhiPolicy.unusedCredentialDays)),
        });
      else
        signals.push({
          id: SIGNAL_IDS.nhiUnusedCredential,
          message: `${c.kind} last used ${daysText(d)} ago, within ${nhiPolicy.unusedCredentialDays} days`,
          value: d,
          threshold: nhiPolicy.unusedCredentialDays,
          verdict: 'keep',
          confidence: 0.7,
        });
    } else if (created === created) {
      const d = daysSince(created);
      if (d > nhiPolicy.credentialGraceDays)
        signals.push({
          id: SIGNAL_IDS.nhiUnusedCredential,
          message: `${c.kind} never used; created ${daysText(d)} ago; grace period ${nhiPolicy.credentialGraceDays} days`,
          value: d,
          threshold: nhiPolicy.credentialGraceDays,
          verdict: 'revoke',
          confidence: 0.85,
        });
      else
        signals.push({
          id: SIGNAL_IDS.nhiUnusedCredential,
          message: `${c.kind} never used; created ${daysText(d)} ago, within the ${nhiPolicy.credentialGraceDays}-day grace period`,
          value: d,
          threshold: nhiPolicy.credentialGraceDays,
        });
    } else
      signals.push({
        id: SIGNAL_IDS.nhiUnusedCredential,
        message: `usage unknown: ${c.kind} has no last-use and no creation date`,
        value: null,
        threshold: nhiPolicy.unusedCredentialDays,
      });
    const rotated = ms(c.lastRotatedAt);
    const since = rotated === rotated ? rotated : created;
    if (since === since) {
      const d = daysSince(since);
      const what = rotated === rotated ? 'last rotated' : 'created';
      if (d > nhiPolicy.rotationDays)
        signals.push({
          id: SIGNAL_IDS.nhiRotation,
          message: `${c.kind} ${what} ${daysText(d)} ago; rotation policy ${nhiPolicy.rotationDays} days`,
          value: d,
          threshold: nhiPolicy.rotationDays,
          verdict: 'rotate',
          confidence: round(0.7 + 0.25 * Math.min(1, (d - nhiPolicy.rotationDays) / nhiPolicy.rotationDays)),
        });
      else
        signals.push({
          id: SIGNAL_IDS.nhiRotation,
          message: `${c.kind} ${what} ${daysText(d)} ago, within the ${nhiPolicy.rotationDays}-day rotation policy`,
          value: d,
          threshold: nhiPolicy.rotationDays,
          verdict: 'keep',
          confidence: 0.7,
        });
    }
    return signals;
  }

  function passwordSignals(c: Credential, ident: Identity, used: number, created: number, signals: Signal[]): void {
    const D = idPolicy.dormantDays;
    // The identity's own password sign-in date stands in when the credential has none.
    const last = used === used ? used : ms(ident.passwordLastUsedAt);
    const mfa = mfaText(ident);
    if (last === last) {
      const d = daysSince(last);
      if (d > D)
        signals.push({
          id: SIGNAL_IDS.passwordUnused,
          message: `${c.kind} last used ${daysText(d)} ago; policy ${D} days${mfa}: disable the password login`,
          value: d,
          threshold: D,
          verdict: 'disable-login',
          confidence: round(Math.min(0.95, 0.75 + 0.2 * Math.min(1, (d - D) / D) + (ident.mfa === false ? 0.05 : 0))),
        });
      else
        signals.push({
          id: SIGNAL_IDS.passwordUnused,
          message: `${c.kind} last used ${daysText(d)} ago, within ${D} days${mfa}`,
          value: d,
          threshold: D,
          verdict: 'keep',
          confidence: 0.7,
        });
    } else if (created === created && daysSince(created) > D) {
      const d = daysSince(created);
      signals.push({
        id: SIGNAL_IDS.passwordUnused,
        message: `${c.kind} never used; created ${daysText(d)} ago; policy ${D} days${mfa}: disable the password login`,
        value: d,
        threshold: D,
        verdict: 'disable-login',
        confidence: 0.8,
      });
    } else
      signals.push({
        id: SIGNAL_IDS.passwordUnused,
        message: `usage unknown: ${c.kind} has no last-use date${mfa}`,
        value: null,
        threshold: D,
      });
    if (idPolicy.requireMfa && ident.mfa === false)
      signals.push({
        id: SIGNAL_IDS.noMfa,
        message: `${c.kind} login without MFA: enrol MFA or disable the password login`,
        value: false,
        threshold: 'MFA on',
        verdict: 'disable-login',
        confidence: 0.6,
      });
  }

  const ownerMissing = (ident: Identity): string | null => {
    if (!ident.ownerId) return 'has no accountable owner';
    const o = identIndex.get(ident.ownerId);
    if (o === undefined) return `owner ${ident.ownerId} is not in the snapshot`;
    const owner = identities[o]!;
    if (owner.status !== 'active') return `owner ${owner.displayName} (${owner.id}) is ${owner.status}`;
    if (owner.type !== 'human') return `owner ${owner.id} is not a person (${owner.type})`;
    return null;
  };

  function identitySignals(i: number, signals: Signal[]): void {
    const ident = identities[i]!;
    if (!nhiPolicy.enabled || !NON_HUMAN.has(ident.type)) return;
    // A break-glass account signs in with a password by design: reviewed as a special account instead.
    if (ident.passwordLogin === true && nhiPolicy.noPasswordLoginTypes.includes(ident.type) && !ident.specialAccount)
      signals.push({
        id: SIGNAL_IDS.nhiPasswordLogin,
        message: `${ident.type} identity can log in with a password or console`,
        value: true,
        threshold: 'no password login',
        verdict: 'disable-login',
        confidence: 0.9,
      });
    // Root accounts and anonymous or platform principals have no owner to name: the account itself is reviewed.
    if (nhiPolicy.requireOwner && ident.type !== 'system') {
      const missing = ownerMissing(ident);
      if (missing)
        signals.push({
          id: SIGNAL_IDS.nhiOwner,
          message: `${ident.type} identity ${missing}`,
          value: ident.ownerId ?? null,
          threshold: 'active human owner',
          verdict: 'assign-owner',
          confidence: ident.ownerId ? 0.85 : 0.9,
        });
      else
        signals.push({
          id: SIGNAL_IDS.nhiOwner,
          message: `owned by ${ident.ownerId}`,
          value: ident.ownerId ?? null,
          threshold: 'active human owner',
          verdict: 'keep',
          confidence: 0.8,
        });
    }
  }

  return { credentialSignals, identitySignals, hasActivePassword };
}
