// Pieces of bytes joined into one buffer (archive parts, inflated slices): the one copy, made only where needed.

/** The pieces as one buffer: the piece itself when there is one, else a copy of them all, in order. */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
