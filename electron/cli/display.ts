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

const LIST_MARK = '\u0000arw-list\u0000';

/**
 * JSON.stringify(value, null, 2), written through `out` a piece at a time: the text before `value[key]`, then each
 * element of that list, then the rest (each piece ends a line, as `out` adds one). The same text, but never in one
 * string: the report of 1,000,000 decisions is longer than a string can hold.
 */
export function writeJsonPieces<T extends object>(out: (text: string) => void, value: T, key: keyof T & string): void {
  const list = value[key];
  if (!Array.isArray(list) || list.length === 0) return out(JSON.stringify(value, null, 2));
  const text = JSON.stringify({ ...value, [key]: LIST_MARK }, null, 2);
  const mark = `${JSON.stringify(key)}: ${JSON.stringify(LIST_MARK)}`;
  const at = text.indexOf(mark);
  // The list's depth (its member line's indentation) plus one level for each element.
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = `${text.slice(lineStart, at)}  `;
  out(`${text.slice(0, at)}${JSON.stringify(key)}: [`);
  for (let i = 0; i < list.length; i++) {
    const element = (JSON.stringify(list[i], null, 2) ?? 'null').replace(/^/gm, indent);
    out(i < list.length - 1 ? `${element},` : element);
  }
  out(`${indent.slice(2)}]${text.slice(at + mark.length)}`);
}
