// The one contract between the renderer and its platform (Electron main through preload, or the browser).
// The renderer reaches the platform only through renderer/host, which implements this for each platform.
import type { Result } from './result';

export interface PickedFile {
  name: string;
  bytes: Uint8Array;
}

export interface OpenFilesRequest {
  title: string;
  /** File extensions without the dot, e.g. ["csv", "json"]; empty = any. */
  extensions: string[];
  multiple: boolean;
}

export interface SaveFileRequest {
  suggestedName: string;
  bytes: Uint8Array;
  mimeType: string;
}

export interface PublicKeyInfo {
  keyId: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  /** "SHA256:" + hex of the SHA-256 of the raw public key. */
  fingerprint: string;
  createdAt: string;
}

export interface SignRequest {
  keyId: string;
  /** The exact bytes to sign (a DSSE pre-authentication encoding). */
  message: Uint8Array;
}

export interface HostInfo {
  platform: 'electron' | 'browser';
  appVersion: string;
  /** Storage of private keys: how they are protected on this platform, in words. */
  keyProtection: string;
}

/** How a profile's signing key is held. */
export interface KeyStatus {
  exists: boolean;
  /** Sealed under the person's passphrase as well as by the platform (OS keychain / non-extractable key store). */
  passphrase: boolean;
  /** A passphrase-protected key opened for this session (it signs without asking again until locked or restarted). */
  unlocked: boolean;
}

export interface CreateProtectedKeyRequest {
  keyId: string;
  profile: { id: string; name: string };
  passphrase: string;
}

export interface UnlockKeyRequest {
  keyId: string;
  passphrase: string;
}

export interface ChangePassphraseRequest {
  keyId: string;
  oldPassphrase: string;
  newPassphrase: string;
}

/** The error of `sign` when the key needs its passphrase first (the UI asks, unlocks, and signs again). */
export const KEY_LOCKED = 'key-locked: ';

export interface HostApi {
  info(): Promise<HostInfo>;
  /** Ask the user for files; an empty list when they cancel. */
  openFiles(request: OpenFilesRequest): Promise<Result<PickedFile[]>>;
  /** Save bytes where the user chooses; `null` when they cancel. */
  saveFile(request: SaveFileRequest): Promise<Result<string | null>>;
  /** The signing key for a reviewer profile, created on first use. */
  ensureSigningKey(keyId: string): Promise<Result<PublicKeyInfo>>;
  /** Fails with an error starting with KEY_LOCKED when a passphrase-protected key is not unlocked. */
  sign(request: SignRequest): Promise<Result<Uint8Array>>;
  /**
   * A new key for a reviewer profile, sealed under the person's passphrase (scrypt + AES-256-GCM,
   * shared/exchange/key-wrap) and then by the platform; unlocked for this session. Fails if the key id exists.
   */
  createProtectedKey(request: CreateProtectedKeyRequest): Promise<Result<PublicKeyInfo>>;
  keyStatus(keyId: string): Promise<Result<KeyStatus>>;
  /** Opens a passphrase-protected key for this session; a wrong passphrase fails and changes nothing. */
  unlockKey(request: UnlockKeyRequest): Promise<Result<true>>;
  /** Forgets the opened key: the next signature asks for the passphrase again. */
  lockKey(keyId: string): Promise<Result<true>>;
  /** The same key under a new passphrase (fresh salt and IV). */
  changePassphrase(request: ChangePassphraseRequest): Promise<Result<true>>;
  /** A package path given on the command line or through "open with", once. */
  takeLaunchFile(): Promise<Result<PickedFile | null>>;
}
