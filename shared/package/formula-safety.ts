// Spreadsheet formula injection (CSV injection): a cell whose text starts with one of these characters may be run as
// a formula by Excel, LibreOffice or Google Sheets. Every such cell we write, in CSV and XLSX alike, gets a leading
// apostrophe so it is shown as text and never evaluated.
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

export function neutraliseFormula(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]!) ? `'${text}` : text;
}

export function startsLikeFormula(text: string): boolean {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]!);
}
