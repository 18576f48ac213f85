// The app's audit-log worker (renderer/workers/audit-log.worker.ts), bundled by Vite and run in Chromium: handed
// audit-log.jsonl's entry as the archive stores it, it inflates it with Compression Streams, hashes it with
// WebCrypto, and, once sent decisions.json's items, gives the findings this thread gives; a damaged entry, or a
// stored one, it leaves unread (the verifier then reads it itself). Skipped where no Chromium is installed.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../shared/codec/digest';
import { analyzeAuditLog, findingsOf, type AuditLogContext } from '../../shared/package/audit-log-analysis';
import { packComparedItems } from '../../shared/package/decision-chain-consistency';
import { deflateEntry } from '../../shared/codec/deflate-codec';
import { readDecisions } from '../../shared/package/package-documents';
import type { PackageItem } from '../../shared/package/types';
import { entriesOf, samplePackage } from '../fixtures/packages/package-kit';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))("the app's audit-log worker, in Chromium", () => {
  let log: Uint8Array;
  let items: PackageItem[];
  let context: AuditLogContext;

  beforeAll(async () => {
    const sample = await samplePackage({ items: 80, seed: 23 });
    const entries = await entriesOf(sample.built.bytes);
    log = entries.find((e) => e.name === 'audit-log.jsonl')!.bytes;
    const decisions = readDecisions(entries.find((e) => e.name === 'decisions.json')!.bytes);
    if (!decisions.ok) throw new Error('the sample decisions.json does not read');
    items = decisions.value.items;
    context = {
      campaignId: sample.input.campaign.id,
      reviewers: sample.input.reviewers.map((r) => ({ id: r.id, fingerprint: r.keyFingerprint })),
    };
  });

  it('reads the log from its stored entry: the same findings and SHA-256 as here; damaged or stored entries unread', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'arw-audit-log-worker-'));
    await build({
      configFile: false,
      logLevel: 'warn',
      build: {
        outDir,
        emptyOutDir: true,
        minify: false,
        lib: {
          entry: resolve('renderer/workers/audit-log.worker.ts'),
          formats: ['iife'],
          name: 'auditLogWorker',
          fileName: () => 'worker.js',
        },
      },
    });
    const code = readFileSync(join(outDir, 'worker.js'), 'utf8');
    const { deflated, crc32 } = await deflateEntry(log);
    const changed = items.map((item, i) =>
      i === 2 && item.decision ? { ...item, decision: { ...item.decision, reviewerId: 'mallory' } } : item,
    );
    const requests = [
      { entry: { method: 8, data: deflated, size: log.length, crc32 }, items: packComparedItems(items) },
      { entry: { method: 8, data: deflated, size: log.length, crc32 }, items: packComparedItems(changed) },
      { entry: { method: 8, data: deflated, size: log.length, crc32 }, items: null },
      { entry: { method: 8, data: deflated, size: log.length, crc32: (crc32 + 1) >>> 0 }, items: null },
      { entry: { method: 8, data: deflated, size: log.length - 1, crc32 }, items: null },
      { entry: { method: 8, data: deflated.subarray(0, deflated.length >> 1), size: log.length, crc32 }, items: null },
      { entry: { method: 0, data: log, size: log.length, crc32 }, items: null },
    ].map((r) => ({ ...r, entry: { ...r.entry, data: Array.from(r.entry.data) } }));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    let replies: { ready?: true; id?: number; packed?: string; sha256?: string; unread?: true; error?: string }[];
    try {
      const page = await browser.newPage();
      // localhost is a secure context, which WebCrypto needs; nothing is fetched from the network.
      await page.route('http://localhost/**', (route) =>
        route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>audit-log worker</title>' }),
      );
      await page.goto('http://localhost/');
      replies = await page.evaluate(
        async ({ source, requests, context }) => {
          const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
          const out: unknown[] = [];
          await new Promise<void>((ready) => (worker.onmessage = () => ready()));
          // The calls of shared/rpc, spoken by hand: analyzeEntry, then the worker asks back for the items.
          for (const [id, r] of requests.entries()) {
            const answer = new Promise<unknown>((done) => {
              worker.onmessage = (e: MessageEvent<{ rpc: string; id: number; method?: string; value?: unknown; error?: unknown }>) => {
                const m = e.data;
                if (m.rpc === 'call' && m.method === 'items') {
                  // The items come a little later, as the task worker's would.
                  setTimeout(() => worker.postMessage({ rpc: 'result', id: m.id, value: r.items }), 10);
                } else if (m.rpc === 'result') done({ id, ...(m.value as object) });
                else if (m.rpc === 'error') done({ id, error: m.error });
              };
            });
            worker.postMessage({
              rpc: 'call',
              id,
              method: 'analyzeEntry',
              args: { entry: { ...r.entry, data: Uint8Array.from(r.entry.data) }, context, key: id },
            });
            out.push(await answer);
          }
          return out as never;
        },
        { source: code, requests, context },
      );
    } finally {
      await browser.close();
    }
    const digest = bytesToHex(sha256(log));
    const analysis = analyzeAuditLog(log, context);
    expect(replies[0]).toStrictEqual({ id: 0, packed: JSON.stringify(findingsOf(analysis, items)), sha256: digest });
    expect(replies[1]).toStrictEqual({ id: 1, packed: JSON.stringify(findingsOf(analysis, changed)), sha256: digest });
    expect(JSON.parse(replies[1]!.packed!).consistency.mismatches.length).toBeGreaterThan(0);
    expect(replies[2]).toStrictEqual({ id: 2, packed: JSON.stringify(findingsOf(analysis, null)), sha256: digest });
    for (const id of [3, 4, 5, 6]) expect(replies[id]).toStrictEqual({ id, unread: true });
  }, 120_000);
});
