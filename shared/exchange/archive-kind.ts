// Which kind of signed archive some bytes are: read from the manifest's predicateType, before any verification.
import { fromUtf8 } from '../codec';
import { openArchiveSource, openPackageArchive, type RandomAccessSource } from '../codec';
import { MANIFEST_FILE, PREDICATE_TYPE } from '../package';
import { DECISION_SET_PREDICATE, WORK_PACKAGE_PREDICATE } from './layout';

export type ArchiveKind = 'work-package' | 'decision-set' | 'certification-package';

/** The archive's kind by its manifest's predicateType; null when it has no readable manifest of a known kind (the
 * caller then verifies it as a certification package, which reports why it is not one). */
export async function detectArchiveKind(input: Uint8Array | RandomAccessSource): Promise<ArchiveKind | null> {
  // Only the manifest is read (a package of 1,000,000 decisions holds 4 GiB of files).
  const archive =
    input instanceof Uint8Array ? openPackageArchive(input, {}, { lazy: true }) : await openArchiveSource(input, {}, { lazy: true });
  if (!archive.ok) return null;
  const manifest = archive.entries.find((e) => e.name === MANIFEST_FILE);
  if (!manifest) return null;
  const content = await manifest.content;
  if (typeof content === 'string') return null;
  let type: unknown;
  try {
    type = (JSON.parse(fromUtf8(content)) as { predicateType?: unknown }).predicateType;
  } catch {
    return null;
  }
  return type === WORK_PACKAGE_PREDICATE
    ? 'work-package'
    : type === DECISION_SET_PREDICATE
      ? 'decision-set'
      : type === PREDICATE_TYPE
        ? 'certification-package'
        : null;
}
