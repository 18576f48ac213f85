// Signing the final certification package across laptops, with shared/package as it is: buildCertificationPackage
// is deterministic (the same input gives the same manifest), and every reviewer whose decisions it holds must sign it.
// So the owner (1) builds once to learn the exact statement each signer must sign, (2) sends each reviewer a
// signature request — the statement plus the decisions.json and audit-log.jsonl it covers — (3) the reviewer's app
// checks that everything the package attributes to them comes from their own decision sets and signs, and (4) the
// owner builds again with the collected signatures. No private key leaves its laptop.
import { canonicalText, checkAuditChain, writeAuditLog } from '../package';
import { buildCertificationPackage } from '../package';
import { decisionChainMismatches } from '../package';
import { decisionsJson, packageItems } from '../package';
import { preAuthEncoding } from '../package';
import { fileSha256 } from '../codec';
import { DSSE_PAYLOAD_TYPE, PREDICATE_TYPE } from '../package';
import { readDecisions } from '../package';
import { keyFingerprint } from '../package';
import type { BuiltPackage, CertificationInput, PackageSigner, Statement } from '../package';
import { fromBase64, fromUtf8, toBase64, utf8 } from '../codec';
import type { AuditEvent } from '../review';
import type { DecisionProvenance, DecisionSetReport } from './types';

/** A signer known by its public key only: its private key is on another laptop. */
export interface RemoteSigner {
  keyId: string;
  publicKey: Uint8Array;
}

export interface SignatureRequest {
  /** The exact statement (manifest.intoto.json) every signer signs, as DSSE PAE over it. */
  statement: Uint8Array;
  decisionsJson: Uint8Array;
  auditLog: Uint8Array;
}

class Captured extends Error {
  constructor(readonly message_: Uint8Array) {
    super('captured');
  }
}

/** Step 1 (owner): the statement to sign, and the two files a reviewer needs to check it. */
export async function certificationSignatureRequest(
  input: CertificationInput,
  signers: readonly RemoteSigner[],
): Promise<SignatureRequest> {
  const capturing: PackageSigner[] = signers.map((s) => ({
    keyId: s.keyId,
    publicKey: s.publicKey,
    sign: (m) => Promise.reject(new Captured(m)),
  }));
  let pae: Uint8Array | null = null;
  try {
    await buildCertificationPackage(input, capturing);
  } catch (error) {
    if (!(error instanceof Captured)) throw error;
    pae = error.message_;
  }
  if (!pae) throw new Error('the package builder signed nothing');
  // PAE = "DSSEv1 <len> <type> <len> <body>": the body is what every signer signs.
  const head = utf8(`DSSEv1 ${utf8(DSSE_PAYLOAD_TYPE).length} ${DSSE_PAYLOAD_TYPE} `).length;
  let at = head;
  while (at < pae.length && pae[at] !== 0x20) at++;
  const statement = pae.slice(at + 1);
  if (Number(fromUtf8(pae.subarray(head, at))) !== statement.length) throw new Error('unexpected DSSE pre-authentication encoding');
  return {
    statement,
    decisionsJson: utf8(decisionsJson(input.campaign.id, packageItems(input))),
    auditLog: writeAuditLog(input.auditEvents).bytes,
  };
}

export type SignatureCheck = { ok: true; decided: number; approved: number } | { ok: false; problems: string[] };

/**
 * Step 3 (reviewer): before signing, check the request against the reviewer's own verified decision sets: the files
 * are the ones the statement names, the chain is whole, decisions.json follows it, and every event by this reviewer
 * is, content for content, an event of one of their sets (by the provenance's set digest, seq and hash).
 */
export async function checkSignatureRequest(
  request: SignatureRequest,
  me: { id: string; fingerprint: string },
  mySets: readonly DecisionSetReport[],
): Promise<SignatureCheck> {
  const problems: string[] = [];
  let statement: Statement;
  try {
    statement = JSON.parse(fromUtf8(request.statement)) as Statement;
  } catch {
    return { ok: false, problems: ['the statement is not valid JSON'] };
  }
  if (statement.predicateType !== PREDICATE_TYPE) return { ok: false, problems: ['the statement is not a certification package manifest'] };
  const digest = (name: string) => statement.subject.find((s) => s.name === name)?.digest.sha256;
  if ((await fileSha256(request.decisionsJson)) !== digest('decisions.json'))
    problems.push('decisions.json is not the file the statement names');
  if ((await fileSha256(request.auditLog)) !== digest('audit-log.jsonl'))
    problems.push('audit-log.jsonl is not the file the statement names');
  const listed = statement.predicate.signers.find((s) => s.fingerprint === me.fingerprint);
  if (!listed) problems.push('the statement does not list your key as a signer');
  const text = fromUtf8(request.auditLog);
  const events =
    text === ''
      ? []
      : text
          .slice(0, -1)
          .split('\n')
          .map((l) => JSON.parse(l) as AuditEvent);
  const chain = checkAuditChain(events);
  if (!chain.ok) problems.push(`the audit chain is broken: ${chain.reason}`);
  else if (chain.head !== statement.predicate.auditChain.head || chain.length !== statement.predicate.auditChain.length)
    problems.push('the audit chain is not the one the statement certifies');
  const decisions = readDecisions(request.decisionsJson);
  if (!decisions.ok) problems.push(...decisions.problems);
  else for (const m of decisionChainMismatches(decisions.value.items, events).slice(0, 10)) problems.push(`${m.itemId}: ${m.message}`);
  const sets = new Map(
    mySets
      .filter((s) => s.verdict === 'valid' && s.statement?.predicate.reviewer.fingerprint === me.fingerprint)
      .map((s) => [s.statementDigest!, new Map(s.events.map((e) => [e.seq, e]))]),
  );
  let decided = 0;
  let approved = 0;
  for (const e of events) {
    if (e.actor.id !== me.id && e.actor.keyFingerprint !== me.fingerprint) continue;
    const from = e.details?.provenance as DecisionProvenance | undefined;
    const original = from ? sets.get(from.decisionSet)?.get(from.seq) : undefined;
    if (!from || !original || original.hash !== from.hash || !sameContent(original, e)) {
      problems.push(`event ${e.seq}${e.itemId ? ` (${e.itemId})` : ''} is attributed to you but is not an event of your decision sets`);
      continue;
    }
    if (e.type === 'decision') decided++;
    if (e.type === 'approval') approved++;
  }
  return problems.length ? { ok: false, problems: problems.slice(0, 50) } : { ok: true, decided, approved };
}

/** The event's content as the reviewer recorded it (without chain position, references and provenance). */
export function sameContent(original: AuditEvent, merged: AuditEvent): boolean {
  const strip = ({ seq: _s, prevHash: _p, hash: _h, refersTo: _r, details, ...rest }: AuditEvent) => {
    const { provenance: _prov, ...own } = details ?? {};
    return canonicalText({ ...rest, details: own });
  };
  return strip(original) === strip(merged);
}

/** Step 3 (reviewer): the signature over the request's statement, with the reviewer's own signer. */
export async function signCertificationRequest(request: SignatureRequest, signer: PackageSigner): Promise<string> {
  return toBase64(await signer.sign(preAuthEncoding(DSSE_PAYLOAD_TYPE, request.statement)));
}

/** Step 4 (owner): the package again, now with every collected signature (each checked by the builder). */
export async function assembleCertificationPackage(
  input: CertificationInput,
  signers: readonly RemoteSigner[],
  signatures: ReadonlyMap<string, string>,
  ownSigner?: PackageSigner,
): Promise<BuiltPackage> {
  const all: PackageSigner[] = signers.map((s) => {
    if (ownSigner && keyFingerprint(ownSigner.publicKey) === keyFingerprint(s.publicKey)) return ownSigner;
    const sig = signatures.get(s.keyId);
    if (!sig) throw new Error(`no signature collected from "${s.keyId}" yet`);
    return { keyId: s.keyId, publicKey: s.publicKey, sign: () => Promise.resolve(signatureBytes(sig)) };
  });
  return buildCertificationPackage(input, all);
}

function signatureBytes(b64: string): Uint8Array {
  try {
    return fromBase64(b64);
  } catch {
    throw new Error('a collected signature is not base64');
  }
}
