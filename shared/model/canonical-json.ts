// RFC 8785 (JCS) canonical JSON, fast. The `canonicalize` library spends ~30 µs per audit event building strings;
// but when every object's keys are already in code-unit order, the native JSON.stringify produces exactly the
// canonical text (RFC 8785 takes its number and string forms from ECMAScript's JSON.stringify). Values built with
// sorted keys (withSortedKeys: audit events, from chainEvent on) take that fast path; anything else falls back to
// canonicalJson. Tests hold the two equal.
import { canonicalJson } from '../codec';

/** RFC 8785 canonical JSON of a JSON value. */
export function canonicalText(value: unknown): string {
  return inCanonicalOrder(value) ? JSON.stringify(value) : canonicalJson(value);
}

/** True when JSON.stringify(value) is already its canonical form: plain data, finite numbers, sorted keys. */
export function inCanonicalOrder(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !inCanonicalOrder(value[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      const record = value as Record<string, unknown>;
      let previous: string | null = null;
      for (const key of Object.keys(record)) {
        // "__proto__" as a data key survives JSON.parse but not every copy: leave it to the reference canonicaliser.
        if (key === '__proto__') return false;
        if (previous !== null && !(previous < key)) return false;
        const child = record[key];
        if (child !== undefined && !inCanonicalOrder(child)) return false;
        previous = key;
      }
      return true;
    }
    default:
      return false;
  }
}

/** A copy of a JSON value with every object's keys sorted and undefined members dropped. */
export function withSortedKeys<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : withSortedKeys(v))) as T;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    const child = record[key];
    if (child === undefined) continue;
    // defineProperty, not assignment, for "__proto__": it must stay a data key, not change the prototype. (Only
    // there: objects built by defineProperty are several times slower to build and to serialise.)
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: withSortedKeys(child), enumerable: true, writable: true, configurable: true });
    else out[key] = withSortedKeys(child);
  }
  return out as T;
}
