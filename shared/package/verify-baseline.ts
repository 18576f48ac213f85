// The verifier's `baseline` check: a package that names the certification its campaign started from holds that link
// consistently (statement, campaign-created event, carried decisions, baseline-changes.json), and, when the baseline
// package itself is supplied, that package verifies, is the one the link names, and carried the decisions it says.
import { StandingDecisionLog, type AuditEvent, type BaselineChanges } from '../review';
import {
  asLink,
  baselineLinkProblems,
  linkDifference,
  baselineMatchProblems,
  carriedKey,
  packageDigestOf,
  priorDecisions,
  readBaselineChanges,
  sameLink,
} from './baseline-link';
import { BASELINE_CHANGES_FILE } from './package-layout';
import type { Opened } from './package-opening';
import type { BaselineReport, PackageItem, VerifyReport } from './types';

/** The baseline package, verified on its own before the package that names it. */
export interface SuppliedBaseline {
  bytes: Uint8Array;
  report: VerifyReport;
}

export interface BaselineInputs {
  items: readonly PackageItem[] | null;
  /** Each campaign-created event's details.baseline (null when the log could not be read). */
  campaignBaselines: readonly unknown[] | null;
  /** The audit events, read whole (asked for only when the package names a baseline or carries decisions). */
  events: () => Promise<readonly AuditEvent[] | null>;
  supplied: SuppliedBaseline | null;
}

export async function checkBaseline(opened: Opened, inputs: BaselineInputs): Promise<BaselineReport | null> {
  const { log, statement } = opened;
  log.markRan('baseline');
  const fail = (message: string, itemId?: string) => log.fail('baseline', message, itemId !== undefined ? { itemId } : {});
  const link = statement?.predicate.baseline;
  const items = inputs.items ?? [];
  const recorded = (inputs.campaignBaselines ?? []).filter((b) => b !== null && b !== undefined);
  const carriedItems = items.filter((i) => i.decision?.carried);
  if (!link) {
    if (recorded.length) fail('the campaign-created event names a baseline certification, but the statement names none');
    if (carriedItems.length) fail(`${carriedItems.length} decision(s) are carried from a baseline, but the statement names none`);
    if (inputs.supplied) fail('a baseline package was supplied, but this package names no baseline: there is nothing to check it against');
    return null;
  }
  if (inputs.campaignBaselines !== null) {
    if (!recorded.length) fail('the statement names a baseline, but the campaign-created event does not');
    for (const b of recorded) {
      const l = asLink(b);
      if (!l) fail("the campaign-created event's details.baseline is not a baseline link");
      else if (!sameLink(l, link))
        fail(`the campaign-created event names another baseline than the statement (${linkDifference(l, link)})`);
    }
  }
  const changes = await readChanges(opened, fail);
  if (changes) for (const p of baselineLinkProblems(link, changes, items)) fail(p.message, p.itemId);
  await checkCarriedAgainstLog(items, inputs.events, fail);
  const report: BaselineReport = {
    link,
    counts: changes?.counts ?? null,
    carried: carriedItems.length,
    fresh: items.filter((i) => i.decision && !i.decision.carried && i.decision.action !== 'cant-decide').length,
    supplied: null,
  };
  if (!inputs.supplied) {
    log.warn(
      'baseline',
      `the baseline package (${link.packageDigest}) was not supplied: the carried decisions were checked against the link, not against the baseline's own decisions (arw verify PKG --baseline BASELINE.arwpkg)`,
    );
    return report;
  }
  const { bytes, report: old } = inputs.supplied;
  const packageDigest = await packageDigestOf(bytes);
  const packageDigestMatches = packageDigest === link.packageDigest;
  const statementDigestMatches = old.statementDigest === link.statementDigest;
  report.supplied = {
    verdict: old.verdict,
    packageDigestMatches,
    statementDigestMatches,
    reasons: old.reasons.slice(0, 25),
    follows: old.baseline?.link ?? null,
  };
  if (old.verdict !== 'valid') {
    const why = old.reasons.length
      ? old.reasons
          .slice(0, 3)
          .map((r) => `[${r.check}] ${r.message}`)
          .join('; ')
      : `${old.undecidedCount} item(s) without a final decision`;
    fail(`the baseline package does not verify (${old.verdict}), so it cannot be a baseline: ${why}`);
  }
  if (!packageDigestMatches)
    fail(
      `the baseline package supplied is not the one the link names: its SHA-256 is ${packageDigest}, the link names ${link.packageDigest}`,
    );
  if (!statementDigestMatches)
    fail(`the baseline package's statement digest is ${old.statementDigest ?? '(unreadable)'}, the link names ${link.statementDigest}`);
  if (old.verdict === 'valid' && packageDigestMatches && statementDigestMatches && old.statement) {
    for (const p of baselineMatchProblems(link, old.statement, priorDecisions(old), changes, items)) fail(p.message, p.itemId);
  }
  return report;
}

async function readChanges(opened: Opened, fail: (message: string) => void): Promise<BaselineChanges | null> {
  const bytes = await opened.entries.get(BASELINE_CHANGES_FILE);
  if (!bytes) {
    if (!opened.entries.isDamaged(BASELINE_CHANGES_FILE)) fail(`the statement names a baseline, but ${BASELINE_CHANGES_FILE} is missing`);
    return null;
  }
  const read = readBaselineChanges(bytes, BASELINE_CHANGES_FILE);
  if (read.ok) return read.value;
  for (const problem of read.problems) fail(problem);
  return null;
}

/** decisions.json says an item's decision was carried exactly when its standing decision event does, and the same. */
async function checkCarriedAgainstLog(
  items: readonly PackageItem[],
  events: () => Promise<readonly AuditEvent[] | null>,
  fail: (message: string, itemId?: string) => void,
): Promise<void> {
  const all = await events();
  if (!all) return;
  const standing = new StandingDecisionLog();
  for (const e of all) standing.apply(e);
  for (const item of items) {
    if (!item.decision) continue;
    const inLog = standing.current(item.itemId)?.carried;
    if (carriedKey(item.decision.carried) !== carriedKey(inLog)) {
      fail(
        item.decision.carried
          ? inLog
            ? 'decisions.json carries another prior decision than the decision event does'
            : 'decisions.json says the decision was carried, but the decision event does not'
          : 'the decision event confirms a carried prior decision, but decisions.json does not say so',
        item.itemId,
      );
    }
  }
}
