// The layout of the two exchange archives of a multi-laptop campaign (docs/campaign-exchange.md): a work package
// (owner → reviewer) and a decision set (reviewer → owner). Both are ZIP archives with an in-toto Statement over
// their files and a DSSE envelope, like the certification package, but with their own predicate types.

export const WORK_PACKAGE_EXTENSION = '.arwwork';
export const DECISION_SET_EXTENSION = '.arwdec';

export const WORK_PACKAGE_PREDICATE = 'https://arw.dev/work-package/v1';
export const DECISION_SET_PREDICATE = 'https://arw.dev/decision-set/v1';
export const WORK_ITEMS_SCHEMA = 'arw-work-items/v1';
export const DRIFT_METRICS_SCHEMA = 'arw-drift-metrics/v1';

/** Subject files of a work package, in archive order (after manifest.intoto.json and manifest.dsse.json). */
export const WORK_PACKAGE_FILES = ['items.json', 'policy.json'] as const;
/** Subject files of a decision set, in archive order. */
export const DECISION_SET_FILES = ['events.jsonl', 'metrics.json'] as const;

export type ExchangeKind = 'work-package' | 'decision-set';
