// Helpers both sides of the campaign exchange use: people as keyed records, the host's signer, the trusted keys.
import type { KeyedPerson } from '../../shared/exchange';
import type { PackageReviewer, PackageSigner, TrustedKey } from '../../shared/package';
import { fromBase64 } from '../../shared/codec';
import { listPinnedKeys, listReviewers, type ReviewerRecord, type WorkbenchDatabase } from '../db';
import type { TaskContext } from './protocol';

export function keyedPerson(r: ReviewerRecord): KeyedPerson {
  return { id: r.id, name: r.name, email: r.email ?? null, fingerprint: r.fingerprint, publicKey: r.publicKey };
}

export function packageReviewer(r: ReviewerRecord): PackageReviewer {
  return { id: r.id, name: r.name, ...(r.email ? { email: r.email } : {}), keyFingerprint: r.fingerprint, publicKey: r.publicKey };
}

/** A signer backed by the host's key for a local profile (the private key never reaches the worker). */
export function hostSigner(ctx: TaskContext, profile: ReviewerRecord): PackageSigner {
  if (profile.remote || !profile.keyId)
    throw new Error(`${profile.name} is a colleague on another laptop: only they can sign with their key`);
  return {
    keyId: profile.keyId,
    publicKey: fromBase64(profile.publicKey),
    sign: async (message) => (await ctx.call('sign', { keyId: profile.keyId, message })) as Uint8Array,
  };
}

/** Keys this machine trusts: the pinned colleagues' keys and the local profiles' own keys. */
export async function trustList(db: WorkbenchDatabase): Promise<TrustedKey[]> {
  const pinned = await listPinnedKeys(db);
  const local = (await listReviewers(db)).filter((r) => !r.remote);
  const keys: TrustedKey[] = pinned.map(({ name, email, fingerprint, publicKey, kty, crv, x }) => ({
    name,
    ...(email ? { email } : {}),
    fingerprint,
    publicKey,
    kty,
    crv,
    x,
  }));
  for (const r of local) {
    if (keys.some((k) => k.fingerprint === r.fingerprint)) continue;
    keys.push({
      name: r.name,
      ...(r.email ? { email: r.email } : {}),
      fingerprint: r.fingerprint,
      publicKey: r.publicKey,
      kty: 'OKP',
      crv: 'Ed25519',
      x: r.publicKey.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    });
  }
  return keys;
}

export function safeName(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'campaign'
  );
}
