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

export interface HostApi {
  info(): Promise<HostInfo>;
  /** Ask the user for files; an empty list when they cancel. */
  openFiles(request: OpenFilesRequest): Promise<Result<PickedFile[]>>;
  /** Save bytes where the user chooses; `null` when they cancel. */
  saveFile(request: SaveFileRequest): Promise<Result<string | null>>;
  /** The signing key for a reviewer profile, created on first use. */
  ensureSigningKey(keyId: string): Promise<Result<PublicKeyInfo>>;
  sign(request: SignRequest): Promise<Result<Uint8Array>>;
  /** A package path given on the command line or through "open with", once. */
  takeLaunchFile(): Promise<Result<PickedFile | null>>;
}
