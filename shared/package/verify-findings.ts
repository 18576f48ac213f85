// Collects what verification finds. Every problem is kept, but per-item messages are capped per check so a package
// with 100,000 open items yields a readable report: the first ones, then "... and N more".
import { CHECKS, type CheckName } from './types';

export const DETAILS_PER_CHECK = 25;

/** A finding of any verifier: the check that found it, in words, and where. */
export interface CheckFinding<C extends string> {
  check: C;
  message: string;
  file?: string;
  itemId?: string;
}

/** The finding log of a verifier whose checks are `order` (also the order reasons are reported in). */
export class CheckLog<C extends string> {
  readonly reasons: CheckFinding<C>[] = [];
  readonly warnings: CheckFinding<C>[] = [];
  private readonly ran = new Set<C>();
  private readonly hidden = new Map<C, number>();
  private readonly shown = new Map<C, number>();

  constructor(private readonly order: readonly C[]) {}

  /** Marks checks as having run (a check that never ran does not pass). */
  markRan(...checks: C[]): void {
    for (const c of checks) this.ran.add(c);
  }

  fail(check: C, message: string, where: { file?: string; itemId?: string } = {}): void {
    this.ran.add(check);
    const shown = this.shown.get(check) ?? 0;
    if (where.itemId !== undefined && shown >= DETAILS_PER_CHECK) {
      this.hidden.set(check, (this.hidden.get(check) ?? 0) + 1);
      return;
    }
    this.shown.set(check, shown + 1);
    this.reasons.push({ check, message, ...where });
  }

  warn(check: C, message: string): void {
    this.warnings.push({ check, message });
  }

  failed(check: C): boolean {
    return this.reasons.some((r) => r.check === check);
  }

  /** The reasons, each capped check closed by a summary of what was left out, in the order of the checks. */
  allReasons(): CheckFinding<C>[] {
    const out = [...this.reasons];
    for (const [check, count] of this.hidden)
      out.push({ check, message: `… and ${count.toLocaleString('en-US')} more ${check} problem${count === 1 ? '' : 's'} of this kind` });
    return out
      .map((f, i) => ({ f, i }))
      .sort((a, b) => this.order.indexOf(a.f.check) - this.order.indexOf(b.f.check) || a.i - b.i)
      .map(({ f }) => f);
  }

  checks(): Record<C, boolean> {
    const out = {} as Record<C, boolean>;
    for (const check of this.order) out[check] = this.ran.has(check) && !this.failed(check);
    return out;
  }
}

/** The certification package verifier's log. */
export class FindingLog extends CheckLog<CheckName> {
  constructor() {
    super(CHECKS);
  }
}
