// Runs @doyensec/electronegativity over electron/ offline (Electron version given with -e) and fails on
// any finding above INFORMATIONAL that is not justified in .electronegativity/justifications.json, and
// on any justification that no longer matches a finding (so the file cannot rot). The scanner always
// exits 0, so the CSV it writes is what is judged. A deliberately insecure sample is scanned too, to
// prove the harness sees findings at all.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '../..');
const scanner = join(repoRoot, 'node_modules/@doyensec/electronegativity/dist/index.js');

interface Finding {
  issue: string;
  severity: string;
  confidence: string;
  filename: string;
  location: string;
  sample: string;
}
interface Justification {
  check: string;
  file: string;
  reason: string;
  verifiedBy: string;
}

async function electronVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(repoRoot, 'node_modules/electron/package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

const SEVERITIES = new Set(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);

/**
 * The scanner's findings. Its CSV writer races with itself (the header is written by one asynchronous writeFile
 * and the rows appended by another, started at once), so under load a row can land before the header or be cut
 * into: a file that does not read as header-then-well-formed-rows is written again, up to four more times.
 */
async function scan(input: string, output: string): Promise<Finding[]> {
  for (let attempt = 1; ; attempt++) {
    await run(process.execPath, [scanner, '-i', input, '-e', await electronVersion(), '-o', output, '-r', '-v', 'false'], {
      cwd: repoRoot,
      timeout: 90_000,
    });
    const findings = readFindings(await readFile(output, 'utf8'));
    if (findings || attempt === 5) {
      expect(findings, `the scanner's CSV (${output}) did not read as a header and well-formed rows in ${attempt} attempts`).not.toBeNull();
      return findings!;
    }
  }
}

function readFindings(csv: string): Finding[] | null {
  if (!csv.startsWith('issue, severity,')) return null;
  const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim() });
  if (!['issue', 'severity', 'filename'].every((f) => parsed.meta.fields?.map((x) => x.trim()).includes(f))) return null;
  const findings = parsed.data.map((row) => ({
    issue: row.issue ?? '',
    severity: (row.severity ?? '').toUpperCase(),
    confidence: row.confidence ?? '',
    filename: row.filename ?? '',
    location: row.location ?? '',
    sample: row.sample ?? '',
  }));
  return parsed.errors.length === 0 && findings.every((f) => /^[A-Z0-9_]+$/.test(f.issue) && SEVERITIES.has(f.severity)) ? findings : null;
}

let work: string;
let ours: Finding[];
let insecure: Finding[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'arw-electronegativity-'));
  const sample = join(work, 'insecure');
  await mkdir(sample);
  await writeFile(
    join(sample, 'main.js'),
    "const { BrowserWindow } = require('electron');\nconst w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });\nw.loadURL('http://example.com');\n",
  );
  [ours, insecure] = await Promise.all([
    scan(join(repoRoot, 'electron'), join(work, 'ours.csv')),
    scan(sample, join(work, 'insecure.csv')),
  ]);
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('electronegativity over electron/', () => {
  it('sees findings in a deliberately insecure sample (the harness is not blind)', () => {
    const issues = insecure.map((f) => f.issue);
    expect(issues).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(issues).toContain('LIMIT_NAVIGATION_GLOBAL_CHECK');
  });

  it('leaves no finding above INFORMATIONAL unless it is justified with a reason', async () => {
    const file = JSON.parse(await readFile(join(repoRoot, '.electronegativity/justifications.json'), 'utf8')) as {
      justifications: Justification[];
    };
    for (const j of file.justifications) {
      expect(j.reason.length, `${j.check}: reason`).toBeGreaterThan(40);
      expect(j.verifiedBy.length, `${j.check}: verifiedBy`).toBeGreaterThan(0);
    }
    const serious = ours.filter((f) => f.severity !== 'INFORMATIONAL');
    const unjustified = serious.filter((f) => !file.justifications.some((j) => j.check === f.issue && j.file === f.filename));
    expect(unjustified, 'unjustified findings').toEqual([]);
    const stale = file.justifications.filter((j) => !serious.some((f) => f.issue === j.check && f.filename === j.file));
    expect(stale, 'justifications that match no finding any more').toEqual([]);
  });

  it('finds none of the high-severity configuration issues in our sources', () => {
    expect(ours.filter((f) => f.severity === 'HIGH')).toEqual([]);
  });
});
