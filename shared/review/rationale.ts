// Rationale quality: a rationale must say something specific about this access. Not a phrase list: the text is cut
// into words, every word of the generic review vocabulary (approval words, filler, stop-words, vague nouns like
// "access" or "policy") is set aside, and what remains must hold enough specific content — a system, a task, a
// person, a date, a ticket, a number — and not be the same reason the reviewer already gave elsewhere.
// The rule and its lexicon are documented in docs/review-rules.md.
import type { DecisionClass } from '../suggest';
import type { DecisionAction, ReasonCategory } from './types';

export interface RationaleItemContext {
  identityName?: string;
  targetName?: string;
  application?: string;
}

export interface RationaleProblemContext {
  item?: RationaleItemContext;
  /** The action the reason is for (an override's chosen action, an approval's approved action). */
  action?: DecisionAction;
  decisionClass?: DecisionClass | null;
  reasonCategory?: ReasonCategory;
  /** The same reviewer's rationales on other items in this campaign (most recent first; a few dozen suffice). */
  recentRationales?: readonly string[];
}

/**
 * Words that carry no reason on their own: approval and review verbs, judgements, filler, pronouns, stop-words and
 * the vague nouns of any access review. Kept as stems (see stem()) so inflections and spellings fall in too.
 */
const GENERIC = new Set(
  `
a an the this that these those it its it's is are was were be been being am do does did done doing have has had having
i me my mine we us our ours you your he him his she her they them their someone somebody anyone everyone
everything something anything whatever thing things stuff here there where when now yet again which who whom what
and or but so as per to of in on at by for from with without into onto about over under via than then also too
very really quite just still all any some every each no not none nothing yes yeah yep ok okay k kk fine good great
nice cool correct right proper properly valid appropriate appropriately acceptable reasonable sensible normal
standard usual expected needed need needs necessary required require requires requirement requirements
approve approved approves approving approval approvals accept accepted accepting acceptance agree agreed agreeing
confirm confirmed confirming confirmation verified verify verifying validated validate checked check checking
review reviewed reviewing reviewer reviews looked look looks looking seen see saw seems seem appears
keep kept keeping retain retained remain remains stay stays continue continued leave left as-is asis
revoke revoked remove removed removing reduce reduced rotate rotated disable disabled
lgtm lgtm ack acked noted note notes sure certainly definitely absolutely obviously clearly
policy policies guideline guidelines rule rules standards procedure process compliance compliant
access accesses permission permissions privilege privileges entitlement entitlements right rights role roles
account accounts user users item items request requests grant granted grants group membership
business reason reasons rationale justification justified justify purpose purposes
job work working works duty duties task tasks function functions responsibility responsibilities daily
current currently existing existent already still same before previously prior above below aforementioned
suggestion suggested suggest engine assistant ai recommendation recommended
per as-per according accordance line inline consistent align aligned aligns
nothing issue issues problem problems concern concerns risk risks
team teams department manager management owner owners business-owner
fine-by-me by me should would could will can may might must shall
n/a na nil null none tbd todo test asdf etc misc other others various general generally overall
please thanks thank ty
`
    .split(/\s+/)
    .filter(Boolean)
    .map(stem),
);

/** Letters folded to lower case; apostrophes and accents dropped; a trailing plural or tense ending cut. */
function stem(word: string): string {
  let w = word
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’]/g, '');
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && w.endsWith('es') && !w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 6 && w.endsWith('ing')) w = w.slice(0, -3);
  return w;
}

// Words of one letter (and of two without a digit) are too short to carry a reason on their own.
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}'’._/-]*/gu;

/** The words of a text as the rule sees them: lower case, stemmed, split at punctuation (dates and ids kept whole). */
export function rationaleTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const raw = m[0].replace(/[._/-]+$/, '');
    const hasDigit = /\p{N}/u.test(raw);
    // A word with inner punctuation is kept whole when it holds a digit (a date, a ticket, a version), else split.
    const parts = hasDigit ? [raw] : raw.split(/[._/'’-]+/).filter(Boolean);
    for (const p of parts) out.push(hasDigit ? p.toLowerCase() : stem(p));
  }
  return out;
}

/** A specific word: not in the generic lexicon, and long enough to name something (or holding a digit). */
function isSpecific(token: string): boolean {
  if (GENERIC.has(token)) return false;
  if (/\p{N}/u.test(token)) return /\p{L}/u.test(token) || token.length >= 2;
  return token.length >= 3;
}

/** The specific words of a text (see the file's head), in order, each once. */
export function specificTokens(text: string): string[] {
  return [...new Set(rationaleTokens(text).filter(isSpecific))];
}

/** How many specific words a rationale needs (every real reason of the tuning set has four or more)... */
export const MIN_SPECIFIC_TOKENS = 3;
/** ...or this many when one of them holds a digit (a date, a ticket, an amount). */
export const MIN_SPECIFIC_TOKENS_WITH_NUMBER = 2;
/** Share of specific words two rationales must share (Jaccard) to count as the same text. */
export const NEAR_DUPLICATE_SIMILARITY = 0.8;
/** How many earlier uses of the same text make it a pasted stamp (1: any reuse on another item). */
export const PASTED_RATIONALE_LIMIT = 1;

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (!a.length && !b.length) return 1;
  const sb = new Set(b);
  let shared = 0;
  for (const t of a) if (sb.has(t)) shared++;
  return shared / (a.length + sb.size - shared);
}

/** True when two rationales say the same thing (same specific words, at least NEAR_DUPLICATE_SIMILARITY alike). */
export function sameRationale(a: string, b: string): boolean {
  const ta = specificTokens(a);
  const tb = specificTokens(b);
  if (!ta.length || !tb.length) return normalized(a) === normalized(b);
  return jaccard(ta, tb) >= NEAR_DUPLICATE_SIMILARITY;
}

function normalized(text: string): string {
  return rationaleTokens(text).join(' ');
}

/**
 * Null when `text` is an acceptable rationale; otherwise what is wrong with it, in words a reviewer can act on.
 * It judges the text only; whether a rationale is required at all is rationaleRequired's (rules.ts) to say.
 */
export function rationaleProblem(text: string, context: RationaleProblemContext = {}): string | null {
  const t = text.trim();
  if (!t) return 'A rationale is required: say in one sentence why, specifically for this access.';
  const specific = specificTokens(t);
  if (specific.length === 0)
    return `"${clip(t)}" says nothing specific about this access: name what it is used for, who confirmed it, a ticket, a date or a control.`;
  const numbered = specific.some((tok) => /\p{N}/u.test(tok));
  if (specific.length < (numbered ? MIN_SPECIFIC_TOKENS_WITH_NUMBER : MIN_SPECIFIC_TOKENS)) {
    return `"${clip(t)}" is too generic: add what the access is used for, who confirmed it, or a ticket, date or system (only "${specific.join(', ')}" is specific).`;
  }
  // Naming only the item itself (its identity, entitlement or application) is no reason either.
  const item = context.item;
  if (item) {
    const own = new Set(specificTokens([item.identityName, item.targetName, item.application].filter(Boolean).join(' ')));
    const beyond = specific.filter((tok) => !own.has(tok));
    if (beyond.length < 1) return `"${clip(t)}" only names the item itself: say why this access is right or wrong for it.`;
  }
  const recent = context.recentRationales ?? [];
  let same = 0;
  for (const r of recent) if (r.trim() && sameRationale(t, r)) same++;
  if (same >= PASTED_RATIONALE_LIMIT)
    return `The same rationale was already used on ${same} other item${same === 1 ? '' : 's'}: write the reason for this item.`;
  return null;
}

function clip(t: string): string {
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
}
