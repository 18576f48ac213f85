// oscal/poam.json: the remediation plan (remediation.json) as an OSCAL Plan of Action and Milestones: one POA&M item
// per action, in the plan's order (system, kind, item), naming the finding of oscal/assessment-results.json it
// answers. The campaign stands for the system (`system-id`). docs/package-format.md, "OSCAL documents".
import { utf8 } from '../../model/digest';
import type { RemediationAction } from '../types';
import { actionWords, decisionOrigins, jsonObject, metadata, reviewerNames, uuids, type OscalInput, type Uuids } from './common';
import { markupLine, markupMultiline, oscalString, prop } from './text';
import { oscalUuid } from './uuid';

/** The identifier type of `system-id`: the workbench's campaign id. */
export const CAMPAIGN_ID_TYPE = 'https://arw.dev/ns/oscal/campaign-id';

/** The bytes of oscal/poam.json. */
export function poamBytes(input: OscalInput): Uint8Array {
  return utf8(poamJson(input));
}

export function poamJson(input: OscalInput): string {
  const { predicate, plan } = input;
  const campaignId = predicate.campaign.id;
  const ids = uuids(predicate);
  const name = reviewerNames(predicate);
  const entries: string[] = [];
  for (const { system, actions } of plan.systems) for (const action of actions) entries.push(JSON.stringify(poamItem(system, action, ids, name)));
  // OSCAL wants at least one POA&M item: a campaign that calls for no remediation says so in one.
  if (!entries.length) entries.push(JSON.stringify(nothingToDo(campaignId)));
  const document = jsonObject([
    ['uuid', oscalUuid('poam', campaignId, predicate.auditChain.head)],
    ['metadata', metadata(input, `Remediation plan: ${predicate.campaign.name}`)],
    ['system-id', { 'identifier-type': CAMPAIGN_ID_TYPE, id: oscalString(campaignId) }],
    ['poam-items', entries, 'lines'],
  ]);
  return `{"plan-of-action-and-milestones":${document}}\n`;
}

function poamItem(system: string, a: RemediationAction, ids: Uuids, name: (id: string) => string): Record<string, unknown> {
  const target = a.targetKind === 'identity' ? a.identityName : `${a.targetName} (${a.targetKind} ${a.targetId}) of ${a.identityName}`;
  const what: Record<RemediationAction['kind'], string> = {
    revoke: `Revoke ${target} in ${system}.`,
    reduce: `Reduce ${target} in ${system} to the least privilege it needs.`,
    rotate: `Rotate ${target} in ${system}.`,
    'disable-login': `Disable the interactive login of ${a.identityName} in ${system}.`,
    'assign-owner': `Assign ${a.ownerId ?? 'an owner'} as the owner of ${a.identityName} in ${system}.`,
    exception: `Remove ${target} in ${system}, or review it again, when the exception ends on ${a.until}.`,
  };
  return {
    uuid: ids.of('poam-item', a.itemId),
    title: markupLine(`${actionWords(a.kind)}: ${a.identityName} — ${a.targetName} (${system})`),
    description: markupMultiline(`${what[a.kind]} Decided by ${name(a.decidedBy)} at ${a.decidedAt}${a.approvedBy !== null ? `, approved by ${name(a.approvedBy)}` : ''}.`),
    props: [
      prop('remediation', a.kind),
      prop('system', system),
      prop('identity-id', a.identityId),
      prop('target-id', a.targetId),
      ...(a.until !== null ? [prop('until', a.until)] : []),
      ...(a.ownerId !== null ? [prop('owner-id', a.ownerId)] : []),
      prop('finding-uuid', ids.of('finding', a.itemId)),
    ],
    origins: decisionOrigins(ids, a.decidedBy, a.approvedBy),
    ...(a.rationale !== null ? { remarks: `Rationale: ${markupMultiline(a.rationale)}` } : {}),
  };
}

function nothingToDo(campaignId: string): Record<string, unknown> {
  return {
    uuid: oscalUuid('poam-item', campaignId, '(none)'),
    title: 'No remediation called for',
    description: 'No final decision of the campaign calls for a change in a source system or a time-bound exception.',
    props: [prop('remediation', 'none')],
  };
}
