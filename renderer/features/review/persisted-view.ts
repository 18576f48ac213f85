// The review screen's working state kept across a reload or a crash: filters, grouping, sort, the selected item
// and an unsaved draft (a draft is not a decision: it is never in the audit log). Written synchronously to
// localStorage on every change, so a crash a moment after typing loses nothing.
import type { GroupBy, SortBy } from './table-view';
import type { DecisionDraft } from './decision-draft';

export interface ReviewFilters {
  search: string;
  risk: string | null;
  status: string | null;
  action: string | null;
  identityClass: string | null;
  mine: 'mine' | 'all';
  groupBy: GroupBy;
  sortBy: SortBy;
}

export const DEFAULT_FILTERS: ReviewFilters = {
  search: '',
  risk: null,
  status: null,
  action: null,
  identityClass: null,
  mine: 'all',
  groupBy: 'none',
  sortBy: 'engine',
};

export interface PersistedReview {
  filters: ReviewFilters;
  selectedItemId: string | null;
  /** The draft of one item, with the reviewer who was writing it (another reviewer does not inherit it). */
  draft: { itemId: string; reviewerId: string | null; draft: DecisionDraft } | null;
}

const key = (campaignId: string) => `arw:review:${campaignId}`;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function loadReviewView(campaignId: string): PersistedReview {
  const empty: PersistedReview = { filters: DEFAULT_FILTERS, selectedItemId: null, draft: null };
  const raw = storage()?.getItem(key(campaignId));
  if (!raw) return empty;
  try {
    const v = JSON.parse(raw) as Partial<PersistedReview>;
    return {
      filters: { ...DEFAULT_FILTERS, ...(v.filters ?? {}) },
      selectedItemId: typeof v.selectedItemId === 'string' ? v.selectedItemId : null,
      draft: v.draft && typeof v.draft.itemId === 'string' && v.draft.draft ? v.draft : null,
    };
  } catch {
    return empty;
  }
}

export function saveReviewView(campaignId: string, view: PersistedReview): void {
  try {
    storage()?.setItem(key(campaignId), JSON.stringify(view));
  } catch {
    // A full or unavailable storage only costs the restore after a reload; decisions are in IndexedDB.
  }
}
