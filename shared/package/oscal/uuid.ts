// Deterministic UUIDs for the OSCAL documents: the same package gives the same UUIDs on every machine, so the
// verifier can render the documents again and compare them byte for byte, and a GRC tool sees the same item under
// the same UUID in every revision. Layout of an RFC 4122 name-based UUID, version 5 (OSCAL 1.0.6 accepts only
// versions 4 and 5), hashed with the package's SHA-256 instead of SHA-1: docs/package-format.md, "OSCAL documents".
import { utf8 } from '../../codec';
import { runtimePrimitives, sha256HexOfRange } from '../../codec';

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
 * oscalUuid for one kind and campaign, for many ids (1,000,000 items): the namespace and the array's head are encoded
 * once, each id into one reused buffer, and hashed there.
 */
export function uuidMaker(kind: UuidKind, campaignId: string): (id: string) => string {
  const head = utf8(`${JSON.stringify([kind, campaignId]).slice(0, -1)},`);
  const prefix = new Uint8Array(16 + head.length);
  prefix.set(uuidBytes(OSCAL_UUID_NAMESPACE), 0);
  prefix.set(head, 16);
  return (id) => {
    const most = prefix.length + id.length * 6 + 4;
    if (most > scratch.length) scratch = new Uint8Array(most * 2);
    scratch.set(prefix, 0);
    let end = jsonStringInto(id, scratch, prefix.length);
    if (end < 0) end = prefix.length + encoder.encodeInto(`${JSON.stringify(id)}]`, scratch.subarray(prefix.length)).written;
    else scratch[end++] = 0x5d; // ]
    const native = runtimePrimitives().sha256Hex;
    return uuidOfHash(native ? native(scratch.subarray(0, end)) : sha256HexOfRange(scratch, 0, end));
  };
}

/**
 * JSON.stringify(text)'s UTF-8 written at `at` (the buffer has room for six bytes a character): where it ends, or -1
 * for text that is not all ASCII (left to JSON.stringify and the encoder). Ids are ASCII, with control characters
 * (an assignment's id holds U+001F), so no string is made for them.
 */
function jsonStringInto(text: string, out: Uint8Array, at: number): number {
  out[at++] = 0x22;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return -1;
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) out[at++] = c;
    else {
      out[at++] = 0x5c;
      const short = SHORT_ESCAPES[c];
      if (short !== undefined) out[at++] = short;
      else {
        // \u00xx, lower-case hex, as JSON.stringify writes the other control characters.
        out[at++] = 0x75;
        out[at++] = 0x30;
        out[at++] = 0x30;
        out[at++] = HEX_DIGITS[c >> 4]!;
        out[at++] = HEX_DIGITS[c & 15]!;
      }
    }
  }
  out[at++] = 0x22;
  return at;
}

const HEX_DIGITS = new Uint8Array([...'0123456789abcdef'].map((d) => d.charCodeAt(0)));
/** The characters JSON.stringify escapes with a letter (or themselves), by code. */
const SHORT_ESCAPES: Partial<Record<number, number>> = {
  0x08: 0x62,
  0x09: 0x74,
  0x0a: 0x6e,
  0x0c: 0x66,
  0x0d: 0x72,
  0x22: 0x22,
  0x5c: 0x5c,
};

/** The RFC 4122 variant digit (8, 9, a or b) for each hex digit of the hash at that place, by its character code. */
const VARIANT: string[] = [];
for (let d = 0; d < 16; d++) VARIANT['0123456789abcdef'.charCodeAt(d)] = ((d & 0x3) | 0x8).toString(16);

function uuidOfHash(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${VARIANT[hex.charCodeAt(16)]!}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
