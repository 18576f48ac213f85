// Runs inside headless Chromium: the real backend worker (which owns the Dexie database), real IndexedDB.
import Dexie from 'dexie';
import { command, runTask } from '../../../renderer/backend';
import { getHost } from '../../../renderer/host';
import { DEFAULT_POLICY } from '../../../shared/suggest';
import { EVERYTHING, type CampaignScope } from '../../../shared/review/scope';

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetch ${url}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function fetchBlob(url: string): Promise<Blob> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetch ${url}: ${res.status}`);
  return await res.blob();
}

const api = {
  async importSnapshot(files: { name: string; url: string }[]) {
    // Blobs, as the import screen hands a dropped File to the worker (the worker reads them in chunks).
    const loaded = await Promise.all(files.map(async (f) => ({ name: f.name, blob: await fetchBlob(f.url) })));
    const started = performance.now();
    // Tell the harness which phase the memory it samples belongs to: reading and parsing, or storing.
    const announce = (window as unknown as { benchPhase?: (name: string) => Promise<void> }).benchPhase;
    let phase = '';
    const onProgress = (p: { label: string }) => {
      const next = p.label === 'Storing snapshot' ? 'store' : 'readParse';
      if (next !== phase) void announce?.((phase = next));
    };
    const result = await runTask('importSnapshot', { files: loaded, name: 'bench', acceptRejected: false }, { onProgress }).result;
    return {
      seconds: (performance.now() - started) / 1000,
      status: result.status,
      snapshotId: result.snapshotId,
      totals: result.totals,
      workerSeconds: result.seconds,
      phases: result.phases,
    };
  },
  async reopenSnapshot(snapshotId: string) {
    const started = performance.now();
    const result = await runTask('openSnapshot', { snapshotId }).result;
    return { seconds: (performance.now() - started) / 1000, ...result };
  },
  /** All signals over a stored snapshot, in the app's worker (as campaign creation runs them). */
  async suggestInWorker(snapshotId: string, memory?: { heapLimitMiB: number }) {
    const r = await runTask('suggest', {
      snapshotId,
      policy: DEFAULT_POLICY,
      asOf: '2026-11-22T00:00:00Z',
      scope: EVERYTHING,
      ...(memory ? { memory } : {}),
    }).result;
    return { suggestions: r.count, ...r.timings, ...(r.memory ? { estimateMiB: r.memory.needMiB, limitMiB: r.memory.limitMiB } : {}) };
  },
  /** The naive design, for comparison: one IndexedDB record per assignment row with three indexes. */
  async perRowBulkPut(url: string, limit: number) {
    const text = new TextDecoder().decode(await fetchBytes(url));
    const lines = text.split('\n');
    const rows: { identityId: string; entitlementId: string; grantedAt: string; lastUsedAt: string; source: string }[] = [];
    for (let i = 1; i < lines.length && rows.length < limit; i++) {
      const [identityId = '', entitlementId = '', grantedAt = '', lastUsedAt = '', source = ''] = lines[i]!.split(',');
      if (identityId) rows.push({ identityId, entitlementId, grantedAt, lastUsedAt, source });
    }
    const db = new Dexie(`bench-per-row-${Date.now()}`);
    db.version(1).stores({ assignments: '++id, identityId, entitlementId, lastUsedAt' });
    await db.open();
    const started = performance.now();
    for (let i = 0; i < rows.length; i += 10_000) await db.table('assignments').bulkPut(rows.slice(i, i + 10_000));
    const seconds = (performance.now() - started) / 1000;
    await db.delete();
    return { rows: rows.length, seconds };
  },
  /** A campaign over everything a fresh import holds, reviewed by one profile, as the app would create it. */
  async seedCampaign(files: { name: string; url: string }[]) {
    const imported = await api.importSnapshot(files);
    if (imported.status !== 'stored' || !imported.snapshotId) throw new Error(`import: ${imported.status}`);
    return { ...(await api.campaignFor(imported.snapshotId)), importSeconds: imported.seconds };
  },
  /** The bench campaign over everything a stored snapshot holds (or `scope` of it, as campaign `id`), reviewed by one
   * profile, made the active one. */
  async campaignFor(snapshotId: string, memory?: { heapLimitMiB: number }, scope: CampaignScope = EVERYTHING, id = 'camp-bench') {
    // A real key in the app's key store: every decision the bench records is signed with it, as a reviewer's is.
    const key = await getHost().ensureSigningKey('bench-reviewer');
    if (!key.ok) throw new Error(`bench signing key: ${key.error}`);
    const reviewer = {
      id: 'bench-reviewer',
      name: 'Bench Reviewer',
      keyId: 'bench-reviewer',
      publicKey: key.value.publicKey,
      fingerprint: key.value.fingerprint,
      createdAt: new Date().toISOString(),
    };
    await command('saveReviewer', { reviewer });
    const assignment = { rule: 'named' as const, fallbackReviewerId: reviewer.id };
    const started = performance.now();
    const actor = { id: reviewer.id, name: reviewer.name, keyFingerprint: reviewer.fingerprint };
    const s = await runTask('createCampaign', {
      id,
      name: 'Bench campaign',
      snapshotId,
      policy: DEFAULT_POLICY,
      asOf: '2026-11-22',
      scope,
      assignment,
      profiles: [reviewer],
      actor,
      ...(memory ? { memory } : {}),
    }).result;
    const suggestSeconds = (performance.now() - started) / 1000;
    await command('putSettings', {
      entries: [
        ['activeReviewer', reviewer.id],
        ['activeCampaign', id],
      ],
    });
    return { items: s.inScope, suggestSeconds, timings: s.timings };
  },
  /** Export and verify a generated certification package in a worker, as the app's tasks do (package-bench.worker.ts). */
  async packageInWorker(request: { items: number; runs: number }) {
    const worker = new Worker(new URL('./package-bench.worker.ts', import.meta.url), { type: 'module', name: 'arw-package-bench' });
    try {
      const reply = await new Promise<{ ok: boolean; result?: unknown; error?: string }>((resolve) => {
        worker.onmessage = (e) => resolve(e.data as { ok: boolean; result?: unknown; error?: string });
        worker.onerror = (e) => resolve({ ok: false, error: e.message });
        worker.postMessage(request);
      });
      if (!reply.ok) throw new Error(reply.error);
      return reply.result;
    } finally {
      worker.terminate();
    }
  },
  async clearDatabase() {
    await Dexie.delete('access-review-workbench');
  },
};

(window as unknown as { bench: typeof api }).bench = api;
document.getElementById('status')!.textContent = 'ready';
