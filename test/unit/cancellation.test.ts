// One cancellation: the importers, the suggestion engine, the snapshot store and the task client all stop with the
// same CancelledError (an AbortError), so a screen or the worker tells "cancelled" from "failed" by its class alone.
import { describe, expect, it } from 'vitest';
import { CancelledError, isCancellation } from '../../shared/model';
import { importFiles } from '../../shared/import';
import { DEFAULT_POLICY, suggest } from '../../shared/suggest';

const csv = (text: string) => new TextEncoder().encode(text);
const files = [
  {
    name: 'identities.csv',
    bytes: csv('id,displayName,email,type,status,department,title,managerId,ownerId,createdAt\nu1,One,,human,active,,,,,\n'),
  },
  { name: 'entitlements.csv', bytes: csv('id,name,application,privilege,description,ownerId\ne1,E1,App,low,,\n') },
  { name: 'assignments.csv', bytes: csv('identityId,entitlementId,grantedAt,lastUsedAt,source\nu1,e1,2024-01-01,2026-01-01,src\n') },
];

describe('one cancellation error', () => {
  it('is one class, told by its class and its name', () => {
    const error = new CancelledError();
    expect(error.name).toBe('CancelledError');
    expect(isCancellation(error)).toBe(true);
  });

  it('is what a cancelled suggestion run throws (a cancelled import: import-stream.test.ts)', () => {
    const data = importFiles(files).data;
    expect(data.assignments).toHaveLength(1);
    expect(() => suggest(data, DEFAULT_POLICY, { asOf: Date.parse('2026-06-30'), isCancelled: () => true })).toThrow(CancelledError);
  });

  it("recognises the platform's AbortError (an aborted signal's reason) and nothing else", () => {
    const controller = new AbortController();
    controller.abort();
    expect(isCancellation(controller.signal.reason)).toBe(true);
    expect(isCancellation(new Error('cancelled'))).toBe(false);
    expect(isCancellation(null)).toBe(false);
  });
});
