// Text from packages and imported files reaches a terminal only with its control characters made visible: a
// campaign name holding ESC sequences could otherwise erase a verdict line and print a fake one.

/** C0 and C1 controls, DEL, and the bidirectional overrides/isolates that reorder what a reader sees. */
// eslint-disable-next-line no-control-regex -- matching controls is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- matching controls is the point
const CONTROLS_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const visible = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One field of foreign text, line breaks included, as visible escapes (`\x1b` → `\u001b`). */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, visible);
}

/**
 * Output the CLI writes, its own line breaks kept. Inside JSON this turns a raw C1 control or bidi mark (which
 * JSON.stringify leaves as is) into the same character's JSON escape, so the document parses to the same value.
 */
export function escapeOutput(text: string): string {
  return text.replace(CONTROLS_BUT_NEWLINE, visible);
}

/** Controls but U+001F, the separator inside item ids (`identity␟entitlement`) that reports print as " / ". */
// eslint-disable-next-line no-control-regex -- matching controls is the point
const CONTROLS_BUT_UNIT_SEPARATOR = /[\u0000-\u001e\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A copy of a report with every string escaped, for a report printed for a person (keys kept). U+001F is left for
 * the printer to turn into " / "; escapeOutput catches any that remains.
 */
export function displaySafe<T>(value: T): T {
  if (typeof value === 'string') return value.replace(CONTROLS_BUT_UNIT_SEPARATOR, visible) as T;
  if (Array.isArray(value)) return value.map((v) => displaySafe(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = displaySafe(v);
    return out as T;
  }
  return value;
}
