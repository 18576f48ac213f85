import { describe, expect, it } from 'vitest';
import { checkRationale, rationaleProblem, sameRationale, specificTokens } from '../../shared/review';
import {
  GENERIC,
  GENERIC_HELD_OUT,
  GENERIC_HELD_OUT_2,
  GENERIC_HELD_OUT_3,
  REAL,
  REAL_HELD_OUT,
  REAL_HELD_OUT_2,
  REAL_HELD_OUT_3,
} from './review-rationale-corpus';

describe('rationaleProblem: generic stamps are refused, real reasons pass (observation 1)', () => {
  it('holds at least 60 generic and 60 real rationales', () => {
    expect(GENERIC.length).toBeGreaterThanOrEqual(60);
    expect(REAL.length).toBeGreaterThanOrEqual(60);
  });

  it.each(GENERIC)('refuses the generic %j', (text) => {
    expect(rationaleProblem(text)).not.toBeNull();
  });

  it.each(REAL)('accepts the real reason %j', (text) => {
    expect(rationaleProblem(text)).toBeNull();
  });

  it.each(GENERIC_HELD_OUT)('refuses the held-out generic %j', (text) => {
    expect(rationaleProblem(text)).not.toBeNull();
  });

  it.each(REAL_HELD_OUT)('accepts the held-out real reason %j', (text) => {
    expect(rationaleProblem(text)).toBeNull();
  });

  it.each(GENERIC_HELD_OUT_2)('refuses the second held-out generic %j', (text) => {
    expect(rationaleProblem(text)).not.toBeNull();
  });

  it.each(REAL_HELD_OUT_2)('accepts the second held-out real reason %j', (text) => {
    expect(rationaleProblem(text)).toBeNull();
  });

  it.each(GENERIC_HELD_OUT_3)('refuses the final held-out generic %j', (text) => {
    expect(rationaleProblem(text)).not.toBeNull();
  });

  it.each(REAL_HELD_OUT_3)('accepts the final held-out real reason %j', (text) => {
    expect(rationaleProblem(text)).toBeNull();
  });

  it('the stamps the issue saw on critical decisions are refused through the old entry point too', () => {
    const ctx = { suggested: 'keep' as const, chosen: 'keep' as const, decisionClass: 'never-delegate' as const, sameTextCount: 0 };
    for (const text of ['looks good', 'reviewed and approved', 'as per policy', 'fine by me'])
      expect(checkRationale(text, ctx)).not.toBeNull();
    expect(checkRationale('Runs the monthly AP payment batch; confirmed with her manager on 2 Dec', ctx)).toBeNull();
  });

  it('is indifferent to case and punctuation', () => {
    for (const text of ['LoOkS gOoD', 'looks...good!!', '"fine" by me.', 'reviewed/approved', 'AS-PER-POLICY'])
      expect(rationaleProblem(text)).not.toBeNull();
  });

  it('refuses the same text reused across items, near-duplicates included', () => {
    const reason = 'Runs the monthly AP payment batch; confirmed with her manager on 2 Dec';
    expect(rationaleProblem(reason, { recentRationales: [reason] })).toMatch(/already used/);
    expect(
      rationaleProblem('runs the monthly AP payment batch, confirmed with her manager on 2 Dec.', { recentRationales: [reason] }),
    ).toMatch(/already used/);
    expect(rationaleProblem('Maintains the Terraform state bucket for billing', { recentRationales: [reason] })).toBeNull();
    expect(sameRationale(reason, reason.toUpperCase())).toBe(true);
  });

  it('refuses text that only names the item itself', () => {
    const item = { identityName: 'Alice Martin', targetName: 'Domain Admins', application: 'Active Directory' };
    expect(rationaleProblem('Alice Martin - Domain Admins', { item })).toMatch(/only names the item/);
    expect(rationaleProblem('Alice Martin needs Domain Admins for the AD forest migration CHG-2291', { item })).toBeNull();
  });

  it('finds the specific words: systems, names, dates and tickets, not the review vocabulary', () => {
    expect(specificTokens('Reviewed and approved as per policy')).toEqual([]);
    expect(specificTokens('Runs the AP batch, ticket HR-4412, 2 Dec')).toEqual(expect.arrayContaining(['hr-4412', 'batch', 'dec']));
  });
});
