// The .c1z container of ConductorOne Baton sync files. v1: magic "C1ZF\0" then one zstd stream of a SQLite
// database. v3: magic "C1Z3\0", a uint32 big-endian manifest length, a protobuf C1ZManifestV3, then a Pebble
// checkpoint this app cannot read (its manifest is read to say what the file holds).
import { Decompress } from 'fzstd';
import protobuf from 'protobufjs';
import { BATON_SCHEMA } from './schema.generated';

export const C1Z_V1_MAGIC = [0x43, 0x31, 0x5a, 0x46, 0x00];
export const C1Z_V3_MAGIC = [0x43, 0x31, 0x5a, 0x33, 0x00];

/** Decompressed SQLite size above which a .c1z is refused (a decompression bomb, or more than one import can hold). */
export const C1Z_MAX_DATABASE_BYTES = 1024 * 1024 * 1024;
/** A ratio no real SQLite page file reaches with zstd; above it the stream is refused before it grows further. */
export const C1Z_MAX_RATIO = 200;

export class C1zError extends Error {}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

export function c1zVersion(bytes: Uint8Array): 'v1' | 'v3' | null {
  if (startsWith(bytes, C1Z_V1_MAGIC)) return 'v1';
  if (startsWith(bytes, C1Z_V3_MAGIC)) return 'v3';
  return null;
}

let root: protobuf.Root | undefined;
/** The Baton protobuf types, from descriptors generated at build time (scripts/gen-baton-schema.mjs). */
export function batonTypes(): protobuf.Root {
  root ??= protobuf.Root.fromJSON(BATON_SCHEMA as protobuf.INamespace);
  return root;
}

/**
 * The SQLite database of a v1 .c1z, decompressed within limits: at most `maxBytes`, and at most `maxRatio` times
 * the compressed size (a zstd frame can claim any size; this stops on the bytes actually produced).
 */
export function inflateC1zV1(bytes: Uint8Array, limits: { maxBytes?: number; maxRatio?: number } = {}): Uint8Array {
  const maxBytes = Math.min(
    limits.maxBytes ?? C1Z_MAX_DATABASE_BYTES,
    Math.max(1024 * 1024, (bytes.length - 5) * (limits.maxRatio ?? C1Z_MAX_RATIO)),
  );
  const parts: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const stream = new Decompress((chunk, final) => {
    total += chunk.length;
    if (total > maxBytes)
      throw new C1zError(
        `the compressed database grows past ${Math.round(maxBytes / 1024 / 1024)} MiB (${(bytes.length / 1024 / 1024).toFixed(1)} MiB compressed); refused as a possible decompression bomb`,
      );
    parts.push(chunk);
    if (final) ended = true;
  });
  try {
    stream.push(bytes.subarray(5), true);
  } catch (error) {
    if (error instanceof C1zError) throw error;
    throw new C1zError(`the zstd stream after the C1ZF header is damaged (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!ended && total === 0) throw new C1zError('the zstd stream after the C1ZF header is empty or cut short');
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  if (!startsWith(out, [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65])) throw new C1zError('the decompressed content is not a SQLite database');
  return out;
}

export interface C1zV3Summary {
  engine: string;
  engineSchemaVersion: number;
  payloadEncoding: string;
  recordTypes: string[];
  syncRuns: { syncId: string; type: string; startedAt?: string; endedAt?: string }[];
}

/** What a v3 (Pebble) .c1z holds, from its manifest. */
export function readC1zV3Manifest(bytes: Uint8Array): C1zV3Summary {
  if (bytes.length < 9) throw new C1zError('the C1Z3 file ends before its manifest length');
  const len = ((bytes[5]! << 24) >>> 0) + (bytes[6]! << 16) + (bytes[7]! << 8) + bytes[8]!;
  if (len > bytes.length - 9 || len > 64 * 1024 * 1024)
    throw new C1zError(`the C1Z3 manifest length (${len} bytes) runs past the end of the file`);
  const type = batonTypes().lookupType('c1.c1z.v3.C1ZManifestV3');
  let m: Record<string, unknown>;
  try {
    m = type.toObject(type.decode(bytes.subarray(9, 9 + len)), { enums: String, longs: Number, defaults: true }) as Record<string, unknown>;
  } catch (error) {
    throw new C1zError(`the C1Z3 manifest is not readable (${error instanceof Error ? error.message : String(error)})`);
  }
  const ts = (t: unknown) =>
    t && typeof t === 'object' && 'seconds' in t ? new Date(Number((t as { seconds: number }).seconds) * 1000).toISOString() : undefined;
  const runs = Array.isArray(m.syncRuns) ? (m.syncRuns as Record<string, unknown>[]) : [];
  const types = Array.isArray(m.recordTypes) ? (m.recordTypes as Record<string, unknown>[]) : [];
  return {
    engine: String(m.engine ?? ''),
    engineSchemaVersion: Number(m.engineSchemaVersion ?? 0),
    payloadEncoding: String(m.payloadEncoding ?? ''),
    recordTypes: types
      .map((t) => `${String(t.messageFullName ?? '')} (~${Number(t.estimatedCount ?? 0)})`)
      .filter((t) => !t.startsWith(' ')),
    syncRuns: runs.map((r) => ({
      syncId: String(r.syncId ?? ''),
      type: String(r.type ?? ''),
      startedAt: ts(r.startedAt),
      endedAt: ts(r.endedAt),
    })),
  };
}
