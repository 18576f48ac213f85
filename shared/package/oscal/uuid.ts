// Deterministic UUIDs for the OSCAL documents: the same package gives the same UUIDs on every machine, so the
// verifier can render the documents again and compare them byte for byte, and a GRC tool sees the same item under
// the same UUID in every revision. Layout of an RFC 4122 name-based UUID, version 5 (OSCAL 1.0.6 accepts only
// versions 4 and 5), hashed with the package's SHA-256 instead of SHA-1: docs/package-format.md, "OSCAL documents".
import { utf8 } from '../../codec';
import { sha256HexOfRange } from '../../codec';

/** The namespace of every UUID the package's OSCAL documents hold (fixed for good: changing it changes every UUID). */
export const OSCAL_UUID_NAMESPACE = '1365f30c-3246-4e2d-9433-f4fab7db5f0d';

/** What a UUID names: the document, a result, an item's observation or finding, a reviewer... */
export type UuidKind = 'assessment-results' | 'poam' | 'result' | 'observation' | 'finding' | 'poam-item' | 'party' | 'resource';

/**
 * The UUID of `kind` `id` within campaign `campaignId`: SHA-256 over the namespace's 16 bytes and the UTF-8 of the
 * JSON array [kind, campaignId, id] (unambiguous whatever the ids hold), first 16 bytes, version 5, RFC 4122 variant.
 */
export function oscalUuid(kind: UuidKind, campaignId: string, id: string): string {
  return uuidMaker(kind, campaignId)(id);
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(4096);

/**
 * oscalUuid for one kind and campaign, for many ids (100,000 items): the namespace and the array's head are encoded
 * once, each id into one reused buffer.
 */
export function uuidMaker(kind: UuidKind, campaignId: string): (id: string) => string {
  const head = utf8(`${JSON.stringify([kind, campaignId]).slice(0, -1)},`);
  const prefix = new Uint8Array(16 + head.length);
  prefix.set(uuidBytes(OSCAL_UUID_NAMESPACE), 0);
  prefix.set(head, 16);
  return (id) => {
    const name = `${JSON.stringify(id)}]`;
    const most = prefix.length + name.length * 3;
    if (most > scratch.length) scratch = new Uint8Array(most * 2);
    scratch.set(prefix, 0);
    const { written } = encoder.encodeInto(name, scratch.subarray(prefix.length));
    return uuidOfHash(sha256HexOfRange(scratch, 0, prefix.length + written));
  };
}

function uuidOfHash(hex: string): string {
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
