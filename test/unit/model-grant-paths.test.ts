// Effective access through nesting: shortest paths, diamonds, cycles (reported, never looped), direct wins.
import { describe, expect, it } from 'vitest';
import { expandGrantPaths, findGrantCycles } from '../../shared/import';
import type { Assignment, GrantLink } from '../../shared/model';

const direct = (identityId: string, entitlementId: string): Assignment => ({ identityId, entitlementId, source: 'hand.ldif' });
const link = (memberId: string, groupId: string): GrantLink => ({ memberId, groupId, kind: 'group' });
const effective = (as: Assignment[]) => as.map((a) => `${a.identityId}>${a.entitlementId} [${(a.path ?? []).join(' → ')}]`).sort();

describe('expandGrantPaths', () => {
  it('a chain: ap-team → finance-all → erp-payments-approve', () => {
    const out = expandGrantPaths([direct('ann', 'ap-team')], [link('ap-team', 'finance-all'), link('finance-all', 'erp-payments-approve')]);
    expect(effective(out.assignments)).toEqual([
      'ann>ap-team []',
      'ann>erp-payments-approve [ap-team → finance-all]',
      'ann>finance-all [ap-team]',
    ]);
    const erp = out.assignments.find((a) => a.entitlementId === 'erp-payments-approve')!;
    expect(erp).toMatchObject({ derivedFrom: ['ap-team'], usageKnown: false, source: 'hand.ldif' });
    expect(out.cycles).toEqual([]);
  });

  it('a diamond: one effective assignment, the shortest path, both direct grants it derives from', () => {
    // bob is in a and d; a → b → c → top, d → top: the path through d is shorter.
    const links = [link('a', 'b'), link('b', 'c'), link('c', 'top'), link('d', 'top')];
    const out = expandGrantPaths([direct('bob', 'a'), direct('bob', 'd')], links);
    const top = out.assignments.filter((a) => a.entitlementId === 'top');
    expect(top).toHaveLength(1);
    expect(top[0]).toMatchObject({ path: ['d'], derivedFrom: ['d', 'a'] });
    // x → l, x → r, l → y, r → y: equal lengths: the same path whatever order the links come in.
    const d2 = [link('x', 'r'), link('x', 'l'), link('r', 'y'), link('l', 'y')];
    for (const ls of [d2, [...d2].reverse()])
      expect(expandGrantPaths([direct('c', 'x')], ls).assignments.find((a) => a.entitlementId === 'y')!.path).toEqual(['x', 'l']);
  });

  it('a direct grant is never replaced by an inherited one', () => {
    const out = expandGrantPaths([direct('ann', 'team'), direct('ann', 'all')], [link('team', 'all')]);
    expect(effective(out.assignments)).toEqual(['ann>all []', 'ann>team []']);
  });

  it('cycles are reported and expanded once, without looping', () => {
    const links = [link('a', 'b'), link('b', 'c'), link('c', 'a'), link('c', 'app'), link('self', 'self')];
    const out = expandGrantPaths([direct('eve', 'a'), direct('sam', 'self')], links);
    expect(effective(out.assignments)).toEqual(['eve>a []', 'eve>app [a → b → c]', 'eve>b [a]', 'eve>c [a → b]', 'sam>self []']);
    expect(out.cycles).toEqual(expect.arrayContaining([['a', 'b', 'c'], ['self']]));
    expect(out.cycles).toHaveLength(2);
  });

  it('a large ring and a long chain finish (no recursion depth, no repeat visits)', () => {
    const big = Array.from({ length: 50_000 }, (_, i) => link(`g${i}`, `g${(i + 1) % 50_000}`));
    expect(findGrantCycles(big)).toHaveLength(1);
    expect(findGrantCycles(big)[0]).toHaveLength(50_000);
    // Each inherited grant holds its own path: a chain of n groups emits n²/2 path entries, so it stays small here.
    const n = 2_000;
    const ring = Array.from({ length: n }, (_, i) => link(`g${i}`, `g${(i + 1) % n}`));
    const out = expandGrantPaths([direct('u', 'g0')], ring);
    expect(out.assignments).toHaveLength(n);
    expect(out.assignments.find((a) => a.entitlementId === `g${n - 1}`)!.path).toHaveLength(n - 1);
  });

  it('no links: the same array, no work', () => {
    const as = [direct('a', 'b')];
    expect(expandGrantPaths(as, []).assignments).toBe(as);
    expect(expandGrantPaths(as, undefined).assignments).toBe(as);
  });
});
