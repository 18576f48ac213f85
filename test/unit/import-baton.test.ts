// Baton .c1z sync files (../shared/datasets/baton-c1z): counts and effective grants derived here independently
// from the SQLite file (fzstd + sql.js queries on its columns, no protobuf), refusals with their reasons, limits
// against decompression bombs, and fuzzed inputs that never crash or hang the importer.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { decompress } from 'fzstd';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesSource, importFiles, importSources, type ImportOutcome } from '../../shared/import';
import { countDirectAssignments } from '../../shared/model';

const DATASETS = process.env.ARW_DATASETS ?? resolve(__dirname, '../../../shared/datasets');
const DIR = join(DATASETS, 'baton-c1z');
const present = existsSync(DIR);
if (!present) console.warn(`import-baton: skipped, dataset folder ${DIR} not found (set ARW_DATASETS)`);
const EXPANDED = 'sync.36zfOAoWMxQdISbixanQCRBiX7E.expanded.c1z';
const UNEXPANDED = 'sync.36zfOAoWMxQdISbixanQCRBiX7E.unexpanded.c1z';

let SQL: SqlJsStatic;
const sqlite = () => ({ open: (b: Uint8Array) => new SQL.Database(b) });
beforeAll(async () => {
  SQL = await initSqlJs();
});
const bytes = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));
const load = (name: string, b = bytes(name), extra = {}): ImportOutcome =>
  importFiles([{ name, bytes: b }], { sqlite: sqlite(), ...extra });

/** The database of a v1 file, opened with sql.js directly. */
function database(name: string) {
  return new SQL.Database(decompress(bytes(name).subarray(5)));
}
function column(db: ReturnType<typeof database>, sql: string): unknown[][] {
  return db.exec(sql)[0]?.values ?? [];
}

/** A zstd frame of raw (stored) and RLE blocks: lets the test build .c1z files around any bytes without a compressor. */
function zstdFrame(blocks: ({ raw: Uint8Array } | { rle: number; times: number })[]): Uint8Array {
  const out: number[] = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]; // magic; no checksum, no content size; window 128 KiB
  blocks.forEach((b, i) => {
    const last = i === blocks.length - 1 ? 1 : 0;
    const size = 'raw' in b ? b.raw.length : b.times;
    const header = last | (('raw' in b ? 0 : 1) << 1) | (size << 3);
    out.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff);
    if ('raw' in b) for (const x of b.raw) out.push(x);
    else out.push(b.rle);
  });
  return new Uint8Array(out);
}
function c1z(payload: Uint8Array): Uint8Array {
  const blocks: { raw: Uint8Array }[] = [];
  for (let at = 0; at < payload.length; at += 128 * 1024) blocks.push({ raw: payload.subarray(at, at + 128 * 1024) });
  const frame = zstdFrame(blocks);
  const out = new Uint8Array(5 + frame.length);
  out.set([0x43, 0x31, 0x5a, 0x46, 0x00]);
  out.set(frame, 5);
  return out;
}

describe.skipIf(!present)('Baton .c1z: the sample syncs', () => {
  it('the expanded sync: users, entitlements, and as effective access exactly the user grants Baton expanded', () => {
    const db = database(EXPANDED);
    // Independent: user resources, entitlement rows, and the distinct (user, entitlement) pairs of the grant rows.
    expect(column(db, "SELECT external_id FROM v1_resource_types WHERE external_id = 'user'")).toHaveLength(1);
    const users = Number(
      column(db, "SELECT count(DISTINCT resource_type_id || ':' || external_id) FROM v1_resources WHERE resource_type_id = 'user'")[0]![0],
    );
    const entitlements = Number(column(db, 'SELECT count(DISTINCT external_id) FROM v1_entitlements')[0]![0]);
    const pairs = new Set(
      column(db, "SELECT principal_resource_id, entitlement_id FROM v1_grants WHERE principal_resource_type_id = 'user'").map(
        ([p, e]) => `baton:user:${String(p)} > baton:${String(e)}`,
      ),
    );
    db.close();
    const out = load(EXPANDED);
    expect(out.refused).toEqual([]);
    expect(out.sources[0]).toMatchObject({ format: 'baton-c1z', rowsRejected: 0 });
    expect(out.data.identities).toHaveLength(users);
    expect(out.data.entitlements).toHaveLength(entitlements);
    expect(new Set(out.data.assignments.map((a) => `${a.identityId} > ${a.entitlementId}`))).toEqual(pairs);
    expect(out.data.assignments).toHaveLength(pairs.size);
    expect(out.data.identities[0]).toMatchObject({
      type: 'human',
      typeReason: 'Baton user trait account type HUMAN',
      status: 'active',
      login: expect.any(String),
      email: expect.stringContaining('@'),
    });
  });

  it("the unexpanded sync (stopped before expansion): its user grants are the direct ones; the workbench expands them to Baton's own result", () => {
    const db = database(UNEXPANDED);
    const direct = new Map<string, Set<string>>();
    for (const [p, e] of column(
      db,
      "SELECT principal_resource_id, entitlement_id FROM v1_grants WHERE principal_resource_type_id = 'user'",
    )) {
      const id = `baton:user:${String(p)}`;
      if (!direct.has(id)) direct.set(id, new Set());
      direct.get(id)!.add(`baton:${String(e)}`);
    }
    expect(column(db, 'SELECT ended_at FROM v1_sync_runs')).toEqual([[null]]);
    db.close();
    const exp = database(EXPANDED);
    const expandedPairs = new Set(
      column(exp, "SELECT principal_resource_id, entitlement_id FROM v1_grants WHERE principal_resource_type_id = 'user'").map(
        ([p, e]) => `baton:user:${String(p)} > baton:${String(e)}`,
      ),
    );
    exp.close();
    const out = load(UNEXPANDED);
    expect(out.refused).toEqual([]);
    expect(out.files[0]!.errors.map((e) => e.message)).toContain(
      'sync 36zfOAoWMxQdISbixanQCRBiX7E stopped before grant expansion (everything was listed); inherited access is expanded by the workbench',
    );
    expect(countDirectAssignments(out.data)).toBe([...direct.values()].reduce((n, s) => n + s.size, 0));
    expect(new Set(out.data.assignments.map((a) => `${a.identityId} > ${a.entitlementId}`))).toEqual(expandedPairs);
    // Every inherited grant starts at a grant the user holds directly.
    const inherited = out.data.assignments.filter((a) => a.path?.length);
    expect(inherited.length).toBeGreaterThan(0);
    for (const a of inherited) expect(direct.get(a.identityId)!.has(a.path![0]!)).toBe(true);
  });

  it("read in chunks (the worker's path), the same outcome as whole", async () => {
    const whole = load(UNEXPANDED);
    const chunked = await importSources([bytesSource(UNEXPANDED, bytes(UNEXPANDED), 64 * 1024)], { sqlite: sqlite() });
    expect(chunked.data).toEqual(whole.data);
    expect(chunked.sources.map((x) => ({ ...x, importedAt: '' }))).toEqual(whole.sources.map((x) => ({ ...x, importedAt: '' })));
  });

  it('refuses the sync that never finished, saying where it stopped', () => {
    const out = load('sync-in-progress.c1z');
    expect(out.data.identities).toEqual([]);
    expect(out.refused).toHaveLength(1);
    expect(out.refused[0]!.message).toMatch(
      /^sync 3ARefY5G8eOytquwYgm41Nq07IZ, started 2026-03-03 .* never finished \(it stopped at "list-entitlements", with grant-expansion, list-grants still to do\)/,
    );
  });

  it('refuses a C1Z3 file, saying what its manifest holds and how to produce a readable export', () => {
    const out = load('sync.36zGvJw3uxU1QMJKU2yPVQ1hBOC.unexpanded.pebble.c1z');
    expect(out.refused).toHaveLength(1);
    const m = out.refused[0]!.message;
    expect(m).toMatch(/^a Baton \.c1z v3 file \(engine pebble2/);
    expect(m).toContain('36zGvJw3uxU1QMJKU2yPVQ1hBOC SYNC_TYPE_FULL ended 2026-');
    expect(m).toMatch(/SQLite storage .* baton CLI as JSON/);
  });

  it('without a SQLite engine, a .c1z is refused saying so (never read as text)', () => {
    const out = importFiles([{ name: EXPANDED, bytes: bytes(EXPANDED) }]);
    expect(out.refused[0]!.message).toMatch(/needs the SQLite engine/);
  });

  it('a database larger than the limit is refused before it is held whole', () => {
    const out = load(EXPANDED, undefined, { c1zMaxBytes: 4 * 1024 * 1024 });
    expect(out.refused[0]!.message).toMatch(/grows past 4 MiB .* decompression bomb/);
  });
});

describe('Baton .c1z: hostile inputs', () => {
  it('a zstd bomb (RLE blocks claiming gigabytes) is refused within the ratio limit, quickly', () => {
    const blocks = Array.from({ length: 40_000 }, () => ({ rle: 0x41, times: 128 * 1024 }));
    const frame = zstdFrame(blocks); // 160 KB expanding to 5 GiB
    const file = new Uint8Array(5 + frame.length);
    file.set([0x43, 0x31, 0x5a, 0x46, 0x00]);
    file.set(frame, 5);
    const t = Date.now();
    const out = importFiles([{ name: 'bomb.c1z', bytes: file }], { sqlite: sqlite() });
    expect(out.refused[0]!.message).toMatch(/decompression bomb/);
    expect(Date.now() - t).toBeLessThan(10_000);
  });

  it('a stored zstd frame around something that is not SQLite is refused', () => {
    const out = importFiles([{ name: 'x.c1z', bytes: c1z(new TextEncoder().encode('hello, not a database')) }], { sqlite: sqlite() });
    expect(out.refused[0]!.message).toBe('the decompressed content is not a SQLite database');
  });

  it.skipIf(!present)('fuzzed .c1z inputs (compressed bytes, and SQLite pages under a stored frame) never throw and end quickly', () => {
    // A small real Baton database: the unexpanded sync cut down to a few rows of each table.
    const db = database(UNEXPANDED);
    db.run(
      "DELETE FROM v1_resources WHERE id NOT IN (SELECT id FROM v1_resources WHERE resource_type_id = 'user' LIMIT 20) AND id NOT IN (SELECT id FROM v1_resources WHERE resource_type_id <> 'user' LIMIT 20)",
    );
    db.run(
      "DELETE FROM v1_grants WHERE id NOT IN (SELECT id FROM v1_grants WHERE principal_resource_type_id = 'user' LIMIT 30) AND id NOT IN (SELECT id FROM v1_grants WHERE principal_resource_type_id <> 'user' LIMIT 30)",
    );
    db.run('DELETE FROM v1_entitlements WHERE id NOT IN (SELECT id FROM v1_entitlements LIMIT 40)');
    db.run("UPDATE v1_sync_runs SET ended_at = '2025-12-17 16:40:00'");
    db.run('VACUUM');
    const small = db.export();
    db.close();
    const baseline = importFiles([{ name: 'small.c1z', bytes: c1z(small) }], { sqlite: sqlite() });
    expect(baseline.refused).toEqual([]);
    expect(baseline.data.identities.length).toBeGreaterThan(0);
    expect(baseline.data.assignments.length).toBeGreaterThan(0);
    const compressed = bytes('sync-in-progress.c1z');
    const mutation = (size: number) =>
      fc.array(fc.tuple(fc.nat({ max: size - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 });
    const apply = (base: Uint8Array, edits: [number, number][], cut: number | null) => {
      const out = base.slice(0, cut ?? base.length);
      for (const [at, v] of edits) if (at < out.length) out[at] = v;
      return out;
    };
    const check = (name: string, b: Uint8Array) => {
      const t = Date.now();
      const out = importFiles([{ name, bytes: b }], { sqlite: sqlite() });
      expect(Date.now() - t).toBeLessThan(5_000);
      // Either refused as a whole with a reason, or read with any bad rows rejected by number.
      if (out.refused.length) expect(out.refused[0]!.message.length).toBeGreaterThan(10);
      else expect(out.sources[0]!.format).toBe('baton-c1z');
    };
    fc.assert(
      fc.property(mutation(small.length), fc.option(fc.nat({ max: small.length }), { nil: null }), (edits, cut) =>
        check(
          'fuzz-sqlite.c1z',
          c1z(
            apply(
              small,
              edits.map(([a, v]) => [a, v]),
              cut,
            ),
          ),
        ),
      ),
      { numRuns: 60, seed: 20_2026 },
    );
    fc.assert(
      fc.property(mutation(compressed.length), fc.option(fc.nat({ max: compressed.length }), { nil: null }), (edits, cut) =>
        check(
          'fuzz-zstd.c1z',
          apply(
            compressed,
            edits.map(([a, v]) => [Math.max(5, a), v]),
            cut,
          ),
        ),
      ),
      { numRuns: 60, seed: 20_2026 },
    );
  });
});
