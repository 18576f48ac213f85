// Inherited access survives the chunked snapshot storage: path and derivedFrom columns round-trip; chunks of direct
// grants only carry no extra columns (and older chunks without them still decode).
import { describe, expect, it } from 'vitest';
import { decodeAssignments, encodeAssignments } from '../../renderer/db/chunk-codec';
import type { Assignment } from '../../shared/model';

describe('chunk codec: grant paths', () => {
  it('round-trips path and derivedFrom, and leaves direct grants without them', () => {
    const rows: Assignment[] = [
      { identityId: 'ann', entitlementId: 'ap-team', source: 'd.ldif', usageKnown: false },
      { identityId: 'ann', entitlementId: 'erp', source: 'd.ldif', usageKnown: false, path: ['ap-team', 'finance-all'], derivedFrom: ['ap-team'] },
    ];
    const cols = encodeAssignments(rows, 0, rows.length);
    expect(cols.path).toBeInstanceOf(Uint32Array);
    const out: Assignment[] = [];
    decodeAssignments(cols, out);
    expect(out).toEqual(rows);
    const direct = encodeAssignments(rows, 0, 1);
    expect(direct.path).toBeUndefined();
    const back: Assignment[] = [];
    decodeAssignments(direct, back);
    expect(back).toEqual([rows[0]]);
  });
});
