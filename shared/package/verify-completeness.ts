// The verifier's completeness and counts checks, over what decisions.json's reading gathered (verify-package.ts).
import type { Opened } from './package-opening';
import type { CompletenessReport, PackageCounts } from './types';
import type { FindingLog } from './verify-findings';

/** What the checks need of decisions.json, gathered one item at a time as it is read. */
export interface CompletenessTally {
  readonly completeness: CompletenessReport;
  /** Every completeness problem that breaks a rule, in file order. */
  readonly incomplete: readonly { itemId: string; message: string }[];
  readonly counts: PackageCounts;
  readonly weakRationales: readonly string[];
  readonly weakRationaleCount: number;
}

export function checkCompleteness(log: FindingLog, tally: CompletenessTally | null): CompletenessReport | null {
  log.markRan('completeness');
  if (!tally) {
    log.fail('completeness', 'completeness cannot be checked: decisions.json is missing or unreadable');
    return null;
  }
  for (const { itemId, message } of tally.incomplete) log.fail('completeness', message, { itemId });
  const weak = tally.weakRationaleCount;
  if (weak)
    log.warn(
      'completeness',
      `${weak} required rationale${weak === 1 ? '' : 's'} (override or never-delegate) say${weak === 1 ? 's' : ''} nothing specific about the access (the rationale rule would refuse ${weak === 1 ? 'it' : 'them'}): ${tally.weakRationales.join(', ')}${weak > tally.weakRationales.length ? ', …' : ''}`,
    );
  return tally.completeness;
}

export function checkCounts(
  opened: Opened,
  tally: CompletenessTally | null,
): { manifest: PackageCounts | null; actual: PackageCounts | null } {
  const { log, statement } = opened;
  log.markRan('counts');
  const manifest = statement?.predicate.counts ?? null;
  const actual = tally ? tally.counts : null;
  if (manifest && actual) {
    for (const key of Object.keys(actual) as Array<keyof PackageCounts>) {
      // A manifest signed before 'no suggestion' was counted apart does not state it: nothing to compare.
      if (key === 'noSuggestion' && manifest[key] === undefined) continue;
      if (manifest[key] !== actual[key])
        log.fail('counts', `the manifest counts ${manifest[key]} ${key}; decisions.json has ${actual[key]}`);
    }
  } else log.fail('counts', 'the counts cannot be checked without the manifest and decisions.json');
  return { manifest, actual };
}
