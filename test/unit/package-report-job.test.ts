// report.xlsx written on another thread (shared/package/report-job.ts): a job (decisions.json read back there)
// gives the very bytes the items give on the package's thread, through real message ports and through the arw
// CLI's worker thread; a thread that fails, refuses or never starts leaves the result the same (written here); a
// build that fails abandons its report; a late sheet must bring the rows it declared.
import { MessageChannel } from 'node:worker_threads';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installNodeRuntime } from '../../electron/cli/node-primitives';
import { buildCertificationPackageOnNode, startReportWorker } from '../../electron/cli/node-runtime';
import { buildCertificationPackage } from '../../shared/package';
import type { CertificationInput } from '../../shared/package';
import {
  ReportJobClient,
  reportJobHandlers,
  type ReportBuilder,
  type ReportHandlers,
  type ReportJob,
} from '../../shared/package/report-job';
import { connect, type Endpoint, type Handlers } from '../../shared/rpc';
import type { ReportDraft } from '../../shared/package/report-workbook';
import { resetRuntimePrimitives } from '../../shared/codec/runtime-primitives';
import { writeWorkbook } from '../../shared/codec/xlsx-writer';
import { samplePackage, text, type SamplePackage } from '../fixtures/packages/package-kit';

let sample: SamplePackage;

beforeAll(async () => {
  sample = await samplePackage({ items: 60, seed: 5 });
});

afterEach(() => {
  resetRuntimePrimitives();
});

/** A report thread in this process: the two sides of a real MessageChannel (structured clone, transfer), through shared/rpc. */
function channelBuilder(options: { failAfterStart?: boolean; replyError?: string } = {}): {
  client: ReportJobClient;
  close(): void;
  requests: string[];
} {
  const { port1, port2 } = new MessageChannel();
  const requests: string[] = [];
  const served = reportJobHandlers();
  const handlers: Handlers = {};
  let client: ReportJobClient | null = null;
  for (const [method, handler] of Object.entries(served)) {
    handlers[method] = (args: unknown, ctx: unknown) => {
      requests.push(method.replace(/^report/, '').toLowerCase());
      if (options.replyError && method === 'reportFinish') throw new Error(options.replyError);
      if (options.failAfterStart && method === 'reportFinish') {
        client!.fail();
        return new Promise(() => {});
      }
      return (handler as (a: unknown, c: unknown) => unknown)(args, ctx);
    };
  }
  connect(port2 as unknown as Endpoint, handlers);
  client = new ReportJobClient(connect<ReportHandlers>(port1 as unknown as Endpoint));
  return {
    client,
    requests,
    close() {
      port1.close();
      port2.close();
    },
  };
}

/** Text that stresses the report: markup, formulas, controls, white space, astral and lone surrogates. */
const awkwardText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('=1+1', '@SUM(A1)', ' lead', 'trail ', 'a\r\nb', '<b>&amp;</b>', '\u001f', '\uD83D\uDE00', '\uD800x', ''),
);

describe('report.xlsx on another thread', () => {
  it('the package is byte for byte the same with the report written from a job (decisions.json read back) as from the items', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(59), awkwardText, awkwardText), { minLength: 1, maxLength: 6 }), async (edits) => {
        const input: CertificationInput = structuredClone(sample.input);
        for (const [at, name, target] of edits) {
          const item = input.items[at]!;
          item.identity = { ...item.identity, displayName: name };
          if (item.target) item.target = { ...item.target, name: target };
        }
        const here = await buildCertificationPackage(input, sample.signers);
        const thread = channelBuilder();
        try {
          const there = await buildCertificationPackage(input, sample.signers, { reportBuilder: thread.client });
          expect(thread.requests).toStrictEqual(['start', 'finish']);
          expect(thread.client.writtenHere).toBe(0);
          expect(text(there.files['report.xlsx']!) === text(here.files['report.xlsx']!)).toBe(true);
          expect(Buffer.compare(there.bytes, here.bytes)).toBe(0);
        } finally {
          thread.close();
        }
      }),
      { numRuns: 8 },
    );
  });

  it('a thread that replies an error, stops while a job waits, or never started: the report is written here, the same', async () => {
    const expected = sample.built.bytes;
    for (const thread of [channelBuilder({ replyError: 'out of memory' }), channelBuilder({ failAfterStart: true })]) {
      try {
        const built = await buildCertificationPackage(sample.input, sample.signers, { reportBuilder: thread.client });
        expect(Buffer.compare(built.bytes, expected)).toBe(0);
        expect(thread.client.writtenHere).toBe(1);
      } finally {
        thread.close();
      }
    }
    const none = new ReportJobClient(null);
    expect(Buffer.compare((await buildCertificationPackage(sample.input, sample.signers, { reportBuilder: none })).bytes, expected)).toBe(
      0,
    );
    const closedPort: Endpoint = {
      postMessage() {
        throw new Error('the port is closed');
      },
      addEventListener() {},
      removeEventListener() {},
    };
    const throwing = new ReportJobClient(connect<ReportHandlers>(closedPort));
    expect(
      Buffer.compare((await buildCertificationPackage(sample.input, sample.signers, { reportBuilder: throwing })).bytes, expected),
    ).toBe(0);
  });

  it('a build that fails after the report started abandons it, and a job the thread could not read fails there and here alike', async () => {
    const abandoned: string[] = [];
    const recording: ReportBuilder = {
      start(job: ReportJob): ReportDraft {
        return {
          finish: () => Promise.reject(new Error('unreachable: the build failed first')),
          abandon: () => abandoned.push(job.predicate.campaign.id),
        };
      },
    };
    const input = structuredClone(sample.input);
    input.auditEvents[3] = { ...input.auditEvents[3]!, rationale: 'edited after the fact' };
    await expect(buildCertificationPackage(input, sample.signers, { reportBuilder: recording })).rejects.toThrow(/audit log is broken/);
    expect(abandoned).toStrictEqual([input.campaign.id]);

    // decisions.json that is not JSON: the thread replies the parse error; here, the same code refuses it too.
    const thread = channelBuilder();
    try {
      const draft = thread.client.start({
        decisionsJson: new TextEncoder().encode('{"items": ['),
        names: [],
        predicate: sample.built.manifest.predicate,
        metrics: [],
        sources: [],
        policy: {},
      });
      await expect(draft.finish({ head: 'x', length: 1 })).rejects.toThrow(/JSON/);
    } finally {
      thread.close();
    }
  });

  it('a late sheet must bring the rows it declared', async () => {
    const columns = [{ header: 'A', kind: 'text' as const, width: 10 }];
    const ok = await writeWorkbook([{ name: 'Late', columns, rowCount: 2, rows: Promise.resolve([['x'], ['y']]) }], {
      title: 't',
      creator: 'c',
      createdAt: new Date(0),
    });
    expect(ok.length).toBeGreaterThan(0);
    await expect(
      writeWorkbook([{ name: 'Late', columns, rowCount: 2, rows: Promise.resolve([['x']]) }], {
        title: 't',
        creator: 'c',
        createdAt: new Date(0),
      }),
    ).rejects.toThrow(/sheet "Late": 1 rows arrived, 2 were declared/);
  });

  it('on Node, the report on a worker thread gives the package the one thread gives', async () => {
    installNodeRuntime();
    const here = await buildCertificationPackage(sample.input, sample.signers);
    const there = await buildCertificationPackageOnNode(sample.input, sample.signers);
    expect(Buffer.compare(there.bytes, here.bytes)).toBe(0);
    // And the worker is a real one: it writes a report after the last build closed its own.
    const worker = await startReportWorker();
    try {
      const built = await buildCertificationPackage(sample.input, sample.signers, { reportBuilder: worker.builder });
      expect(Buffer.compare(built.bytes, here.bytes)).toBe(0);
      expect(worker.builder.writtenHere).toBe(0);
    } finally {
      await worker.close();
    }
  }, 60_000);
});
