// Text as OSCAL 1.0.6 takes it: single-line strings without edge white space (StringDatatype), Markdown for titles,
// descriptions and remarks (markup-line, markup-multiline), date-times with seconds and a time zone. What a package
// holds (names, rationales typed by people) is brought into those forms here, the same way on every machine.

/** StringDatatype: no control character, no line break, no white space at either end; never empty. */
export function oscalString(text: string | null | undefined): string {
  const t = text ?? '';
  if (t && !NOT_PLAIN.test(t)) return t;
  // eslint-disable-next-line no-control-regex
  const single = t.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
  return single || '(none)';
}

// Anything oscalString would change: a control character, white space other than one inner space.
// eslint-disable-next-line no-control-regex
const NOT_PLAIN = /[\u0000-\u001f\u007f-\u009f]|[^\S ]| {2}|^ | $/;
const MARKUP = /[\\`*_[\]<>#|~]/;
// Line breaks and the other control characters markupMultiline replaces.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** markup-line: a single line with Markdown's markup characters escaped, so a name is shown as typed. */
export function markupLine(text: string | null | undefined): string {
  return escapeMarkdown(oscalString(text));
}

/** markup-multiline: line breaks kept, other control characters dropped, Markdown's markup characters escaped. */
export function markupMultiline(text: string): string {
  // One line without a control character (most rationales and descriptions): nothing to replace or split.
  if (!CONTROL.test(text)) return escapeMarkdown(text.trim()) || '(none)';
  const lines = text
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, ' ')
    .split('\n')
    .map((l) => l.trim());
  return escapeMarkdown(lines.join('\n').trim()) || '(none)';
}

function escapeMarkdown(text: string): string {
  if (!MARKUP.test(text)) return text;
  return text.replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`);
}

// OSCAL's DateTimeWithTimezoneDatatype pattern, verbatim from the 1.0.6 schemas.
const OSCAL_DATE_TIME =
  /^(((2000|2400|2800|(19|2[0-9](0[48]|[2468][048]|[13579][26])))-02-29)|(((19|2[0-9])[0-9]{2})-02-(0[1-9]|1[0-9]|2[0-8]))|(((19|2[0-9])[0-9]{2})-(0[13578]|10|12)-(0[1-9]|[12][0-9]|3[01]))|(((19|2[0-9])[0-9]{2})-(0[469]|11)-(0[1-9]|[12][0-9]|30)))T(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?(Z|(-((0[0-9]|1[0-2]):00|0[39]:30)|\+((0[0-9]|1[0-4]):00|(0[34569]|10):30|(0[58]|12):45)))$/;

/** A package instant as OSCAL takes it: as written when OSCAL accepts that form, else the same instant in UTC. */
export function oscalDateTime(instant: string): string {
  if (OSCAL_DATE_TIME.test(instant)) return instant;
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? instant : new Date(ms).toISOString();
}

/** A property of the workbench's own namespace (OSCAL props outside NIST's names carry an `ns`). */
export const ARW_OSCAL_NS = 'https://arw.dev/ns/oscal';

export interface OscalProp {
  name: string;
  ns: string;
  value: string;
}

export function prop(name: string, value: string | number | boolean): OscalProp {
  return { name, ns: ARW_OSCAL_NS, value: oscalString(String(value)) };
}

/** `prop`, serialised: what the per-item entries are written with (100,000 of them, without an object each). */
export function propJson(name: string, value: string | number | boolean): string {
  return `{"name":"${name}","ns":"${ARW_OSCAL_NS}","value":${JSON.stringify(oscalString(String(value)))}}`;
}
