// A decision being written for one item: not yet a decision (never in the audit log), kept across reloads.
import type { DecisionAction, ReasonCategory } from '../../../shared/review';

export interface DecisionDraft {
  mode: 'accept' | 'override';
  action: DecisionAction;
  rationale: string;
  /** Why, from the short list; null until chosen. */
  reasonCategory: ReasonCategory | null;
  /** assign-owner: the identity id of the owner chosen. */
  ownerId: string;
  /** keep as a time-bound exception: YYYY-MM-DD, or '' for a plain keep. */
  keepUntil: string;
}

export function emptyDraft(action: DecisionAction): DecisionDraft {
  return { mode: 'accept', action, rationale: '', reasonCategory: null, ownerId: '', keepUntil: '' };
}

/** Drafts stored by an older build lack the newer fields. */
export function normalizeDraft(d: Partial<DecisionDraft> & Pick<DecisionDraft, 'action'>): DecisionDraft {
  return { ...emptyDraft(d.action), ...d };
}
