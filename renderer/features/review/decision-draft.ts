// A decision being written for one item: not yet a decision (never in the audit log), kept across reloads.
import type { DecisionAction, ReasonCategory, RemediationLink, RemediationLinkKind } from '../../../shared/review';
import type { RemediationView } from '../../workers';

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
  /** revoke / reduce of inherited access: the link chosen to cut; '' for the first (default) option. */
  cut?: RemediationLinkKind | '';
}

/** The option a draft chooses (the first when it names none), for an action that removes access. */
export function chosenCut(
  options: readonly RemediationView[] | undefined,
  action: DecisionAction,
  cut: DecisionDraft['cut'],
): RemediationView | undefined {
  if (!options?.length || (action !== 'revoke' && action !== 'reduce')) return undefined;
  return options.find((o) => o.link.kind === cut) ?? options[0];
}

/** What the decision event records of the chosen cut: the link with the names the reviewer saw. */
export function recordedCut(o: RemediationView): RemediationLink {
  return { ...o.link, memberName: o.memberName, groupName: o.groupName };
}

export function emptyDraft(action: DecisionAction): DecisionDraft {
  return { mode: 'accept', action, rationale: '', reasonCategory: null, ownerId: '', keepUntil: '' };
}

/** Drafts stored by an older build lack the newer fields. */
export function normalizeDraft(d: Partial<DecisionDraft> & Pick<DecisionDraft, 'action'>): DecisionDraft {
  return { ...emptyDraft(d.action), ...d };
}
