// `arw verify --json` writes its report a piece at a time (writeJsonPieces): the report of 1,000,000 decisions is
// longer than one string can hold. The text must be exactly JSON.stringify(report, null, 2), whatever the values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeJsonPieces } from '../../electron/cli/display';
import { main } from '../../electron/cli/arw';

function pieces(value: Record<string, unknown>, key: string): { text: string; count: number } {
  const out: string[] = [];
  writeJsonPieces((t) => out.push(t), value, key);
  return { text: out.map((t) => `${t}\n`).join(''), count: out.length };
}

describe('writeJsonPieces', () => {
  it('writes JSON.stringify(value, null, 2), one piece per element of the list', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.dictionary(fc.string(), fc.jsonValue()),
        (before, list, after) => {
          const value = { ...before, decisions: list, ...after };
          const { text, count } = pieces(value, 'decisions');
          expect(text).toBe(`${JSON.stringify(value, null, 2)}\n`);
          if (Array.isArray(value.decisions) && value.decisions.length) expect(count).toBe(value.decisions.length + 2);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('arw verify --json: the sample package report, parsed, names every decision', async () => {
    const out: string[] = [];
    const code = await main(
      ['verify', 'test/fixtures/packages/sample.arwpkg', '--trust', 'test/fixtures/packages/trusted-keys.json', '--json'],
      { out: (t) => out.push(t), err: () => undefined, cwd: process.cwd() },
    );
    expect(code).toBe(0);
    const report = JSON.parse(out.join('\n')) as { verdict: string; decisions: unknown[]; counts: { actual: { items: number } } };
    expect(report.verdict).toBe('valid');
    expect(report.decisions.length).toBe(report.counts.actual.items);
    expect(out.length).toBe(report.decisions.length + 2);
  });
});
