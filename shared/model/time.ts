// Date handling shared by parsers and engines. All instants are epoch milliseconds, UTC.

export const DAY_MS = 86_400_000;

/** Parse an ISO 8601 date or date-time; returns NaN when it is not one. */
export function parseInstant(text: string | undefined | null): number {
  if (text === undefined || text === null) return Number.NaN;
  const t = text.trim();
  if (t === '') return Number.NaN;
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) return Number.NaN;
  // Date-only and zone-less values are taken as UTC so results never depend on the machine's zone.
  const normalized =
    /[T ]/.test(t) && !/(Z|[+-]\d{2}:?\d{2})$/.test(t)
      ? `${t.replace(' ', 'T')}Z`
      : t.length === 10
        ? `${t}T00:00:00Z`
        : t.replace(' ', 'T');
  return Date.parse(normalized);
}

export function isValidInstant(text: string): boolean {
  return !Number.isNaN(parseInstant(text));
}

export function daysBetween(fromMs: number, toMs: number): number {
  return Math.floor((toMs - fromMs) / DAY_MS);
}

export function toIsoDate(ms: number): string {
  return new Date(ms).toISOString();
}
