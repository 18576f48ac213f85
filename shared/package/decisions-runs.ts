// decisions.json read as its bytes arrive (inflated a piece at a time from its archive entry), its items handed on in
// runs: the report's thread writes its sheets from them without ever holding the file or every item. Only the
// layout decisionsJsonBytes writes is read (the head line, one item per line, the closing line): the report reads
// the package's own file, just written; anything else is an error naming the line.
import { joinParts } from '../codec';
import { decisionsHead } from './decisions-file';
import { DECISIONS_HEAD_SHAPE, itemProblem } from './package-documents';
import { shapeProblem } from './document-shapes';
import type { PackageItem } from './types';

/** Items per run handed on. */
const RUN_ITEMS = 512;
const NEWLINE = 0x0a;

export class DecisionRunReader {
  private carry: Uint8Array[] = [];
  private line = 0;
  private state: 'head' | 'first' | 'items' | 'close' | 'end' = 'head';
  private run: PackageItem[] = [];
  private count = 0;
  private campaignId = '';
  // The first piece drops a leading byte-order mark, as decoding the whole file does; later ones keep any they meet.
  private readonly first = new TextDecoder('utf-8');
  private readonly later = new TextDecoder('utf-8', { ignoreBOM: true });
  private decoded = false;

  /** `visit` gets each run of items in order; the next piece is read once its promise resolves. */
  constructor(private readonly visit: (items: PackageItem[]) => Promise<void>) {}

  /** The file's next bytes (read before the promise resolves; the caller may then reuse them). */
  async push(bytes: Uint8Array): Promise<void> {
    const last = bytes.lastIndexOf(NEWLINE);
    if (last < 0) {
      this.carry.push(bytes.slice());
      return;
    }
    // A newline byte is never inside a UTF-8 sequence: the line the carried bytes begin is joined and decoded alone,
    // and the whole lines after it are decoded where they lie (no copy of the piece).
    const first = bytes.indexOf(NEWLINE);
    const lines = [this.decode(this.carry.length ? joinParts([...this.carry, bytes.subarray(0, first)]) : bytes.subarray(0, first))];
    this.carry = last + 1 < bytes.length ? [bytes.slice(last + 1)] : [];
    await this.takeText(lines[0]!);
    if (last > first) await this.takeLines(this.decode(bytes.subarray(first + 1, last + 1)));
  }

  private decode(bytes: Uint8Array): string {
    const text = (this.decoded ? this.later : this.first).decode(bytes);
    this.decoded = true;
    return text;
  }

  /** Whole lines, each ended by its newline. */
  private async takeLines(text: string): Promise<void> {
    let at = 0;
    while (at < text.length) {
      const next = text.indexOf('\n', at);
      await this.takeText(text.slice(at, next));
      at = next + 1;
    }
  }

  private async takeText(line: string): Promise<void> {
    this.take(line);
    if (this.run.length >= RUN_ITEMS) await this.flush();
  }

  /** The file has ended: the last run is handed on; the campaign and the number of items. */
  async end(): Promise<{ campaignId: string; count: number }> {
    const rest = this.carry.length ? this.decode(joinParts(this.carry)) : '';
    if (this.state !== 'end') this.fail('the file ends early');
    if (rest !== '') this.fail('text after the closing line');
    await this.flush();
    return { campaignId: this.campaignId, count: this.count };
  }

  private async flush(): Promise<void> {
    if (!this.run.length) return;
    const run = this.run;
    this.run = [];
    await this.visit(run);
  }

  private take(text: string): void {
    this.line++;
    switch (this.state) {
      case 'head': {
        let head: unknown;
        try {
          head = JSON.parse(`${text}]}`);
        } catch {
          this.fail('not the head of decisions.json');
        }
        const problem = shapeProblem(head, DECISIONS_HEAD_SHAPE, 'decisions.json');
        if (problem) this.fail(problem);
        this.campaignId = (head as { campaignId: string }).campaignId;
        if (`${text}\n` !== decisionsHead(this.campaignId)) this.fail('the head is not as the package writes it');
        this.state = 'first';
        return;
      }
      case 'first':
        // No items: an empty line, then the closing one.
        if (text === '') {
          this.state = 'close';
          return;
        }
        this.state = 'items';
        return this.item(text);
      case 'items':
        return this.item(text);
      case 'close':
        if (text !== ']}') this.fail('expected the closing "]}"');
        this.state = 'end';
        return;
      default:
        this.fail('text after the closing line');
    }
  }

  private item(text: string): void {
    const more = text.charCodeAt(text.length - 1) === 0x2c;
    let item: unknown;
    try {
      item = JSON.parse(more ? text.slice(0, -1) : text);
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error));
    }
    const problem = itemProblem(item, this.count);
    if (problem) this.fail(problem);
    this.run.push(item as PackageItem);
    this.count++;
    if (!more) this.state = 'close';
  }

  private fail(problem: string): never {
    throw new Error(`the report cannot read decisions.json: line ${this.line}: ${problem}`);
  }
}

/**
 * Runs handed from a producer that pushes (the inflater, through DecisionRunReader) to a consumer that pulls (the
 * sheet writer): at most one run waits, so the producer reads on only as fast as the sheets are written.
 */
export interface RunChannel<T> {
  /** Resolves once the consumer can take another; rejects when it stopped. */
  put(run: T): Promise<void>;
  close(): void;
  fail(error: unknown): void;
  runs: AsyncIterable<T>;
}

export function runChannel<T>(): RunChannel<T> {
  const queue: T[] = [];
  let ended = false;
  let failure: { error: unknown } | null = null;
  let stopped = false;
  let wakeConsumer: (() => void) | null = null;
  let wakeProducer: (() => void) | null = null;
  const wake = (which: 'consumer' | 'producer') => {
    const w = which === 'consumer' ? wakeConsumer : wakeProducer;
    if (which === 'consumer') wakeConsumer = null;
    else wakeProducer = null;
    w?.();
  };
  return {
    async put(run) {
      if (stopped) throw new Error('the reader of the runs stopped');
      queue.push(run);
      wake('consumer');
      while (queue.length > 1 && !stopped) await new Promise<void>((resolve) => (wakeProducer = resolve));
      if (stopped) throw new Error('the reader of the runs stopped');
    },
    close() {
      ended = true;
      wake('consumer');
    },
    fail(error) {
      failure ??= { error };
      wake('consumer');
    },
    runs: {
      async *[Symbol.asyncIterator]() {
        try {
          for (;;) {
            if (queue.length) {
              const run = queue.shift()!;
              wake('producer');
              yield run;
              continue;
            }
            if (failure) throw failure.error;
            if (ended) return;
            await new Promise<void>((resolve) => (wakeConsumer = resolve));
          }
        } finally {
          stopped = true;
          queue.length = 0;
          wake('producer');
        }
      },
    },
  };
}
