// The screen the app was on, kept in localStorage so a reload returns to it.

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The screen the app was on, restored at start (a package opened with the app still goes to Verify). */
export function loadScreen<T extends string>(allowed: readonly T[], fallback: T): T {
  const s = storage()?.getItem('arw:screen');
  return s && (allowed as readonly string[]).includes(s) ? (s as T) : fallback;
}

export function saveScreen(screen: string): void {
  try {
    storage()?.setItem('arw:screen', screen);
  } catch {
    // A full or unavailable storage only costs the restore after a reload.
  }
}
