// The deterministic local suggestion engine. Same snapshot, policy and as-of date → the same suggestions, byte
// for byte. One suggestion per review item: every assignment, every credential, every non-human identity, and
// every person with identity-level evidence (dormant, no MFA, root or break-glass, duplicate...).
// The index is built once (snapshot-index.ts); each signal family lives in its own module; scoring.ts decides.
import { assignmentItemId, credentialItemId, identityItemId, type Identity, type SnapshotData } from '../model';
import { buildCohort } from './cohort';
import { buildGroupGrants } from './group-grants';
import { findDuplicates } from './duplicates';
import { buildIdentitySignals } from './identity-signals';
import { buildLifecycle } from './lifecycle';
import { buildNhi } from './nhi';
import { buildPeers } from './peer-signals';
import type { Policy } from './policy';
import { buildScorer, type Risk } from './scoring';
import { SIGNAL_IDS } from './signal-ids';
import { buildIndex, type SuggestInput } from './snapshot-index';
import { buildSod } from './sod';
import type { Signal, SuggestOptions, Suggestion } from './types';
import { buildUsage } from './usage';
import { NON_HUMAN, PRIV, clearList } from './helpers';
import { CancelledError } from '../model';

export { MAX_LISTED_HOLDERS } from './peer-signals';
export { SIGNAL_IDS } from './signal-ids';
export { fastDate, globToRegExp } from './helpers';

export const ENGINE_VERSION = 'arw-engine/0.3.0';

/** Resolve a peer group reference from a signal (`peers.group`) to the member identity ids (sorted). */
export function listPeers(data: SnapshotData, identityId: string, group: string): string[] {
  const subject = data.identities.find((i) => i.id === identityId);
  const peers = (pred: (i: Identity) => boolean) =>
    data.identities
      .filter((i) => i.id !== identityId && i.type === 'human' && i.status === 'active' && pred(i))
      .map((i) => i.id)
      .sort();
  if (!subject) return [];
  if (group.startsWith('department-title:')) return peers((i) => i.department === subject.department && i.title === subject.title);
  if (group.startsWith('manager:')) return peers((i) => i.managerId === subject.managerId);
  return [];
}

const ASSIGNMENT_PRIORITY = [
  SIGNAL_IDS.orphaned,
  SIGNAL_IDS.sod,
  SIGNAL_IDS.unused,
  SIGNAL_IDS.cohortMove,
  SIGNAL_IDS.peerDeptTitle,
  SIGNAL_IDS.peerManager,
  SIGNAL_IDS.peerDepartment,
  SIGNAL_IDS.peerKnn,
  SIGNAL_IDS.nhiReduce,
];
const CREDENTIAL_PRIORITY = [
  SIGNAL_IDS.orphaned,
  SIGNAL_IDS.nhiPasswordLogin,
  SIGNAL_IDS.passwordUnused,
  SIGNAL_IDS.nhiUnusedCredential,
  SIGNAL_IDS.nhiRotation,
  SIGNAL_IDS.noMfa,
];
const IDENTITY_PRIORITY = [
  SIGNAL_IDS.orphaned,
  SIGNAL_IDS.nhiPasswordLogin,
  SIGNAL_IDS.nhiOwner,
  SIGNAL_IDS.dormant,
  SIGNAL_IDS.duplicate,
  SIGNAL_IDS.lifecycle,
  SIGNAL_IDS.noMfa,
  SIGNAL_IDS.passwordNeverExpires,
];
/** Suggestions per batch handed to `onSuggestions` unless the caller says (the stored chunk's size). */
const DEFAULT_BATCH = 50_000;
const TYPE_INDEX: Record<string, number> = { human: 0, service: 1, workload: 2, agent: 3, system: 4 };

/** Suggestions for a snapshot, its assignments given as rows or as column chunks (read as they are: no object per row). */
export function suggest(data: SuggestInput, policy: Policy, options: SuggestOptions): Suggestion[] {
  const cancelCheck = () => {
    if (options.isCancelled?.()) throw new CancelledError();
  };
  const part = options.part;
  if (part && !(Number.isInteger(part.of) && part.of >= 1 && Number.isInteger(part.index) && part.index >= 0 && part.index < part.of))
    throw new RangeError(`part ${part.index} of ${part.of}: not a part`);
  const sink = options.onSuggestions;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  if (sink && !(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batch size ${batchSize}: not a positive integer`);
  const ix = buildIndex(data, options.asOf);
  const { identities, entitlements, identityIdOf, entitlementIdOf, nI, nA, aIdent, aEnt, entLevel, sets, maxLevel, maxLevelEnt } = ix;
  cancelCheck();
  const lifecycle = buildLifecycle(ix, policy);
  const usage = buildUsage(ix, policy);
  const viaGroup = buildGroupGrants(ix, policy, usage);
  const peers = buildPeers(ix, policy, usage, cancelCheck);
  cancelCheck();
  const cohort = buildCohort(ix, policy, usage, peers);
  const sodSignals = buildSod(ix, policy, peers.peerSupport);
  const nhi = buildNhi(ix, policy, lifecycle);
  const idSignals = buildIdentitySignals(ix, policy, lifecycle, nhi, findDuplicates(ix));
  const finish = buildScorer(policy, ENGINE_VERSION);
  cancelCheck();

  // Identity items: every non-human identity, and every other identity with something to say at identity level.
  const identityItems: { i: number; signals: Signal[] }[] = [];
  for (let i = 0; i < nI; i++) {
    const ident = identities[i]!;
    const signals: Signal[] = [];
    if (NON_HUMAN.has(ident.type) && policy.orphaned.enabled && lifecycle.orphanReason[i])
      signals.push({
        id: SIGNAL_IDS.orphaned,
        message: `${lifecycle.orphanReason[i]}`,
        value: ident.status,
        threshold: policy.orphaned.statuses.join('|'),
        verdict: 'revoke',
        confidence: 0.9,
      });
    nhi.identitySignals(i, signals);
    const own = idSignals.signals(i);
    // System principals (groups, anonymous, platform) carry no owner rule: an item only when something is found.
    const always = NON_HUMAN.has(ident.type) && ident.type !== 'system';
    if (always || signals.some((s) => s.verdict !== 'keep') || own.some((s) => s.verdict !== 'keep'))
      identityItems.push({ i, signals: signals.concat(own) });
  }

  // A part computes only its own positions; everything above (the index and the per-group and per-identity state)
  // is built in full by every part, so each item reads exactly what it would in the whole run.
  // Selected (options.select): the positions of the accepted items of each kind, in order; all where null.
  const select = options.select;
  const accepted = (n: number, ok: (k: number) => boolean): Int32Array | null => {
    if (!select) return null;
    const out = new Int32Array(n);
    let m = 0;
    for (let k = 0; k < n; k++) if (ok(k)) out[m++] = k;
    return out.slice(0, m);
  };
  const pickA = accepted(nA, (a) =>
    select!(aIdent[a]! >= 0 ? identities[aIdent[a]!] : undefined, aEnt[a]! >= 0 ? entitlements[aEnt[a]!] : undefined),
  );
  const pickC = accepted(data.credentials.length, (k) => {
    const c = data.credentials[k]!;
    const i = ix.identIndex.get(c.identityId);
    return select!(i === undefined ? undefined : identities[i], undefined, c.credentialId);
  });
  const pickI = accepted(identityItems.length, (k) => select!(identities[identityItems[k]!.i], undefined));
  cancelCheck();
  const nAs = pickA ? pickA.length : nA;
  const nC = pickC ? pickC.length : data.credentials.length;
  const nIs = pickI ? pickI.length : identityItems.length;
  const all = nAs + nC + nIs;
  const from = part ? Math.floor((all * part.index) / part.of) : 0;
  const to = part ? Math.floor((all * (part.index + 1)) / part.of) : all;
  const total = to - from;
  options.onProgress?.(0, total);
  // Streamed, each batch is handed over full and a new one started: what is handed over is the caller's alone.
  const out: Suggestion[] = sink ? [] : new Array(total);
  let count = 0;
  let batch: Suggestion[] = [];
  const put = sink
    ? (s: Suggestion) => {
        batch.push(s);
        count++;
        if (batch.length === batchSize) {
          const full = batch;
          batch = [];
          sink(full, count, total);
        }
      }
    : (s: Suggestion) => {
        out[count++] = s;
      };
  const privPolicy = policy.privileged;
  const nhiPolicy = policy.nonHuman;
  const peerPolicy = policy.peerOutlier;
  const reducePrivilegesText = nhiPolicy.reducePrivileges.join('|');
  const privilegedText = privPolicy.privileges.join('|');
  const orphanStatuses = policy.orphaned.statuses.join('|');

  // The scorer copies an item's ids into the suggestion: one base object per item kind, refilled for each item.
  const assignmentBase = { itemId: '', identityId: '', entitlementId: '' };
  const credentialBase = { itemId: '', identityId: '', credentialId: '' };
  const identityBase = { itemId: '', identityId: '' };

  // ---- assignments ----
  const riskCache: (Risk | undefined)[] = [];
  // The privileged-access note depends only on the entitlement: one shared signal per entitlement.
  const privilegedNotes: (Signal | undefined)[] = new Array(entitlements.length);
  // One scratch list of signals: the scorer keeps an exactly sized copy (a grown list wastes half its slots).
  const signals: Signal[] = [];
  for (let p = from, pEnd = Math.min(to, nAs); p < pEnd; p++) {
    if ((count & 0x3fff) === 0) {
      cancelCheck();
      options.onProgress?.(count, total);
    }
    const a = pickA ? pickA[p]! : p;
    const i = aIdent[a]!;
    const e = aEnt[a]!;
    const ident = i >= 0 ? identities[i]! : undefined;
    const ent = e >= 0 ? entitlements[e]! : undefined;
    const identityId = identityIdOf(a);
    const entitlementId = entitlementIdOf(a);
    const entName = ent?.name ?? entitlementId;
    const level = e >= 0 ? entLevel[e]! : 1;
    clearList(signals);
    if (policy.orphaned.enabled) {
      const why = i < 0 ? 'identity is not in the snapshot' : lifecycle.orphanReason[i];
      if (why)
        signals.push({
          id: SIGNAL_IDS.orphaned,
          message: `${why} and still holds ${entName}`,
          value: ident?.status ?? null,
          threshold: orphanStatuses,
          verdict: 'revoke',
          confidence: 0.95,
        });
    }
    const sod = sodSignals.get(a);
    if (sod) signals.push(...sod);
    const note = i >= 0 ? lifecycle.statusNote[i] : null;
    if (note) signals.push(note);
    // Disuse while the identity cannot sign in (suspended, never activated) is no evidence: stated, not decisive.
    else if (policy.unusedAccess.enabled) signals.push(usage.signal(a, entName));
    const group = viaGroup(a);
    if (group) signals.push(group);
    if (i >= 0 && e >= 0 && !note) {
      const moved = cohort(a, i, e, entName);
      if (moved) signals.push(moved);
    }
    // Peer outlier (humans only: non-human identities have no peers by department or title).
    if (peerPolicy.enabled && ident && ident.type === 'human' && e >= 0) peers.assess(a, i, e, level, entName, signals);
    if (
      nhiPolicy.enabled &&
      ident &&
      nhiPolicy.reducePrivilegeTypes.includes(ident.type) &&
      ent &&
      nhiPolicy.reducePrivileges.includes(ent.privilege)
    ) {
      signals.push({
        id: SIGNAL_IDS.nhiReduce,
        message: `${ident.type} identity holds ${ent.privilege} privilege ${entName}; reduce to the permissions the workload needs`,
        value: ent.privilege,
        threshold: reducePrivilegesText,
        verdict: 'reduce',
        confidence: ent.privilege === 'critical' ? 0.85 : 0.75,
      });
    }
    const privileged = privPolicy.enabled && !!ent && privPolicy.privileges.includes(ent.privilege);
    if (privileged)
      signals.push(
        (privilegedNotes[e] ??= {
          id: SIGNAL_IDS.privileged,
          message: `${entName} is ${ent!.privilege} privilege: decided at least as ${privPolicy.minimumDecisionClass}`,
          value: ent!.privilege,
          threshold: privilegedText,
        }),
      );
    // Risk depends only on the entitlement and the identity class here: computed once per pair and shared.
    const riskKey = (e + 1) * 6 + (ident ? (TYPE_INDEX[ident.type] ?? 5) : 5);
    let risk = riskCache[riskKey];
    if (!risk) {
      const reasons: string[] = [`privilege ${PRIV[level]} (${entName}${ent ? ` in ${ent.application}` : ''})`];
      let tier = level;
      if (ident && NON_HUMAN.has(ident.type) && level >= 2) {
        tier++;
        reasons.push(`identity class ${ident.type}: used unattended, misuse is not noticed by a person (+1)`);
      } else reasons.push(`identity class ${ident?.type ?? 'unknown'}`);
      reasons.push('reversible: a revoked grant can be granted again');
      reasons.push(`blast radius: one entitlement${ent ? ` in ${ent.application}` : ''}`);
      risk = { tier: PRIV[Math.min(3, tier)]!, reasons };
      riskCache[riskKey] = risk;
    }
    assignmentBase.itemId = assignmentItemId(identityId, entitlementId);
    assignmentBase.identityId = identityId;
    assignmentBase.entitlementId = entitlementId;
    put(finish(assignmentBase, signals, ASSIGNMENT_PRIORITY, risk, privileged));
  }

  // ---- credentials ----
  for (let p = Math.max(0, from - nAs), pEnd = Math.min(nC, to - nAs); p < pEnd; p++) {
    const c = data.credentials[pickC ? pickC[p]! : p]!;
    if ((count & 0x3fff) === 0) {
      cancelCheck();
      options.onProgress?.(count, total);
    }
    const i = ix.identIndex.get(c.identityId);
    const ident = i === undefined ? undefined : identities[i]!;
    const signals = nhi.credentialSignals(c, i, ident);
    const level = i === undefined ? 1 : Math.max(0, maxLevel[i]!);
    const reasons = [
      `the credential acts with the identity's highest privilege: ${PRIV[level]}${i !== undefined && maxLevelEnt[i]! >= 0 ? ` (${entitlements[maxLevelEnt[i]!]!.name})` : ''}`,
    ];
    let tier = level;
    if (ident && NON_HUMAN.has(ident.type) && level >= 2) {
      tier++;
      reasons.push(`identity class ${ident.type} with ${PRIV[level]} privilege (+1)`);
    }
    const decisive = signals.find((s) => s.verdict === 'revoke' || s.verdict === 'rotate');
    if (decisive && level >= 1) {
      tier++;
      reasons.push('not reversible: a deleted or rotated secret cannot be restored and the jobs using it must be updated (+1)');
    } else reasons.push('reversible');
    const held = i === undefined ? 0 : sets.start[i + 1]! - sets.start[i]!;
    if (held >= policy.risk.wideBlastRadiusEntitlements) {
      tier++;
      reasons.push(`blast radius: the identity holds ${held} entitlements (>= ${policy.risk.wideBlastRadiusEntitlements}) (+1)`);
    } else reasons.push(`blast radius: the identity holds ${held} entitlements`);
    if (ident?.specialAccount) {
      tier = 3;
      reasons.push(`${ident.specialAccount} account's credential: always critical`);
    }
    credentialBase.itemId = credentialItemId(c.identityId, c.credentialId);
    credentialBase.identityId = c.identityId;
    credentialBase.credentialId = c.credentialId;
    put(
      finish(
        credentialBase,
        signals,
        CREDENTIAL_PRIORITY,
        { tier: PRIV[Math.min(3, tier)]!, reasons },
        privPolicy.enabled && level >= 0 && privPolicy.privileges.includes(PRIV[level]!),
      ),
    );
  }

  // ---- identities ----
  for (let p = Math.max(0, from - nAs - nC), pEnd = Math.min(nIs, to - nAs - nC); p < pEnd; p++) {
    const { i, signals } = identityItems[pickI ? pickI[p]! : p]!;
    if ((count & 0x3fff) === 0) {
      cancelCheck();
      options.onProgress?.(count, total);
    }
    const ident = identities[i]!;
    const level = Math.max(0, maxLevel[i]!);
    const reasons = [
      `the identity's highest privilege: ${PRIV[level]}${maxLevelEnt[i]! >= 0 ? ` (${entitlements[maxLevelEnt[i]!]!.name})` : ''}`,
    ];
    let tier = level;
    if (NON_HUMAN.has(ident.type) && level >= 2) {
      tier++;
      reasons.push(`identity class ${ident.type} with ${PRIV[level]} privilege (+1)`);
    }
    const held = sets.start[i + 1]! - sets.start[i]!;
    if (held >= policy.risk.wideBlastRadiusEntitlements) {
      tier++;
      reasons.push(`blast radius: holds ${held} entitlements (>= ${policy.risk.wideBlastRadiusEntitlements}) (+1)`);
    } else reasons.push(`blast radius: holds ${held} entitlements`);
    if (ident.specialAccount) {
      tier = 3;
      reasons.push(`${ident.specialAccount} account: unrestricted by design, always critical`);
    }
    identityBase.itemId = identityItemId(ident.id);
    identityBase.identityId = ident.id;
    put(
      finish(
        identityBase,
        signals,
        IDENTITY_PRIORITY,
        { tier: PRIV[Math.min(3, tier)]!, reasons },
        privPolicy.enabled && (privPolicy.privileges.includes(PRIV[level]!) || !!ident.specialAccount),
      ),
    );
  }
  options.onProgress?.(total, total);
  if (sink && batch.length) sink(batch, count, total);
  return out;
}
