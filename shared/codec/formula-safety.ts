// Spreadsheet formula injection (CSV injection): a cell whose text starts with one of these characters may be run as
// a formula by Excel, LibreOffice or Google Sheets. Every such cell we write, in CSV and XLSX alike, gets a leading
// apostrophe so it is shown as text and never evaluated. Spreadsheets skip leading whitespace before a formula and
// read the full-width forms ＝＋－＠ (as an IME types them) as the ASCII ones, so those count too.
const TRIGGERS = new Set([0x3d, 0x2b, 0x2d, 0x40, 0xff1d, 0xff0b, 0xff0d, 0xff20]); // = + - @ and full-width ＝ ＋ － ＠

export function startsLikeFormula(text: string): boolean {
  const first = text.charCodeAt(0);
  // A leading tab or carriage return is itself a trigger (Excel's import strips it and reads on).
  if (first === 0x09 || first === 0x0d) return true;
  const at = text.search(/\S/);
  return at >= 0 && TRIGGERS.has(text.charCodeAt(at));
}

export function neutraliseFormula(text: string): string {
  return startsLikeFormula(text) ? `'${text}` : text;
}

/**
 * CSV only: a spreadsheet in a semicolon-separator locale (or reading tabs) cuts a line at `;`, tab and line breaks
 * whatever the quotes say, so the text after each of them is a cell of its own: one that would start like a formula
 * (blanks and quotes skipped) gets the apostrophe right after the separator.
 */
export function neutraliseAfterSeparators(text: string): string {
  return text.replace(/([;\t\r\n])(?=[\s"]*[=+\-@\uff1d\uff0b\uff0d\uff20])/g, "$1'");
}
