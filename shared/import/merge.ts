// Merge the parts of one import into one snapshot. Identities with the same id are one identity;
// correlation across sources by employee id, email and login is the importer's next step (issue #3).
import type { SnapshotData } from '../model';
import type { CorrelationSummary } from './types';

export function mergeSnapshotData(parts: SnapshotData[]): { data: SnapshotData; correlation: CorrelationSummary } {
  if (parts.length === 1) return { data: parts[0]!, correlation: { merged: [], ambiguous: [] } };
  const identities = new Map<string, SnapshotData['identities'][number]>();
  const entitlements = new Map<string, SnapshotData['entitlements'][number]>();
  const correlation: CorrelationSummary = { merged: [], ambiguous: [] };
  for (const part of parts) {
    for (const i of part.identities) {
      const existing = identities.get(i.id);
      if (existing) {
        identities.set(i.id, { ...i, ...existing, sources: [...(existing.sources ?? []), ...(i.sources ?? [])] });
        correlation.merged.push({ identityId: i.id, from: [...(existing.sources ?? []), ...(i.sources ?? [])], reason: `same id "${i.id}"` });
      } else identities.set(i.id, i);
    }
    for (const e of part.entitlements) if (!entitlements.has(e.id)) entitlements.set(e.id, e);
  }
  return {
    data: {
      identities: [...identities.values()],
      entitlements: [...entitlements.values()],
      assignments: parts.flatMap((p) => p.assignments),
      credentials: parts.flatMap((p) => p.credentials),
    },
    correlation,
  };
}
