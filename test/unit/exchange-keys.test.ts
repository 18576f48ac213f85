// A reviewer's private key under their passphrase (scrypt + AES-256-GCM, header authenticated), and the signed
// record of a key change after a lost passphrase.
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import {
  passphraseProblem,
  recordKeyChange,
  rewrapPrivateKey,
  unwrapPrivateKey,
  verifyKeyChange,
  wrapPrivateKey,
  type WrappedKey,
} from '../../shared/exchange';
import { keyFingerprint, trustedKeyEntry } from '../../shared/package';
import { toBase64 } from '../../shared/codec/digest';
import { generateSigner } from '../fixtures/packages/webcrypto-signer';

const FAST = { N: 2 ** 10, r: 8, p: 1 }; // the tests' cost; the app uses DEFAULT_SCRYPT
const PASS = 'correct horse battery staple';

async function aliceKey() {
  const seed = ed25519.utils.randomSecretKey();
  const publicKey = ed25519.getPublicKey(seed);
  const wrapped = await wrapPrivateKey(
    seed,
    PASS,
    { profile: { id: 'alice', name: 'Alice Reviewer' }, publicKey, material: 'ed25519-seed' },
    FAST,
  );
  return { seed, publicKey, wrapped };
}

describe('passphrase-wrapped private key', () => {
  it('round trip: the right passphrase gives the key back; the key still signs', async () => {
    const { seed, publicKey, wrapped } = await aliceKey();
    expect(wrapped.fingerprint).toBe(keyFingerprint(publicKey));
    expect(JSON.stringify(wrapped)).not.toContain(toBase64(seed));
    const opened = await unwrapPrivateKey(wrapped, PASS);
    expect(opened.ok && Buffer.from(opened.material).equals(Buffer.from(seed))).toBe(true);
    const sig = ed25519.sign(new Uint8Array([1, 2, 3]), opened.ok ? opened.material : new Uint8Array(32));
    expect(ed25519.verify(sig, new Uint8Array([1, 2, 3]), publicKey)).toBe(true);
  });

  it('a wrong passphrase, a changed ciphertext, or a changed header are refused with a clear message', async () => {
    const { wrapped } = await aliceKey();
    expect(await unwrapPrivateKey(wrapped, 'correct horse battery stapler')).toEqual({
      ok: false,
      error: 'wrong passphrase, or the wrapped key file was changed',
    });
    const c = Buffer.from(wrapped.ciphertext, 'base64');
    c[3] = c[3]! ^ 1;
    expect((await unwrapPrivateKey({ ...wrapped, ciphertext: c.toString('base64') }, PASS)).ok).toBe(false);
    // Two profiles on one laptop: bob's profile cannot adopt alice's wrapped key by renaming the header.
    expect((await unwrapPrivateKey({ ...wrapped, profile: { id: 'bob', name: 'Bob' } }, PASS)).ok).toBe(false);
    expect((await unwrapPrivateKey({ ...wrapped, kdf: { ...wrapped.kdf, N: 2 ** 21 } }, PASS)).ok).toBe(false);
  });

  it('each wrap uses a fresh salt and IV', async () => {
    const a = await aliceKey();
    const again = await wrapPrivateKey(
      a.seed,
      PASS,
      { profile: a.wrapped.profile, publicKey: a.publicKey, material: 'ed25519-seed' },
      FAST,
    );
    expect(again.kdf.salt).not.toBe(a.wrapped.kdf.salt);
    expect(again.cipher.iv).not.toBe(a.wrapped.cipher.iv);
    expect(again.ciphertext).not.toBe(a.wrapped.ciphertext);
  });

  it('refuses a weak passphrase', async () => {
    expect(passphraseProblem('short')).toMatch(/at least 12/);
    expect(passphraseProblem('aaaaaaaaaaaaaaaa')).toMatch(/different characters/);
    const { seed, publicKey } = await aliceKey();
    await expect(
      wrapPrivateKey(seed, 'password', { profile: { id: 'a', name: 'A' }, publicKey, material: 'ed25519-seed' }, FAST),
    ).rejects.toThrow(/at least 12/);
  });

  it('a changed passphrase re-wraps the same key; the old passphrase no longer opens it', async () => {
    const { seed, wrapped } = await aliceKey();
    const rewrapped = (await rewrapPrivateKey(wrapped, PASS, 'a much better passphrase 2026')) as WrappedKey;
    expect(rewrapped.fingerprint).toBe(wrapped.fingerprint);
    expect((await unwrapPrivateKey(rewrapped, PASS)).ok).toBe(false);
    const opened = await unwrapPrivateKey(rewrapped, 'a much better passphrase 2026');
    expect(opened.ok && Buffer.from(opened.material).equals(Buffer.from(seed))).toBe(true);
    expect(await rewrapPrivateKey(wrapped, 'not the passphrase at all', 'whatever else 12345')).toEqual({
      ok: false,
      error: 'wrong passphrase, or the wrapped key file was changed',
    });
  });
});

describe('key change after a lost passphrase', () => {
  it('is recorded, signed by the new key and countersigned by the owner; tampering is detected', async () => {
    const oldKey = await generateSigner('alice-2026');
    const newKey = await generateSigner('alice-2026b');
    const owner = await generateSigner('olivia-2026');
    const change = {
      person: { id: 'alice', name: 'Alice Reviewer', email: 'alice@example.com' },
      previous: { fingerprint: oldKey.fingerprint },
      next: { fingerprint: newKey.fingerprint, publicKey: toBase64(newKey.publicKey) },
      reason: 'passphrase-lost' as const,
      at: '2026-10-05T10:00:00.000Z',
      recordedBy: { id: 'olivia', fingerprint: owner.fingerprint },
    };
    const record = await recordKeyChange(change, newKey, owner);
    const trusted = [trustedKeyEntry({ name: 'Olivia Owner' }, owner.publicKey)];
    expect(verifyKeyChange(record, trusted)).toEqual({ ok: true, change, ownerPinned: true });
    expect(verifyKeyChange(record, []).ok).toBe(false);
    const forged = record.replace(
      /"payload": "([^"]+)"/,
      (_m, p: string) =>
        `"payload": "${Buffer.from(Buffer.from(p, 'base64').toString('utf8').replace(newKey.fingerprint, oldKey.fingerprint)).toString('base64')}"`,
    );
    const check = verifyKeyChange(forged, trusted);
    expect(check.ok).toBe(false);
    await expect(
      recordKeyChange({ ...change, next: { fingerprint: oldKey.fingerprint, publicKey: toBase64(oldKey.publicKey) } }, newKey, owner),
    ).rejects.toThrow(/does not match/);
  });
});
