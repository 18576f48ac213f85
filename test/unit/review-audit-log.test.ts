import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, chainEvent, verifyChain } from '../../shared/review/audit-log';
import { checkRationale, PASTED_RATIONALE_LIMIT } from '../../shared/review/rules';
import { deriveItemStates } from '../../shared/review/state';
import type { AuditEvent, AuditEventBody, ReviewerRef } from '../../shared/review/types';
import { canonicalJson, sha256Hex } from '../../shared/codec/digest';

const alice: ReviewerRef = { id: 'alice', name: 'Alice', keyFingerprint: 'SHA256:aa' };
const bob: ReviewerRef = { id: 'bob', name: 'Bob', keyFingerprint: 'SHA256:bb' };
const body = (over: Partial<AuditEventBody>): AuditEventBody => ({
  campaignId: 'c1',
  type: 'decision',
  at: '2026-11-22T10:00:00Z',
  actor: alice,
  ...over,
});

function chain(bodies: AuditEventBody[]): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const b of bodies) out.push(chainEvent(out[out.length - 1] ?? null, b));
  return out;
}

describe('hash-chained audit log', () => {
  const events = chain([
    body({ type: 'campaign-created' }),
    body({ itemId: 'i1', action: 'revoke', acceptedSuggestion: true }),
    body({ itemId: 'i2', action: 'keep', acceptedSuggestion: false, rationale: 'still needed for month-end close' }),
  ]);

  it('links each event to the SHA-256 of the one before', () => {
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    const { hash, ...rest } = events[2]!;
    expect(hash).toBe(sha256Hex(canonicalJson(rest)));
    expect(verifyChain(events)).toEqual({ ok: true, length: 3, head: events[2]!.hash });
  });

  it('names the first altered, removed or reordered event', () => {
    const altered = events.map((e) => ({ ...e }));
    altered[1]!.action = 'keep';
    expect(verifyChain(altered)).toMatchObject({ ok: false, seq: 2 });
    expect(verifyChain([events[0]!, events[2]!])).toMatchObject({ ok: false });
    expect(verifyChain([events[1]!, events[0]!, events[2]!])).toMatchObject({ ok: false, seq: 2 });
  });
});

describe('item state from events', () => {
  it('undo is a new event that restores the previous decision; approval attaches to the decision', () => {
    const events = chain([
      body({ itemId: 'i1', action: 'revoke', acceptedSuggestion: true }),
      body({ itemId: 'i1', action: 'keep', acceptedSuggestion: false, rationale: 'needed for the audit' }),
    ]);
    const withUndo = [...events, chainEvent(events[1]!, body({ type: 'undo', itemId: 'i1', refersTo: 2 }))];
    expect(deriveItemStates(events).get('i1')!.current!.action).toBe('keep');
    const undone = deriveItemStates(withUndo).get('i1')!;
    expect(undone.current!.action).toBe('revoke');
    expect(undone.history).toHaveLength(3);
    const approved = [...withUndo, chainEvent(withUndo[2]!, body({ type: 'approval', itemId: 'i1', refersTo: 1, actor: bob }))];
    expect(deriveItemStates(approved).get('i1')!.current!.approval!.approver.id).toBe('bob');
  });
});

describe('rationale rules', () => {
  const override = { suggested: 'revoke' as const, chosen: 'keep' as const, decisionClass: 'suggest' as const, sameTextCount: 0 };
  it('requires a rationale for overrides and never-delegate items only', () => {
    expect(checkRationale('', override)).toMatch(/override needs a rationale/);
    expect(checkRationale('', { ...override, chosen: 'revoke' })).toBeNull();
    expect(checkRationale('', { ...override, chosen: 'revoke', decisionClass: 'never-delegate' })).toMatch(/never-delegate/);
  });
  it('rejects placeholders, too-short text and pasted stamps, saying why', () => {
    expect(checkRationale('n/a', override)).toMatch(/nothing specific/);
    expect(checkRationale('ok', override)).toMatch(/nothing specific/);
    expect(checkRationale('needed', override)).toMatch(/nothing specific/);
    expect(
      checkRationale('Posts the quarterly close journals in NetSuite', { ...override, sameTextCount: PASTED_RATIONALE_LIMIT }),
    ).toMatch(/already used on 1 other item/);
    expect(checkRationale('Posts the quarterly close journals in NetSuite', override)).toBeNull();
  });
});
