// `arw suggest PATH... [--policy FILE] [--as-of DATE] [--json]`: import the files (workbench CSV and every other
// format importFiles knows), run the suggestion engine, print a summary or the suggestions as JSON.
// Exit 0 when suggestions were computed, 2 for bad usage, an unreadable or refused input or an invalid policy.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { importFiles, type ImportFile } from '../../../shared/import';
import { parseInstant } from '../../../shared/model';
import { DEFAULT_POLICY, ENGINE_VERSION, parsePolicy, policyDigest, suggest, type Policy, type Suggestion } from '../../../shared/suggest';
import { parseCommandArgs } from '../args';
import { displaySafe, escapeControls } from '../display';
import { SMALL_FILE_LIMIT_BYTES, assertRegular, formatLimit, importLimitBytes, readInput, statInput } from '../input';
import { EXIT, InputError, UsageError, reportingInputErrors, type CliIo } from '../io';

interface Args {
  paths: string[];
  policy?: string;
  asOf?: string;
  json: boolean;
  /** The file name standard input (`-`) stands for: formats are detected by name and content. */
  stdinName?: string;
}

const USAGE = 'usage: arw suggest PATH|-... [--policy FILE] [--as-of DATE] [--json] [--stdin-name NAME]';

function parseSuggestArgs(argv: string[]): Args & { help: boolean } {
  const { help, values, positionals } = parseCommandArgs(
    argv,
    {
      json: { type: 'boolean' },
      policy: { type: 'string', value: 'a policy file: --policy POLICY.yaml' },
      'as-of': { type: 'string', value: 'a date: --as-of 2026-06-30' },
      'stdin-name': { type: 'string', value: 'the file name standard input stands for' },
    },
    USAGE,
  );
  const args: Args & { help: boolean } = { help, paths: positionals, json: values.json === true };
  if (typeof values.policy === 'string') args.policy = values.policy;
  if (typeof values['as-of'] === 'string') args.asOf = values['as-of'];
  if (typeof values['stdin-name'] === 'string') args.stdinName = values['stdin-name'];
  if (!help && !args.paths.length) throw new UsageError(`no input\n${USAGE}`);
  return args;
}

/** Files of each PATH: a file as is, a folder's regular files (not recursive, sorted by name so runs are reproducible), `-` standard input. */
async function readInputs(paths: string[], cwd: string, stdinName = '-'): Promise<ImportFile[]> {
  const found: { path: string; name: string; size: number }[] = [];
  for (const p of paths) {
    if (p === '-') continue;
    const full = resolve(cwd, p);
    const st = statInput(full, p);
    if (st.isDirectory()) {
      for (const n of readdirSync(full).sort()) {
        if (n.startsWith('.')) continue;
        const inner = statSync(join(full, n));
        if (inner.isFile()) found.push({ path: join(full, n), name: n, size: inner.size });
      }
    } else {
      assertRegular(st, p);
      found.push({ path: full, name: basename(full), size: st.size });
    }
  }
  const limit = importLimitBytes();
  const total = found.reduce((sum, f) => sum + f.size, 0);
  if (total > limit)
    throw new InputError(
      `${found.length === 1 ? found[0]!.name : `the ${found.length} files`} ${found.length === 1 ? 'is' : 'are'} ${formatLimit(total)}, over the limit of ${formatLimit(limit)} one import can hold in this process`,
    );
  const files: ImportFile[] = [];
  const add = (name: string, bytes: Uint8Array) => files.push({ name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
  if (paths.includes('-')) add(stdinName, await readInput('-', 'standard input', limit - total, 'one import'));
  for (const f of found) add(f.name, await readInput(f.path, f.name, limit, 'one import'));
  return files;
}

async function loadPolicy(file: string | undefined, cwd: string): Promise<Policy> {
  if (!file) return DEFAULT_POLICY;
  const text = new TextDecoder().decode(await readInput(resolve(cwd, file), `policy ${file}`, SMALL_FILE_LIMIT_BYTES, 'a policy'));
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

export const run = reportingInputErrors('suggest', async (argv: string[], io: CliIo): Promise<number> => {
  const args = parseSuggestArgs(argv);
  if (args.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  let asOf = Date.now();
  if (args.asOf !== undefined) {
    asOf = parseInstant(args.asOf);
    if (Number.isNaN(asOf)) throw new UsageError(`--as-of "${args.asOf}" is not an ISO 8601 date (e.g. 2026-06-30)`);
  }
  const policy = await loadPolicy(args.policy, io.cwd);
  const files = await readInputs(args.paths, io.cwd, args.stdinName);
  const imported = importFiles(files);
  for (const r of imported.refused) io.err(`arw suggest: ${escapeControls(r.file)}: ${escapeControls(r.message)}`);
  const rowErrors = imported.files.flatMap((f) => f.errors);
  for (const e of displaySafe(rowErrors.slice(0, 20)))
    io.err(`arw suggest: ${e.file}:${e.line}${e.field ? ` (${e.field})` : ''}: ${e.message}`);
  if (rowErrors.length > 20) io.err(`arw suggest: ... and ${rowErrors.length - 20} more row errors (rows with errors are left out)`);
  if (!imported.data.identities.length && !imported.data.assignments.length) {
    io.err('arw suggest: no identity data in the input');
    return EXIT.usage;
  }
  const suggestions = suggest(imported.data, policy, { asOf });
  const digest = policyDigest(policy);
  if (args.json) {
    // Written piece by piece: a million suggestions do not fit in one string.
    io.out(
      `{"engine":${JSON.stringify(ENGINE_VERSION)},"policyDigest":${JSON.stringify(digest)},"asOf":${JSON.stringify(new Date(asOf).toISOString())},"suggestions":[`,
    );
    for (let k = 0; k < suggestions.length; k++)
      io.out(`${JSON.stringify(toJson(suggestions[k]!))}${k < suggestions.length - 1 ? ',' : ''}`);
    io.out(']}');
    return EXIT.ok;
  }
  io.out(summary(suggestions, policy, digest, asOf, imported.data.assignments.length));
  return EXIT.ok;
});

function summary(suggestions: Suggestion[], policy: Policy, digest: string, asOf: number, assignments: number): string {
  const count = <K extends string>(key: (s: Suggestion) => K) => {
    const m = new Map<K, number>();
    for (const s of suggestions) m.set(key(s), (m.get(key(s)) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  const fmt = (pairs: [string, number][]) => pairs.map(([k, n]) => `${k} ${n}`).join(', ');
  // "none" is no suggestion (no evidence either way): counted apart, never listed as a change.
  const flagged = suggestions
    .filter((s) => s.action !== 'keep' && s.action !== 'none')
    .sort((a, b) => b.confidence - a.confidence || a.itemId.localeCompare(b.itemId));
  const lines = [
    `engine ${ENGINE_VERSION}; policy "${escapeControls(policy.name)}" v${escapeControls(String(policy.version))} (${digest}); as of ${new Date(asOf).toISOString().slice(0, 10)}`,
    `${suggestions.length} review items (${assignments} assignments): ${fmt(count((s) => (s.action === 'none' ? 'no suggestion' : s.action)))}`,
    `risk tiers: ${fmt(count((s) => s.riskTier))}`,
    `decision classes: ${fmt(count((s) => s.decisionClass))}`,
  ];
  if (flagged.length) {
    lines.push('', `${flagged.length} suggested changes${flagged.length > 25 ? ' (25 most confident shown; --json for all)' : ''}:`);
    for (const s of flagged.slice(0, 25)) {
      const target = s.entitlementId ?? s.credentialId ?? '(identity)';
      // Ids and messages carry imported text: escaped (display.ts).
      lines.push(
        `  ${s.action.padEnd(13)} ${escapeControls(s.identityId)} ${escapeControls(target)}  confidence ${s.confidence.toFixed(2)}, ${s.riskTier}, ${s.decisionClass}`,
      );
      lines.push(`      ${escapeControls(s.signals[0]?.message ?? '')}`);
    }
  }
  return lines.join('\n');
}
