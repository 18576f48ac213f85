// Decision rules: what a reviewer must give for a decision to stand.
import type { DecisionClass, SuggestedAction } from '../suggest/types';
import type { DecisionAction } from './types';

const PLACEHOLDERS = new Set(['ok', 'okay', 'n/a', 'na', 'none', 'nil', 'null', 'fine', 'yes', 'no', 'approved', 'approve', 'lgtm', 'test', 'asdf', 'x', 'xx', 'xxx', 'tbd', 'todo', 'same', 'as above', 'see above', 'done', 'agree', 'agreed', 'keep', 'revoke', 'ok.', '-', '.', '...']);

/** How many identical rationales by one reviewer in one campaign make it a pasted stamp, not a reason. */
export const PASTED_RATIONALE_LIMIT = 5;

export interface RationaleContext {
  suggested: SuggestedAction | null;
  chosen: DecisionAction;
  decisionClass: DecisionClass | null;
  /** How many times this reviewer already used exactly this rationale in this campaign. */
  sameTextCount: number;
}

export function isOverride(suggested: SuggestedAction | null, chosen: DecisionAction): boolean {
  return suggested === null || suggested !== chosen;
}

export function rationaleRequired(ctx: Pick<RationaleContext, 'suggested' | 'chosen' | 'decisionClass'>): boolean {
  return isOverride(ctx.suggested, ctx.chosen) || ctx.decisionClass === 'never-delegate' || ctx.chosen === 'cant-decide';
}

/** Null when the rationale is acceptable; otherwise why not, in words the reviewer can act on. */
export function checkRationale(text: string, ctx: RationaleContext): string | null {
  const t = text.trim();
  const required = rationaleRequired(ctx);
  if (!t) {
    if (!required) return null;
    if (isOverride(ctx.suggested, ctx.chosen)) return 'An override needs a rationale: say why the suggestion is wrong for this item.';
    if (ctx.chosen === 'cant-decide') return 'Say what is missing to decide, so the escalation can be answered.';
    return 'This item is never-delegate: a rationale is always required.';
  }
  if (PLACEHOLDERS.has(t.toLowerCase())) return `"${t}" is a placeholder, not a reason: say what you checked or why.`;
  if (t.replace(/[^\p{L}\p{N}]/gu, '').length < 8 || t.split(/\s+/).length < 2) return 'A rationale needs a few words of real content (at least two words, eight letters or digits).';
  if (ctx.sameTextCount >= PASTED_RATIONALE_LIMIT) return `The same rationale was already used on ${ctx.sameTextCount} items: write a reason for this item.`;
  return null;
}
