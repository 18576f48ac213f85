// The package opened for verification: its entries as they inflate, the envelope and manifest read, the signatures
// checked against the trusted keys and every file against the manifest's digests. verify-package.ts runs the rest.
import { fromUtf8, sameBytes } from '../codec';
import type { OpenedEntry, StoredEntry } from '../codec';
import { parseEnvelope, signatureVerifies } from './dsse-envelope';
import { fileSha256, runtimePrimitives } from '../codec';
import { readStatement } from './package-documents';
import {
  BASELINE_CHANGES_FILE,
  EMBEDDED_SET_NAME,
  ENVELOPE_FILE,
  MANIFEST_FILE,
  OSCAL_ASSESSMENT_RESULTS_FILE,
  OSCAL_POAM_FILE,
  PACKAGE_FILES,
  SUBJECT_FILES,
} from './package-layout';
import { decodePublicKey, keyFingerprint } from './signing-keys';
import type { FindingLog } from './verify-findings';
import type { DsseEnvelope, FileReport, SignerReport, Statement, TrustedKey } from './types';

/** The files checked only by their digest, or by the digest of what the decisions render them to. */
export const DIGESTED_IN_PIECES: readonly string[] = [
  'decisions.csv',
  'report.xlsx',
  'remediation.json',
  'remediation.csv',
  OSCAL_ASSESSMENT_RESULTS_FILE,
  OSCAL_POAM_FILE,
];

/** True when the host inflates in pieces and hashes incrementally: large files need never be held whole. */
export function canDigestInPieces(): boolean {
  const p = runtimePrimitives();
  return p.sha256Stream !== undefined && p.gzip?.gunzipPieces !== undefined;
}

/** A file's size and SHA-256 (hex). */
export interface FileDigest {
  size: number;
  sha256: string;
}

/**
 * The archive's entries as they finish inflating: each is awaited only when a check needs it, so the first checks
 * run while the large files still inflate. A damaged entry is reported once, under `archive`. An entry read on
 * another thread (VerifyOptions.analyzeAuditLogEntry) gives its digest from there, and is inflated here only if
 * something here needs its bytes after all.
 */
export class PackageEntries {
  /** The entries that inflated, so far. */
  readonly files = new Map<string, Uint8Array>();
  readonly names: readonly string[];
  private readonly opened: Map<string, OpenedEntry>;
  private readonly damaged = new Set<string>();
  /** Digests taken elsewhere, as the entry was read there; null: it could not be, and the entry is read here. */
  private readonly digestedElsewhere = new Map<string, Promise<FileDigest | null>>();

  constructor(
    private readonly log: FindingLog,
    entries: readonly OpenedEntry[],
  ) {
    this.names = entries.map((e) => e.name);
    this.opened = new Map(entries.map((e) => [e.name, e]));
  }

  async get(name: string): Promise<Uint8Array | null> {
    const entry = this.opened.get(name);
    if (!entry) return null;
    const bytes = await entry.content;
    if (typeof bytes === 'string') {
      if (!this.damaged.has(name)) this.log.fail('archive', bytes, { file: name });
      this.damaged.add(name);
      return null;
    }
    this.files.set(name, bytes);
    return bytes;
  }

  stored(name: string): StoredEntry | null {
    return this.opened.get(name)?.stored ?? null;
  }

  /**
   * The entry's digest taken as it inflates, a piece at a time, nothing kept (when the host hashes incrementally:
   * see canDigestInPieces); a damaged entry is then read the usual way, which reports it.
   */
  digestInPieces(name: string): void {
    const entry = this.opened.get(name);
    const stream = runtimePrimitives().sha256Stream;
    if (!entry || !stream) return;
    const hash = stream();
    const digest = entry
      .pieces((piece) => hash.update(piece))
      .then((problem) => (problem === null ? { size: entry.stored.size, sha256: hash.digestHex() } : null));
    this.digestedElsewhere.set(name, digest);
  }

  /**
   * The entry handed to `piece` as it inflates, hashed meanwhile, nothing kept (as digestInPieces): true once all of
   * it was, with its size and CRC-32 checked; false when it is missing, damaged or the host cannot (the caller then
   * reads it whole with get(), which reports the damage).
   */
  async readInPieces(name: string, piece: (bytes: Uint8Array) => void): Promise<boolean> {
    const entry = this.opened.get(name);
    const stream = runtimePrimitives().sha256Stream;
    if (!entry || !stream) return false;
    const hash = stream();
    const problem = entry.pieces((bytes) => {
      hash.update(bytes);
      piece(bytes);
    });
    const digest = problem.then((p) => (p === null ? { size: entry.stored.size, sha256: hash.digestHex() } : null));
    this.digestedElsewhere.set(name, digest);
    return (await digest) !== null;
  }

  /** The entry is being read elsewhere, which gives its digest (its size and CRC-32 checked there too). */
  digestElsewhere(name: string, digest: Promise<FileDigest | null>): void {
    this.digestedElsewhere.set(name, digest);
  }

  /** The entry's size and SHA-256; null when it is missing or damaged. */
  async digest(name: string): Promise<FileDigest | null> {
    const elsewhere = await this.digestedElsewhere.get(name);
    if (elsewhere) return elsewhere;
    const bytes = await this.get(name);
    return bytes ? { size: bytes.length, sha256: await fileSha256(bytes) } : null;
  }

  isDamaged(name: string): boolean {
    return this.damaged.has(name);
  }

  /** Every one of `names` read (or vouched for by a digest taken elsewhere), and any damage reported. */
  async settle(names: readonly string[]): Promise<void> {
    for (const name of names) if (!(await this.digestedElsewhere.get(name))) await this.get(name);
  }
}

export interface Opened {
  log: FindingLog;
  files: Map<string, Uint8Array>;
  entries: PackageEntries;
  envelope: DsseEnvelope | null;
  /** The bytes the signatures cover (the DSSE payload), when the envelope could be read. */
  payload: Uint8Array | null;
  statement: Statement | null;
}

// ---------------------------------------------------------------- manifest and signatures

export function openManifest(log: FindingLog, entries: PackageEntries): Opened {
  const files = entries.files;
  const opened: Opened = { log, files, entries, envelope: null, payload: null, statement: null };
  log.markRan('envelope');
  log.markRan('manifest');
  const envelopeBytes = files.get(ENVELOPE_FILE);
  if (envelopeBytes) {
    const parsed = parseEnvelope(fromUtf8(envelopeBytes));
    if (parsed.ok) {
      opened.envelope = parsed.envelope;
      opened.payload = parsed.payload;
    } else for (const problem of parsed.problems) log.fail('envelope', problem, { file: ENVELOPE_FILE });
  } else if (!entries.isDamaged(ENVELOPE_FILE))
    log.fail('envelope', 'the package has no signature envelope (manifest.dsse.json)', { file: ENVELOPE_FILE });
  const manifestBytes = files.get(MANIFEST_FILE);
  if (manifestBytes && opened.payload && !sameBytes(manifestBytes, opened.payload)) {
    log.fail('manifest', 'manifest.intoto.json is not the statement the signatures cover (it differs from the DSSE payload)', {
      file: MANIFEST_FILE,
    });
  }
  const statementBytes = opened.payload ?? manifestBytes;
  if (!statementBytes) {
    if (!entries.isDamaged(MANIFEST_FILE))
      log.fail('manifest', 'the package has no manifest (manifest.intoto.json)', { file: MANIFEST_FILE });
    return opened;
  }
  const statement = readStatement(statementBytes);
  if (statement.ok) opened.statement = statement.value;
  else for (const problem of statement.problems) log.fail('manifest', problem, { file: MANIFEST_FILE });
  return opened;
}

export function checkSignatures(opened: Opened, trustedKeys: readonly TrustedKey[] | undefined): SignerReport[] {
  const { log, envelope, payload, statement } = opened;
  log.markRan('signatures');
  log.markRan('trust');
  if (!envelope || !payload || !statement) {
    log.fail('signatures', 'the signatures cannot be checked without a readable envelope and manifest');
    return [];
  }
  const predicate = statement.predicate;
  for (const r of predicate.reviewers) {
    const key = decodePublicKey(r.publicKey);
    if (!key || keyFingerprint(key) !== r.fingerprint)
      log.fail('manifest', `reviewer ${r.id}: the fingerprint ${r.fingerprint} is not the fingerprint of the listed public key`);
  }
  const listed = new Map(predicate.signers.map((s) => [s.keyid, s]));
  if (listed.size !== predicate.signers.length) log.fail('signatures', 'the manifest lists the same signer key id twice');
  // One key, one person: two reviewers (or a reviewer and another signer) sharing a key is one key acting as two people.
  const personOfKey = new Map<string, string>();
  const sharing = (fingerprint: string, who: string) => {
    const other = personOfKey.get(fingerprint);
    if (other !== undefined && other !== who)
      log.fail('signatures', `one key acting as two people: ${other} and ${who} both use the key ${fingerprint}`);
    else personOfKey.set(fingerprint, who);
  };
  for (const r of predicate.reviewers) sharing(r.fingerprint, `reviewer ${r.id}`);
  for (const signer of predicate.signers)
    sharing(signer.fingerprint, signer.reviewerId !== null ? `reviewer ${signer.reviewerId}` : `signer "${signer.keyid}"`);
  // A pinned key names its holder: it must sign as that person, not as another reviewer.
  if (trustedKeys) {
    for (const r of predicate.reviewers) {
      const pinned = trustedKeys.find((t) => t.fingerprint === r.fingerprint);
      if (pinned && !samePerson(pinned, r))
        log.fail(
          'trust',
          `the key ${r.fingerprint} is pinned in the trust list as "${pinned.name}"${pinned.email ? ` <${pinned.email}>` : ''}, but acts in this package as reviewer ${r.id} "${r.name}"${r.email ? ` <${r.email}>` : ''}`,
        );
    }
  }
  const reports: SignerReport[] = [];
  const signedBy = new Set<string>();
  for (const signature of envelope.signatures) {
    const signer = listed.get(signature.keyid);
    if (signedBy.has(signature.keyid)) log.fail('signatures', `key id "${signature.keyid}" signed twice`);
    signedBy.add(signature.keyid);
    if (!signer) {
      log.fail('signatures', `a signature by key id "${signature.keyid}", which the manifest does not list as a signer`);
      reports.push({ keyid: signature.keyid, fingerprint: null, reviewerId: null, signatureValid: false, pinned: false, trustedAs: null });
      continue;
    }
    const key = decodePublicKey(signer.publicKey);
    const fingerprintOk = key !== null && keyFingerprint(key) === signer.fingerprint;
    if (!fingerprintOk)
      log.fail('signatures', `signer "${signer.keyid}": the fingerprint ${signer.fingerprint} is not the fingerprint of its public key`);
    const valid = fingerprintOk && signatureVerifies(payload, signature.sig, signer.publicKey);
    if (fingerprintOk && !valid)
      log.fail(
        'signatures',
        `the signature of "${signer.keyid}" (${signer.fingerprint}) does not verify: the manifest or the signature was changed, or another key signed`,
      );
    const trusted = trustedKeys?.find((t) => t.fingerprint === signer.fingerprint && t.publicKey === signer.publicKey) ?? null;
    reports.push({
      keyid: signer.keyid,
      fingerprint: signer.fingerprint,
      reviewerId: signer.reviewerId,
      signatureValid: valid,
      pinned: trusted !== null,
      trustedAs: trusted ? { name: trusted.name, ...(trusted.email ? { email: trusted.email } : {}) } : null,
    });
    if (trustedKeys && !trusted) log.fail('trust', `signer "${signer.keyid}" (${signer.fingerprint}) is not in the trust list`);
    if (!trustedKeys)
      log.warn(
        'trust',
        `signer "${signer.keyid}" (${signer.fingerprint}) is not pinned by a trust list: the signature proves the package is intact, not who signed it (load a trust list of the reviewers' keys to pin it)`,
      );
  }
  for (const signer of predicate.signers) {
    if (!signedBy.has(signer.keyid)) log.fail('signatures', `"${signer.keyid}" is listed as a signer but its signature is missing`);
    if (signer.reviewerId !== null) {
      const reviewer = predicate.reviewers.find((r) => r.id === signer.reviewerId);
      if (!reviewer || reviewer.fingerprint !== signer.fingerprint)
        log.fail('manifest', `signer "${signer.keyid}" claims to be reviewer ${signer.reviewerId}, whose key differs`);
    }
  }
  return reports;
}

/** The trust list's name (and email, where both give one) is the reviewer's: case and spacing aside. */
function samePerson(pinned: TrustedKey, reviewer: { name: string; email: string | null }): boolean {
  const norm = (t: string) => t.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  if (norm(pinned.name) !== norm(reviewer.name)) return false;
  return !pinned.email || !reviewer.email || norm(pinned.email) === norm(reviewer.email);
}

// ---------------------------------------------------------------- files

export async function checkFiles(opened: Opened): Promise<FileReport[]> {
  const { log, entries, statement } = opened;
  const listed = new Map((statement?.subject ?? []).map((s) => [s.name, s.digest.sha256]));
  const embedded = (statement?.predicate.decisionSets ?? []).map((d) => d.file);
  const baseline = statement?.predicate.baseline ? [BASELINE_CHANGES_FILE] : [];
  const subjectFiles = [...SUBJECT_FILES, ...baseline, ...embedded];
  if (statement) {
    const names = statement.subject.map((s) => s.name);
    for (const name of names)
      if (!subjectFiles.includes(name)) log.fail('manifest', `the manifest lists "${name}", which is not a file of the format`);
    for (const name of subjectFiles) if (!listed.has(name)) log.fail('manifest', `the manifest does not list ${name}`);
    if (names.length !== listed.size) log.fail('manifest', 'the manifest lists a file twice');
    for (const d of statement.predicate.decisionSets ?? []) {
      if (!EMBEDDED_SET_NAME.test(d.file) || d.file !== `decision-sets/${d.statementDigest.replace(/^sha256:/, '')}.arwdec`)
        log.fail('manifest', `the embedded decision set "${d.file}" is not named by its statement digest ${d.statementDigest}`);
    }
    if (new Set(embedded).size !== embedded.length) log.fail('manifest', 'the manifest lists an embedded decision set twice');
  }
  const reports = await Promise.all(
    subjectFiles.map(async (name): Promise<FileReport> => {
      const digest = await entries.digest(name);
      const expected = listed.get(name) ?? null;
      if (!digest)
        return { name, size: null, expectedSha256: expected, actualSha256: null, status: entries.isDamaged(name) ? 'damaged' : 'missing' };
      const actual = digest.sha256;
      const matches = expected !== null && actual === expected;
      if (expected !== null && !matches)
        log.fail('files', `${name} was changed: its SHA-256 ${actual} is not the ${expected} the manifest lists`, { file: name });
      return {
        name,
        size: digest.size,
        expectedSha256: expected,
        actualSha256: actual,
        status: expected === null ? 'unlisted' : matches ? 'ok' : 'digest-mismatch',
      };
    }),
  );
  for (const name of entries.names) {
    if ((PACKAGE_FILES as readonly string[]).includes(name) || embedded.includes(name) || baseline.includes(name)) continue;
    if (name === BASELINE_CHANGES_FILE)
      log.fail('files', `unexpected file "${name}": the statement names no baseline certification`, { file: name });
    if (EMBEDDED_SET_NAME.test(name))
      log.fail('files', `unexpected file "${name}": a decision set the manifest does not list`, { file: name });
    const digest = await entries.digest(name);
    reports.push({ name, size: digest?.size ?? null, expectedSha256: null, actualSha256: digest?.sha256 ?? null, status: 'unexpected' });
  }
  return reports;
}

// ---------------------------------------------------------------- content
