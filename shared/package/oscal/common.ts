// What both OSCAL documents share: their input, metadata (reviewers as parties), actors, wording of actions, and a
// JSON layout with one list entry per line (readable, diff-friendly, and fast to write for 100,000 entries).
import { itemLabel } from '../certification-rules';
import type { CertificationPredicate, HumanDecision, PackageItem, RemediationKind, RemediationPlan } from '../types';
import type { TextSink } from './render';
import { markupLine, oscalDateTime, oscalString, prop, type OscalProp } from './text';
import { uuidMaker } from './uuid';

export const OSCAL_VERSION = '1.0.6';

/** Everything the documents are rendered from: the verifier has the same three, so it renders them again. */
export interface OscalInput {
  predicate: CertificationPredicate;
  /** decisions.json's items, in file order. */
  items: readonly PackageItem[];
  /** remediation.json's plan (systems and actions in its order). */
  plan: RemediationPlan;
}

/**
 * The control each review result speaks to: NIST SP 800-53 Rev. 5 AC-2 item j ("review accounts for compliance with
 * account management requirements"), the control an access recertification carries out.
 */
export const REVIEWED_CONTROL = { controlId: 'ac-2', statementId: 'ac-2_smt.j' } as const;

const ACTION_WORDS: Record<HumanDecision['action'] | RemediationKind, string> = {
  keep: 'Keep',
  revoke: 'Revoke',
  reduce: 'Reduce',
  rotate: 'Rotate',
  'disable-login': 'Disable login',
  'assign-owner': 'Assign owner',
  'cant-decide': 'Escalate',
  exception: 'Exception',
};

export function actionWords(action: HumanDecision['action'] | RemediationKind): string {
  return ACTION_WORDS[action];
}

export function label(item: Pick<PackageItem, 'identity' | 'target'>): string {
  return itemLabel(item);
}

type EntryKind = 'observation' | 'finding' | 'poam-item' | 'party';

export interface Uuids {
  of(kind: EntryKind, id: string): string;
}

export function uuids(predicate: CertificationPredicate): Uuids {
  const campaignId = predicate.campaign.id;
  const makers = new Map<EntryKind, (id: string) => string>();
  const maker = (kind: EntryKind) => {
    let make = makers.get(kind);
    if (!make) makers.set(kind, (make = uuidMaker(kind, campaignId)));
    return make;
  };
  // A reviewer's party UUID is named by every one of their entries: made once.
  const parties = new Map<string, string>();
  return {
    of: (kind, id) => {
      if (kind !== 'party') return maker(kind)(id);
      let uuid = parties.get(id);
      if (uuid === undefined) parties.set(id, (uuid = maker(kind)(id)));
      return uuid;
    },
  };
}

/** A reviewer's name for the text: "Alice Reviewer (alice)", or the bare id when the manifest does not list them. */
export function reviewerNames(predicate: CertificationPredicate): (id: string) => string {
  const names = new Map(predicate.reviewers.map((r) => [r.id, `${r.name} (${r.id})`]));
  return (id) => names.get(id) ?? id;
}

// The e-mail form ajv-formats checks ("email" format, fast mode): an address of another form is left out.
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** The document's metadata: the reviewers as parties, their roles, and the campaign's identifiers as props. */
export function metadata(input: OscalInput, title: string): Record<string, unknown> {
  const { predicate } = input;
  const ids = uuids(predicate);
  const deciders = new Set<string>();
  const approvers = new Set<string>();
  for (const item of input.items) {
    if (!item.decision) continue;
    deciders.add(item.decision.reviewerId);
    if (item.decision.approver) approvers.add(item.decision.approver.id);
  }
  const listed = (set: Set<string>) => predicate.reviewers.filter((r) => set.has(r.id)).map((r) => ids.of('party', r.id));
  const responsible = [
    { 'role-id': 'reviewer', 'party-uuids': listed(deciders) },
    { 'role-id': 'approver', 'party-uuids': listed(approvers) },
  ].filter((r) => r['party-uuids'].length > 0);
  const parties = predicate.reviewers.map((r) => ({
    uuid: ids.of('party', r.id),
    type: 'person',
    name: oscalString(r.name),
    props: [prop('reviewer-id', r.id), prop('key-fingerprint', r.fingerprint)],
    ...(r.email !== null && EMAIL.test(r.email) ? { 'email-addresses': [r.email] } : {}),
  }));
  return {
    title: markupLine(title),
    'last-modified': oscalDateTime(predicate.period.to),
    version: oscalString(`audit chain ${predicate.auditChain.length} events, head ${predicate.auditChain.head}`),
    'oscal-version': OSCAL_VERSION,
    props: campaignProps(predicate),
    roles: [
      { id: 'reviewer', title: 'Reviewer', description: 'Decided items of the access review.' },
      { id: 'approver', title: 'Step-up approver', description: 'Approved, as a second person, decisions the policy sends to one.' },
    ],
    ...(parties.length ? { parties } : {}),
    ...(responsible.length ? { 'responsible-parties': responsible } : {}),
  };
}

function campaignProps(p: CertificationPredicate): OscalProp[] {
  return [
    prop('campaign-id', p.campaign.id),
    prop('campaign-created', p.campaign.createdAt),
    ...(p.campaign.dueDate !== null ? [prop('campaign-due', p.campaign.dueDate)] : []),
    prop('policy-digest', p.policyDigest),
    prop('engine-version', p.engineVersion),
    prop('audit-chain-head', p.auditChain.head),
    prop('audit-chain-length', p.auditChain.length),
  ];
}

/** The people behind a decision, serialised: its reviewer, and the step-up approver where there is one. */
export function originsJson(ids: Uuids, reviewerId: string, approverId: string | null): string {
  const reviewer = `{"type":"party","actor-uuid":"${ids.of('party', reviewerId)}","role-id":"reviewer"}`;
  const approver = approverId !== null ? `,{"type":"party","actor-uuid":"${ids.of('party', approverId)}","role-id":"approver"}` : '';
  return `[{"actors":[${reviewer}${approver}]}]`;
}

/** A member of `jsonObject`: a value, or JSON already serialised. */
export type Member = [name: string, value: unknown] | [name: string, json: string, 'raw'];

/** The members of a JSON object, in the order given, without the braces (the caller writes more after them). */
export function jsonMembers(members: readonly Member[]): string {
  return members.map((m) => `${JSON.stringify(m[0])}:${m.length === 3 ? m[1] : JSON.stringify(m[1])}`).join(',');
}

/**
 * Steps that write `"name":[` and the entries `entry` gives for `items`, one per line, then `]` (nothing at all when there are
 * none, as OSCAL wants no empty list). Returns whether it wrote the member.
 */
export function* writeList<T>(
  sink: TextSink,
  name: string,
  items: Iterable<T>,
  entry: (item: T) => string | null,
  comma: boolean,
): Generator<void, boolean, void> {
  let first = true;
  let n = 0;
  for (const item of items) {
    // A pause every few hundred items: a writer in slices hands on what was written (render.ts, renderInSlices).
    if (++n % LIST_PAUSE === 0) yield;
    const json = entry(item);
    if (json === null) continue;
    // The separator and the entry apart: one string of both would be a copy of every entry.
    sink(first ? `${comma ? ',' : ''}"${name}":[\n` : ',\n');
    sink(json);
    first = false;
  }
  if (!first) sink('\n]');
  return !first;
}

const LIST_PAUSE = 256;
