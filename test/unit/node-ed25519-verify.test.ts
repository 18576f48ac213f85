// The arw CLI's native Ed25519 check (electron/cli/node-primitives.ts) agrees with the portable one, and its key cache
// (by the key array, for the per-event checks) never answers with a key whose bytes are no longer the array's.
import { generateKeyPairSync, sign } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { nodeEd25519Verify } from '../../electron/cli/node-primitives';

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'));
  return { raw, sign: (m: Uint8Array) => new Uint8Array(sign(null, m, privateKey)) };
}

describe('nodeEd25519Verify', () => {
  it('accepts what the key signed and refuses another message, another key, a damaged signature, as @noble/curves does', () => {
    const a = keyPair();
    const b = keyPair();
    const message = new Uint8Array(32).fill(7);
    const sig = a.sign(message);
    const other = message.slice();
    other[0] = 8;
    const damaged = sig.slice();
    damaged[10]! ^= 1;
    const cases: Array<[Uint8Array, Uint8Array, Uint8Array]> = [
      [sig, message, a.raw],
      [sig, other, a.raw],
      [sig, message, b.raw],
      [damaged, message, a.raw],
    ];
    for (const [s, m, k] of cases) expect(nodeEd25519Verify(s, m, k)).toBe(ed25519.verify(s, m, k, { zip215: false }));
    expect(cases.map(([s, m, k]) => nodeEd25519Verify(s, m, k))).toEqual([true, false, false, false]);
  });

  it('a key array whose bytes change is checked with its new key, not the cached one', () => {
    const a = keyPair();
    const b = keyPair();
    const message = new Uint8Array([1, 2, 3]);
    const key = a.raw.slice();
    expect(nodeEd25519Verify(a.sign(message), message, key)).toBe(true);
    key.set(b.raw);
    expect(nodeEd25519Verify(a.sign(message), message, key)).toBe(false);
    expect(nodeEd25519Verify(b.sign(message), message, key)).toBe(true);
  });
});
