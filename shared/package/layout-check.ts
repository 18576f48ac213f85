// The parts of docs/package-format.md's "Archive layout" that the header check (archiveLayoutDeviations) does not
// see: how each entry is compressed, and the order of the signatures. A package re-zipped with entries stored
// instead of deflated, report.xlsx deflated, or its signatures reordered is no longer the sealed artifact arw wrote.
import type { DsseEnvelope, Statement } from './types';

export interface LayoutFinding {
  check: 'archive' | 'envelope';
  message: string;
  file?: string;
}

/** Stored as is: report.xlsx and embedded decision sets (already ZIP archives themselves), and empty entries. */
function storedAsIs(name: string, size: number): boolean {
  return name === 'report.xlsx' || (name.startsWith('decision-sets/') && name.endsWith('.arwdec')) || size === 0;
}

/** Findings for entries compressed otherwise than documented, and for signatures out of the manifest's signer order. */
export function packageLayoutFindings(
  entries: readonly { name: string; stored: { method: number; size: number } }[],
  envelope: DsseEnvelope | null,
  statement: Statement | null,
): LayoutFinding[] {
  const findings: LayoutFinding[] = [];
  for (const e of entries) {
    const expected = storedAsIs(e.name, e.stored.size) ? 0 : 8;
    if (e.stored.method === expected) continue;
    const how = (m: number) => (m === 0 ? 'stored' : 'deflated');
    findings.push({
      check: 'archive',
      file: e.name,
      message: `${e.name} is ${how(e.stored.method)}, but a package keeps it ${how(expected)} (docs/package-format.md, Archive layout): the archive was re-zipped or edited`,
    });
  }
  const signers = statement?.predicate?.signers;
  if (envelope && Array.isArray(signers)) {
    const order = signers.map((s) => s.keyid);
    const signed = envelope.signatures.map((s) => s.keyid);
    const listed = signed.filter((k) => order.includes(k));
    const expected = order.filter((k) => listed.includes(k));
    if (listed.join('\n') !== expected.join('\n')) {
      findings.push({
        check: 'envelope',
        file: 'manifest.dsse.json',
        message: `the signatures are not in the order of the manifest's signers (found ${listed.join(', ')}; the manifest lists ${expected.join(', ')}): the envelope was rewritten`,
      });
    }
  }
  return findings;
}
