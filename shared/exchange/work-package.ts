// Work package (owner → reviewer): the reviewer's items with their suggestions and evidence, the policy and the
// snapshot digest, signed by the campaign owner. An approval work package carries decisions awaiting approval.
import { canonicalJson, fromUtf8, sha256Hex, utf8 } from '../codec';
import type { SourceEvidence } from '../model';
import type { PackageSigner } from '../package';
import { sameActorProblem } from '../review';
import { keyFingerprint } from '../package';
import { WORK_ITEMS_SCHEMA, WORK_PACKAGE_FILES, WORK_PACKAGE_PREDICATE } from './layout';
import { buildSignedArchive, containerVerdict, describeSigner, isRecord, keyedPersonProblem, openSignedArchive } from './signed-archive';
import type {
  BuiltExchange,
  ExchangeVerifyOptions,
  WorkItem,
  WorkItemsDocument,
  WorkPackageInput,
  WorkPackagePredicate,
  WorkPackageReport,
} from './types';

/** "sha256:<hex>" over the canonical JSON of the campaign's import evidence: names the data the campaign reviews. */
export function snapshotDigest(sources: readonly SourceEvidence[]): string {
  return `sha256:${sha256Hex(canonicalJson(sources))}`;
}

export function policyDigestOf(document: object): string {
  return `sha256:${sha256Hex(canonicalJson(document))}`;
}

/** One item per line: readable, diffable, quick to read back. */
function workItemsJson(workPackageId: string, items: readonly WorkItem[]): string {
  const head = JSON.stringify({ schema: WORK_ITEMS_SCHEMA, workPackageId });
  return `${head.slice(0, -1)},"items":[\n${items.map((i) => JSON.stringify(i)).join(',\n')}\n]}\n`;
}

export async function buildWorkPackage(input: WorkPackageInput, owner: PackageSigner): Promise<BuiltExchange<WorkPackagePredicate>> {
  for (const [person, role] of [
    [input.owner, 'owner'],
    [input.reviewer, 'reviewer'],
  ] as const) {
    const problem = keyedPersonProblem(person, role);
    if (problem) throw new Error(problem);
  }
  if (keyFingerprint(owner.publicKey) !== input.owner.fingerprint)
    throw new Error(
      `the work package must be signed by the campaign owner's key ${input.owner.fingerprint}, not ${keyFingerprint(owner.publicKey)}`,
    );
  if (input.owner.fingerprint === input.reviewer.fingerprint) throw new Error('the owner cannot send a work package to their own key');
  if (policyDigestOf(input.policy.document) !== input.policy.digest)
    throw new Error(`the policy digest ${input.policy.digest} is not the digest of the policy document`);
  const seen = new Set<string>();
  for (const item of input.items) {
    if (seen.has(item.itemId)) throw new Error(`item ${item.itemId} appears twice in the work package`);
    seen.add(item.itemId);
    if ((input.kind === 'approval') !== (item.pending !== undefined))
      throw new Error(
        `item ${item.itemId}: ${input.kind === 'approval' ? 'an approval work package needs the decision to approve' : 'a review work package carries no pending approval'}`,
      );
    const same = item.pending
      ? sameActorProblem(
          { id: item.pending.decider.id, keyFingerprint: item.pending.decider.fingerprint },
          { id: input.reviewer.id, keyFingerprint: input.reviewer.fingerprint },
        )
      : null;
    if (same) throw new Error(`item ${item.itemId}: ${same}`);
  }
  const predicate: WorkPackagePredicate = {
    formatVersion: 1,
    kind: input.kind,
    id: input.id,
    issuedAt: input.issuedAt,
    campaign: {
      id: input.campaign.id,
      name: input.campaign.name,
      createdAt: input.campaign.createdAt,
      dueDate: input.campaign.dueDate ?? null,
    },
    owner: input.owner,
    reviewer: input.reviewer,
    policyDigest: input.policy.digest,
    snapshotDigest: snapshotDigest(input.sources),
    engineVersion: input.engineVersion,
    itemCount: input.items.length,
    signer: describeSigner(owner),
  };
  return buildSignedArchive(
    WORK_PACKAGE_PREDICATE,
    predicate,
    [
      ['items.json', utf8(workItemsJson(input.id, input.items))],
      ['policy.json', utf8(`${JSON.stringify(input.policy.document, null, 2)}\n`)],
    ],
    owner,
  );
}

export async function verifyWorkPackage(bytes: Uint8Array, options: ExchangeVerifyOptions = {}): Promise<WorkPackageReport> {
  const opened = await openSignedArchive<WorkPackagePredicate>(
    bytes,
    WORK_PACKAGE_PREDICATE,
    WORK_PACKAGE_FILES,
    options.trustedKeys,
    'work package',
  );
  const { findings, statement } = opened;
  findings.markRan('consistency');
  let items: WorkItem[] = [];
  let policy: object | null = null;
  // A predicate of the wrong shape is reported, and nothing else is read from it.
  const shape = statement ? predicateProblems(statement.predicate) : [];
  for (const problem of shape) findings.fail('manifest', problem);
  const p = shape.length ? undefined : statement?.predicate;
  if (p) {
    {
      for (const [person, role] of [
        [p.owner, 'owner'],
        [p.reviewer, 'reviewer'],
      ] as const) {
        const problem = keyedPersonProblem(person, role);
        if (problem) findings.fail('manifest', problem);
      }
      if (p.signer.fingerprint !== p.owner.fingerprint || p.signer.publicKey !== p.owner.publicKey)
        findings.fail(
          'signatures',
          `the work package is signed by ${p.signer.fingerprint}, not by the campaign owner ${p.owner.id} (${p.owner.fingerprint})`,
        );
      if (p.owner.fingerprint === p.reviewer.fingerprint) findings.fail('consistency', 'the owner and the reviewer are the same key');
    }
  }
  const itemsBytes = opened.files.get('items.json');
  if (itemsBytes && p) {
    const parsed = readWorkItems(itemsBytes);
    if (typeof parsed === 'string') findings.fail('consistency', parsed, { file: 'items.json' });
    else {
      items = parsed.items;
      if (parsed.workPackageId !== p.id)
        findings.fail('consistency', `items.json is for work package ${parsed.workPackageId}, the manifest for ${p.id}`, {
          file: 'items.json',
        });
      if (items.length !== p.itemCount)
        findings.fail('consistency', `the manifest counts ${p.itemCount} items; items.json has ${items.length}`, { file: 'items.json' });
      const seen = new Set<string>();
      for (const item of items) {
        if (seen.has(item.itemId)) findings.fail('consistency', 'the item appears more than once in items.json', { itemId: item.itemId });
        seen.add(item.itemId);
        if (item.suggestion && item.suggestion.policyDigest !== p.policyDigest)
          findings.fail(
            'consistency',
            `the suggestion was made under policy ${item.suggestion.policyDigest}, not the package's ${p.policyDigest}`,
            { itemId: item.itemId },
          );
        if ((p.kind === 'approval') !== (item.pending !== undefined))
          findings.fail(
            'consistency',
            p.kind === 'approval'
              ? 'an approval work package item without the decision to approve'
              : 'a review work package item carries a pending approval',
            { itemId: item.itemId },
          );
        const same = item.pending
          ? sameActorProblem(
              { id: item.pending.decider.id, keyFingerprint: item.pending.decider.fingerprint },
              { id: p.reviewer.id, keyFingerprint: p.reviewer.fingerprint },
            )
          : null;
        if (same) findings.fail('consistency', same, { itemId: item.itemId });
      }
    }
  }
  const policyBytes = opened.files.get('policy.json');
  if (policyBytes && p) {
    try {
      const doc = JSON.parse(fromUtf8(policyBytes)) as unknown;
      if (!isRecord(doc)) findings.fail('consistency', 'policy.json is not a JSON object', { file: 'policy.json' });
      else {
        policy = doc;
        const digest = policyDigestOf(doc);
        if (digest !== p.policyDigest)
          findings.fail('consistency', `policy.json is not the policy the manifest names (digest ${digest}, manifest ${p.policyDigest})`, {
            file: 'policy.json',
          });
      }
    } catch {
      findings.fail('consistency', 'policy.json is not valid JSON', { file: 'policy.json' });
    }
  }
  return {
    kind: 'work-package',
    ...containerVerdict(opened),
    statement,
    items,
    policy,
  };
}

function predicateProblems(p: WorkPackagePredicate): string[] {
  const v = p as unknown as Record<string, unknown>;
  const problems: string[] = [];
  if (v.kind !== 'review' && v.kind !== 'approval') problems.push('the predicate\'s "kind" must be "review" or "approval"');
  for (const key of ['id', 'issuedAt', 'policyDigest', 'snapshotDigest', 'engineVersion'])
    if (typeof v[key] !== 'string') problems.push(`the predicate's "${key}" must be a string`);
  if (typeof v.itemCount !== 'number') problems.push('the predicate\'s "itemCount" must be a number');
  if (!isRecord(v.campaign) || typeof v.campaign.id !== 'string') problems.push('the predicate must name the campaign');
  for (const role of ['owner', 'reviewer']) {
    const person = v[role];
    if (
      !isRecord(person) ||
      typeof person.id !== 'string' ||
      typeof person.fingerprint !== 'string' ||
      typeof person.publicKey !== 'string'
    )
      problems.push(`the predicate must name the ${role} {id, name, fingerprint, publicKey}`);
  }
  return problems;
}

function readWorkItems(bytes: Uint8Array): WorkItemsDocument | string {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch (error) {
    return `items.json is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!isRecord(value) || value.schema !== WORK_ITEMS_SCHEMA || typeof value.workPackageId !== 'string' || !Array.isArray(value.items))
    return `items.json must be {"schema": "${WORK_ITEMS_SCHEMA}", "workPackageId", "items": [...]}`;
  for (const [i, item] of value.items.entries()) {
    if (
      !isRecord(item) ||
      typeof item.itemId !== 'string' ||
      !isRecord(item.identity) ||
      !(item.target === null || isRecord(item.target)) ||
      !(item.suggestion === null || isRecord(item.suggestion))
    ) {
      return `items.json: items[${i}] must be {itemId, identity, target, suggestion}`;
    }
    if (item.pending !== undefined) {
      const pending = item.pending;
      if (
        !isRecord(pending) ||
        !isRecord(pending.decision) ||
        !isRecord(pending.event) ||
        typeof pending.decisionSet !== 'string' ||
        !isRecord(pending.decider)
      )
        return `items.json: items[${i}].pending must be {decision, event, decisionSet, decider}`;
    }
  }
  return value as unknown as WorkItemsDocument;
}
