// The signed container shared by work packages and decision sets: a ZIP with manifest.intoto.json (an in-toto
// Statement v1 over the other files), manifest.dsse.json (a DSSE envelope with exactly one Ed25519 signature) and
// the subject files in a fixed order. Opening one runs every container check and reports every reason found.
import { fromUtf8, sameBytes, sha256Hex, toBase64, utf8 } from '../codec';
import { archiveLayoutDeviations, readPackageArchive } from '../codec';
import { writeZip } from '../codec';
import { parseEnvelope, serializeEnvelope, signatureVerifies, signEnvelope } from '../package';
import { fileSha256 } from '../codec';
import { CheckLog } from '../package';
import { ENVELOPE_FILE, MANIFEST_FILE, STATEMENT_TYPE } from '../package';
import { decodePublicKey, keyFingerprint } from '../package';
import type { PackageSigner, TrustedKey } from '../package';
import {
  EXCHANGE_CHECKS,
  type ExchangeCheck,
  type ExchangeFileReport,
  type ExchangeSigner,
  type ExchangeSignerReport,
  type ExchangeStatement,
} from './types';

/** Every problem and warning, tagged with its check; per-item messages capped per check. */
export class ExchangeFindings extends CheckLog<ExchangeCheck> {
  constructor() {
    super(EXCHANGE_CHECKS);
  }
}

export function describeSigner(signer: PackageSigner): ExchangeSigner {
  return { keyid: signer.keyId, fingerprint: keyFingerprint(signer.publicKey), publicKey: toBase64(signer.publicKey) };
}

export function statementBytesOf(statement: ExchangeStatement<unknown>): Uint8Array {
  return utf8(`${JSON.stringify(statement, null, 2)}\n`);
}

export function statementDigestOf(payload: Uint8Array): string {
  return `sha256:${sha256Hex(payload)}`;
}

export interface SignedArchive<P> {
  bytes: Uint8Array;
  statement: ExchangeStatement<P>;
  statementDigest: string;
}

/** Writes the archive: the statement over `files` (in order), signed by `signer`. */
export async function buildSignedArchive<P>(
  predicateType: string,
  predicate: P,
  files: ReadonlyArray<readonly [string, Uint8Array]>,
  signer: PackageSigner,
): Promise<SignedArchive<P>> {
  const subject = await Promise.all(files.map(async ([name, bytes]) => ({ name, digest: { sha256: await fileSha256(bytes) } })));
  const statement: ExchangeStatement<P> = { _type: STATEMENT_TYPE, subject, predicateType, predicate };
  const payload = statementBytesOf(statement);
  const envelope = utf8(serializeEnvelope(await signEnvelope(payload, [signer])));
  const bytes = await writeZip([
    { name: MANIFEST_FILE, bytes: payload },
    { name: ENVELOPE_FILE, bytes: envelope },
    ...files.map(([name, fileBytes]) => ({ name, bytes: fileBytes })),
  ]);
  return { bytes, statement, statementDigest: statementDigestOf(payload) };
}

export interface OpenedSignedArchive<P> {
  findings: ExchangeFindings;
  readable: boolean;
  statement: ExchangeStatement<P> | null;
  statementDigest: string | null;
  /** The subject files whose digest matched the manifest (a changed file is not handed on). */
  files: Map<string, Uint8Array>;
  signers: ExchangeSignerReport[];
  fileReports: ExchangeFileReport[];
  /** The one signature (base64) when the envelope holds exactly one. */
  signature: string | null;
  /** True when the only signature is valid for the predicate's signer key. */
  signatureValid: boolean;
}

/** The verdict and container facts every exchange report starts with, once all checks have run. */
export function containerVerdict<P>(opened: OpenedSignedArchive<P>) {
  const reasons = opened.findings.allReasons();
  return {
    verdict: reasons.length ? ('invalid' as const) : ('valid' as const),
    readable: opened.readable,
    reasons,
    warnings: opened.findings.warnings,
    checks: opened.findings.checks(),
    signers: opened.signers,
    files: opened.fileReports,
    statementDigest: opened.statementDigest,
    signature: opened.signature,
  };
}

/** Reads the archive and runs the container checks: files, envelope, manifest, signature, trust. */
export async function openSignedArchive<P extends { signer: ExchangeSigner }>(
  bytes: Uint8Array,
  predicateType: string,
  subjectFiles: readonly string[],
  trustedKeys: readonly TrustedKey[] | undefined,
  what: string,
): Promise<OpenedSignedArchive<P>> {
  const findings = new ExchangeFindings();
  const opened: OpenedSignedArchive<P> = {
    findings,
    readable: true,
    statement: null,
    statementDigest: null,
    files: new Map(),
    signers: [],
    fileReports: [],
    signature: null,
    signatureValid: false,
  };
  findings.markRan('archive', 'files', 'envelope', 'manifest', 'signatures', 'trust');
  const archive = await readPackageArchive(bytes);
  if (!archive.ok) {
    opened.readable = archive.isZip;
    for (const p of archive.problems) findings.fail('archive', p);
    return opened;
  }
  // Headers as arw writes them (fixed times, no extra fields or comments): a re-zipped or edited container is noticed.
  for (const deviation of archiveLayoutDeviations(bytes)) findings.fail('archive', deviation);
  const entries = new Map(archive.entries.map((e) => [e.name, e.bytes]));
  const order = [MANIFEST_FILE, ENVELOPE_FILE, ...subjectFiles];
  for (const name of order) if (!entries.has(name)) findings.fail('files', `${name} is missing from the ${what}`, { file: name });
  for (const name of entries.keys())
    if (!order.includes(name))
      findings.fail('files', `unexpected file "${name}": not part of a ${what} (added or renamed?)`, { file: name });
  const known = archive.entries.map((e) => e.name).filter((n) => order.includes(n));
  if (known.join('\n') !== order.filter((n) => entries.has(n)).join('\n'))
    findings.fail('archive', `the files are not in the documented order (found ${known.join(', ')})`);

  const envelopeBytes = entries.get(ENVELOPE_FILE);
  let payload: Uint8Array | null = null;
  let signatures: Array<{ keyid: string; sig: string }> = [];
  if (envelopeBytes) {
    const parsed = parseEnvelope(fromUtf8(envelopeBytes));
    if (parsed.ok) {
      payload = parsed.payload;
      signatures = parsed.envelope.signatures;
    } else for (const p of parsed.problems) findings.fail('envelope', p, { file: ENVELOPE_FILE });
  }
  const manifestBytes = entries.get(MANIFEST_FILE);
  if (manifestBytes && payload && !sameBytes(manifestBytes, payload))
    findings.fail('manifest', 'manifest.intoto.json is not the statement the signature covers (it differs from the DSSE payload)', {
      file: MANIFEST_FILE,
    });
  const statementBytes = payload ?? manifestBytes ?? null;
  if (statementBytes) {
    opened.statementDigest = statementDigestOf(statementBytes);
    const statement = readExchangeStatement<P>(statementBytes, predicateType, what);
    if (typeof statement === 'string') findings.fail('manifest', statement, { file: MANIFEST_FILE });
    else opened.statement = statement;
  }

  // Signature: exactly one, by the key the predicate names as its signer.
  const statement = opened.statement;
  if (!payload || !statement) findings.fail('signatures', `the signature cannot be checked without a readable envelope and manifest`);
  else {
    const signer = statement.predicate.signer;
    const key = decodePublicKey(signer.publicKey);
    const fingerprintOk = key !== null && keyFingerprint(key) === signer.fingerprint;
    if (!fingerprintOk)
      findings.fail(
        'signatures',
        `signer "${signer.keyid}": the fingerprint ${signer.fingerprint} is not the fingerprint of its public key`,
      );
    if (signatures.length !== 1)
      findings.fail('signatures', `a ${what} carries exactly one signature; this one carries ${signatures.length}`);
    for (const s of signatures) {
      const listed = s.keyid === signer.keyid;
      if (!listed) findings.fail('signatures', `a signature by key id "${s.keyid}", which the manifest does not name as the signer`);
      const valid = listed && fingerprintOk && signatureVerifies(payload, s.sig, signer.publicKey);
      if (listed && fingerprintOk && !valid)
        findings.fail(
          'signatures',
          `the signature of "${signer.keyid}" (${signer.fingerprint}) does not verify: the manifest or the signature was changed, or another key signed`,
        );
      const trusted = listed
        ? (trustedKeys?.find((t) => t.fingerprint === signer.fingerprint && t.publicKey === signer.publicKey) ?? null)
        : null;
      opened.signers.push({
        keyid: s.keyid,
        fingerprint: listed ? signer.fingerprint : null,
        signatureValid: valid,
        pinned: trusted !== null,
        trustedAs: trusted ? { name: trusted.name, ...(trusted.email ? { email: trusted.email } : {}) } : null,
      });
      if (valid && signatures.length === 1) {
        opened.signature = s.sig;
        opened.signatureValid = true;
      }
      if (listed && trustedKeys && !trusted)
        findings.fail('trust', `signer "${signer.keyid}" (${signer.fingerprint}) is not in the trust list`);
      if (listed && !trustedKeys)
        findings.warn(
          'trust',
          `signer "${signer.keyid}" (${signer.fingerprint}) is not pinned by a trust list: the signature proves the ${what} is intact, not who signed it`,
        );
    }
    if (!signatures.some((s) => s.keyid === signer.keyid))
      findings.fail('signatures', `"${signer.keyid}" is named as the signer but its signature is missing`);
  }

  // Digests of the subject files.
  const listed = new Map((statement?.subject ?? []).map((s) => [s.name, s.digest.sha256]));
  if (statement) {
    for (const s of statement.subject)
      if (!subjectFiles.includes(s.name)) findings.fail('manifest', `the manifest lists "${s.name}", which is not a file of a ${what}`);
    for (const name of subjectFiles) if (!listed.has(name)) findings.fail('manifest', `the manifest does not list ${name}`);
    if (statement.subject.length !== listed.size) findings.fail('manifest', 'the manifest lists a file twice');
  }
  for (const name of subjectFiles) {
    const fileBytes = entries.get(name);
    const expected = listed.get(name) ?? null;
    if (!fileBytes) {
      opened.fileReports.push({ name, expectedSha256: expected, actualSha256: null, status: 'missing' });
      continue;
    }
    const actual = await fileSha256(fileBytes);
    const ok = expected !== null && expected === actual;
    if (expected !== null && !ok)
      findings.fail('files', `${name} was changed: its SHA-256 ${actual} is not the ${expected} the manifest lists`, { file: name });
    if (ok) opened.files.set(name, fileBytes);
    opened.fileReports.push({ name, expectedSha256: expected, actualSha256: actual, status: ok ? 'ok' : 'digest-mismatch' });
  }
  for (const name of entries.keys())
    if (!order.includes(name)) opened.fileReports.push({ name, expectedSha256: null, actualSha256: null, status: 'unexpected' });
  return opened;
}

function readExchangeStatement<P>(bytes: Uint8Array, predicateType: string, what: string): ExchangeStatement<P> | string {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch (error) {
    return `manifest.intoto.json is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!isRecord(value)) return 'the manifest is not a JSON object';
  if (value._type !== STATEMENT_TYPE) return `the manifest is not an in-toto Statement v1 (_type ${JSON.stringify(value._type)})`;
  if (value.predicateType !== predicateType)
    return `the manifest's predicateType is ${JSON.stringify(value.predicateType)}, not ${predicateType}: this is not a ${what}`;
  if (
    !Array.isArray(value.subject) ||
    !value.subject.every((s) => isRecord(s) && typeof s.name === 'string' && isRecord(s.digest) && typeof s.digest.sha256 === 'string')
  )
    return 'the manifest\'s "subject" must be a list of {name, digest: {sha256}}';
  const p = value.predicate;
  if (!isRecord(p) || p.formatVersion !== 1) return "the manifest's predicate must be an object with formatVersion 1";
  const signer = p.signer;
  if (
    !isRecord(signer) ||
    typeof signer.keyid !== 'string' ||
    typeof signer.fingerprint !== 'string' ||
    typeof signer.publicKey !== 'string'
  )
    return 'the predicate must name its signer {keyid, fingerprint, publicKey}';
  return value as unknown as ExchangeStatement<P>;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The person behind a key, checked: the fingerprint must be the fingerprint of the key. */
export function keyedPersonProblem(person: { id: string; fingerprint: string; publicKey: string }, role: string): string | null {
  const key = decodePublicKey(person.publicKey);
  if (!key) return `${role} ${person.id}: publicKey is not a base64 32-byte Ed25519 key`;
  if (keyFingerprint(key) !== person.fingerprint)
    return `${role} ${person.id}: fingerprint ${person.fingerprint} is not the fingerprint of the listed key (${keyFingerprint(key)})`;
  return null;
}
