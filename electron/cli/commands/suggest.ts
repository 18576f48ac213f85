// `arw suggest PATH... [--policy FILE] [--as-of DATE] [--json]`: import the files (workbench CSV and every other
// format importFiles knows), run the suggestion engine, print a summary or the suggestions as JSON.
// Exit 0 when suggestions were computed, 2 for bad usage, an unreadable input or an invalid policy.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { importFiles, type ImportFile } from '../../../shared/import';
import { parseInstant } from '../../../shared/model/time';
import { DEFAULT_POLICY, ENGINE_VERSION, parsePolicy, policyDigest, suggest, type Policy, type Suggestion } from '../../../shared/suggest';
import { EXIT, UsageError, type CliIo } from '../io';

interface Args {
  paths: string[];
  policy?: string;
  asOf?: string;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { paths: [], json: false };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    const value = (name: string) => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++k];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (a === '--json') args.json = true;
    else if (a === '--policy' || a.startsWith('--policy=')) args.policy = value('--policy');
    else if (a === '--as-of' || a.startsWith('--as-of=')) args.asOf = value('--as-of');
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}; usage: arw suggest PATH... [--policy FILE] [--as-of DATE] [--json]`);
    else args.paths.push(a);
  }
  if (!args.paths.length) throw new UsageError('no input; usage: arw suggest PATH... [--policy FILE] [--as-of DATE] [--json]');
  return args;
}

/** Files of each PATH: a file as is, a folder's files (not recursive, sorted by name so runs are reproducible). */
function readInputs(paths: string[], cwd: string): ImportFile[] {
  const files: ImportFile[] = [];
  for (const p of paths) {
    const full = resolve(cwd, p);
    let st;
    try {
      st = statSync(full);
    } catch {
      throw new UsageError(`cannot read ${p}: no such file or folder`);
    }
    const names = st.isDirectory()
      ? readdirSync(full)
          .filter((n) => !n.startsWith('.') && statSync(join(full, n)).isFile())
          .sort()
          .map((n) => join(full, n))
      : [full];
    for (const f of names) {
      const bytes = new Uint8Array(readFileSync(f));
      files.push({ name: basename(f), bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
  }
  return files;
}

function loadPolicy(file: string | undefined, cwd: string): Policy {
  if (!file) return DEFAULT_POLICY;
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch {
    throw new UsageError(`cannot read policy ${file}`);
  }
  const parsed = parsePolicy(text);
  if (!parsed.ok) throw new UsageError(`policy ${file} is not valid:\n${parsed.errors.map((e) => `  ${e}`).join('\n')}`);
  return parsed.policy;
}

/** The JSON form of one suggestion (stable key order). */
function toJson(s: Suggestion) {
  return {
    identityId: s.identityId,
    entitlementId: s.entitlementId ?? null,
    credentialId: s.credentialId ?? null,
    action: s.action,
    confidence: s.confidence,
    riskTier: s.riskTier,
    decisionClass: s.decisionClass,
    signals: s.signals.map((g) => ({ id: g.id, message: g.message, value: g.value, threshold: g.threshold })),
  };
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  let asOf = Date.now();
  if (args.asOf !== undefined) {
    asOf = parseInstant(args.asOf);
    if (Number.isNaN(asOf)) throw new UsageError(`--as-of "${args.asOf}" is not an ISO 8601 date (e.g. 2026-06-30)`);
  }
  const policy = loadPolicy(args.policy, io.cwd);
  const files = readInputs(args.paths, io.cwd);
  const imported = importFiles(files);
  for (const r of imported.refused) io.err(`arw suggest: ${r.file}: ${r.message}`);
  const rowErrors = imported.files.flatMap((f) => f.errors);
  for (const e of rowErrors.slice(0, 20)) io.err(`arw suggest: ${e.file}:${e.line}${e.field ? ` (${e.field})` : ''}: ${e.message}`);
  if (rowErrors.length > 20) io.err(`arw suggest: ... and ${rowErrors.length - 20} more row errors (rows with errors are left out)`);
  if (!imported.data.identities.length && !imported.data.assignments.length) {
    io.err('arw suggest: no identity data in the input');
    return EXIT.usage;
  }
  const suggestions = suggest(imported.data, policy, { asOf });
  const digest = policyDigest(policy);
  if (args.json) {
    // Written piece by piece: a million suggestions do not fit in one string.
    io.out(`{"engine":${JSON.stringify(ENGINE_VERSION)},"policyDigest":${JSON.stringify(digest)},"asOf":${JSON.stringify(new Date(asOf).toISOString())},"suggestions":[`);
    for (let k = 0; k < suggestions.length; k++) io.out(`${JSON.stringify(toJson(suggestions[k]!))}${k < suggestions.length - 1 ? ',' : ''}`);
    io.out(']}');
    return EXIT.ok;
  }
  io.out(summary(suggestions, policy, digest, asOf, imported.data.assignments.length));
  return EXIT.ok;
}

function summary(suggestions: Suggestion[], policy: Policy, digest: string, asOf: number, assignments: number): string {
  const count = <K extends string>(key: (s: Suggestion) => K) => {
    const m = new Map<K, number>();
    for (const s of suggestions) m.set(key(s), (m.get(key(s)) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  const fmt = (pairs: [string, number][]) => pairs.map(([k, n]) => `${k} ${n}`).join(', ');
  // "none" is no suggestion (no evidence either way): counted apart, never listed as a change.
  const flagged = suggestions.filter((s) => s.action !== 'keep' && s.action !== 'none').sort((a, b) => b.confidence - a.confidence || a.itemId.localeCompare(b.itemId));
  const lines = [
    `engine ${ENGINE_VERSION}; policy "${policy.name}" v${policy.version} (${digest}); as of ${new Date(asOf).toISOString().slice(0, 10)}`,
    `${suggestions.length} review items (${assignments} assignments): ${fmt(count((s) => (s.action === 'none' ? 'no suggestion' : s.action)))}`,
    `risk tiers: ${fmt(count((s) => s.riskTier))}`,
    `decision classes: ${fmt(count((s) => s.decisionClass))}`,
  ];
  if (flagged.length) {
    lines.push('', `${flagged.length} suggested changes${flagged.length > 25 ? ' (25 most confident shown; --json for all)' : ''}:`);
    for (const s of flagged.slice(0, 25)) {
      const target = s.entitlementId ?? s.credentialId ?? '(identity)';
      lines.push(`  ${s.action.padEnd(13)} ${s.identityId} ${target}  confidence ${s.confidence.toFixed(2)}, ${s.riskTier}, ${s.decisionClass}`);
      lines.push(`      ${s.signals[0]?.message ?? ''}`);
    }
  }
  return lines.join('\n');
}
