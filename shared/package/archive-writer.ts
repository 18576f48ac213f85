// The .arwpkg archive: a plain ZIP, written deterministically (fixed entry order and times, fixed compression).
import { zipSync, type Zippable } from 'fflate';
import { archiveEntryTime } from './package-layout';

/** Entries already compressed (report.xlsx is itself a ZIP) are stored; the rest are deflated at level 6. */
function compressionLevel(name: string): 0 | 6 {
  return name.endsWith('.xlsx') ? 0 : 6;
}

export function writePackageArchive(entries: ReadonlyArray<readonly [name: string, bytes: Uint8Array]>): Uint8Array {
  const zippable: Zippable = {};
  const mtime = archiveEntryTime();
  for (const [name, bytes] of entries) {
    if (name in zippable) throw new Error(`duplicate archive entry "${name}"`);
    zippable[name] = [bytes, { level: compressionLevel(name), mtime }];
  }
  return zipSync(zippable);
}
