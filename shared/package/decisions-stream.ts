// decisions.json read as it inflates (the verifier on a host that inflates in pieces): the lines of a file in
// decisionsJsonBytes' layout parsed as each piece arrives, so the file is never held whole (at 1,000,000 items it is
// about 700 MiB). The result is readDecisionItems' for the same bytes; any other layout (or a damaged entry) gives
// null, and the caller reads the file whole as before, which reports what is wrong.
import { shapeProblem } from './document-shapes';
import { decisionsHead } from './decisions-file';
import { DECISIONS_HEAD_SHAPE, itemProblem, MAX_PROBLEMS_PER_FILE, type Parsed } from './package-documents';
import type { PackageEntries } from './package-opening';
import type { DecisionsDocument, PackageItem } from './types';

/** What follows the last item's line in the layout (and what follows the head line when there are no items, after an empty line). */
const CLOSING = ']}\n';

export class DecisionsLineReader {
  // Decoded as one stream: the text is what decoding the whole file gives (a leading byte-order mark dropped once).
  private readonly decoder = new TextDecoder('utf-8');
  /** Text after the last newline seen so far. */
  private carry = '';
  private state: 'head' | 'items' | 'closing' | 'other' = 'head';
  private campaignId = '';
  private readonly items: PackageItem[] = [];
  private readonly problems: string[] = [];
  private count = 0;
  /** In the 'closing' state: the text read after the last item's line (must come to CLOSING exactly). */
  private closing = '';

  /** The next piece of the file, in order (not kept: only a partial last line is, as text). */
  push(piece: Uint8Array): void {
    if (this.state === 'other') return;
    const text = this.carry + this.decoder.decode(piece, { stream: true });
    const last = text.lastIndexOf('\n');
    if (last < 0) {
      this.carry = text;
      return;
    }
    let at = 0;
    while (at <= last && !this.otherLayout()) {
      const end = text.indexOf('\n', at);
      this.line(text.slice(at, end));
      at = end + 1;
    }
    this.carry = text.slice(last + 1);
  }

  /** Once every piece was pushed: the items (visited in file order) and the campaign id, or null for another layout. */
  end(visit: (item: PackageItem) => void): Parsed<{ campaignId: string; count: number }> | null {
    const tail = this.carry + this.decoder.decode();
    if (this.state !== 'closing' || this.closing + tail !== CLOSING) return null;
    if (this.problems.length) return { ok: false, problems: this.problems };
    for (const item of this.items) visit(item);
    return { ok: true, value: { campaignId: this.campaignId, count: this.count } };
  }

  /** (A method: the state changes under the loop that asks, which the compiler's narrowing does not see.) */
  private otherLayout(): boolean {
    return this.state === 'other';
  }

  private line(line: string): void {
    if (this.state === 'head') return this.head(line);
    if (this.state === 'closing') {
      this.closing += `${line}\n`;
      if (this.closing.length > CLOSING.length) this.state = 'other';
      return;
    }
    // An empty first line: the layout of no items, if the closing line and nothing else follow.
    if (this.count === 0 && line === '') {
      this.state = 'closing';
      return;
    }
    const more = line.charCodeAt(line.length - 1) === 0x2c;
    let item: unknown;
    try {
      item = JSON.parse(more ? line.slice(0, -1) : line);
    } catch {
      this.state = 'other';
      return;
    }
    if (this.problems.length < MAX_PROBLEMS_PER_FILE) {
      const problem = itemProblem(item, this.count);
      if (problem) this.problems.push(problem);
      else if (!this.problems.length) this.items.push(item as PackageItem);
    }
    this.count++;
    if (!more) this.state = 'closing';
  }

  private head(line: string): void {
    let head: unknown;
    try {
      head = JSON.parse(`${line}]}`);
    } catch {
      this.state = 'other';
      return;
    }
    if (shapeProblem(head, DECISIONS_HEAD_SHAPE, 'decisions.json') !== null) {
      this.state = 'other';
      return;
    }
    this.campaignId = (head as DecisionsDocument).campaignId;
    // The head exactly as written (no white space, no repeated or reordered member), so it holds nothing else.
    this.state = `${line}\n` === decisionsHead(this.campaignId) ? 'items' : 'other';
  }
}

/**
 * decisions.json's items visited as it inflates (readInPieces: hashed meanwhile, its digest then taken from there);
 * null when the host cannot, or the entry is missing, damaged or in another layout: read it whole then.
 */
export async function readDecisionsInPieces(
  entries: PackageEntries,
  visit: (item: PackageItem) => void,
): Promise<Parsed<{ campaignId: string; count: number }> | null> {
  const reader = new DecisionsLineReader();
  return (await entries.readInPieces('decisions.json', (piece) => reader.push(piece))) ? reader.end(visit) : null;
}
