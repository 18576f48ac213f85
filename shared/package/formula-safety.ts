// Spreadsheet formula injection (CSV injection): a cell whose text starts with one of these characters may be run as
// a formula by Excel, LibreOffice or Google Sheets. Every such cell we write, in CSV and XLSX alike, gets a leading
// apostrophe so it is shown as text and never evaluated.
export function startsLikeFormula(text: string): boolean {
  switch (text.charCodeAt(0)) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09: // tab
    case 0x0d: // carriage return
      return true;
    default:
      return false;
  }
}

export function neutraliseFormula(text: string): string {
  return startsLikeFormula(text) ? `'${text}` : text;
}
