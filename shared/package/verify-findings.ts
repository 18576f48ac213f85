// Collects what verification finds. Every problem is kept, but per-item messages are capped per check so a package
// with 100,000 open items yields a readable report: the first ones, then "... and N more".
import { CHECKS, type CheckName, type Finding } from './types';

export const DETAILS_PER_CHECK = 25;

export class FindingLog {
  readonly reasons: Finding[] = [];
  readonly warnings: Finding[] = [];
  private readonly ran = new Set<CheckName>();
  private readonly hidden = new Map<CheckName, number>();
  private readonly shown = new Map<CheckName, number>();

  /** Marks a check as having run (a check that never ran does not pass). */
  markRan(check: CheckName): void {
    this.ran.add(check);
  }

  fail(check: CheckName, message: string, where: { file?: string; itemId?: string } = {}): void {
    this.ran.add(check);
    const shown = this.shown.get(check) ?? 0;
    if (where.itemId !== undefined && shown >= DETAILS_PER_CHECK) {
      this.hidden.set(check, (this.hidden.get(check) ?? 0) + 1);
      return;
    }
    this.shown.set(check, shown + 1);
    this.reasons.push({ check, message, ...where });
  }

  warn(check: CheckName, message: string): void {
    this.warnings.push({ check, message });
  }

  failed(check: CheckName): boolean {
    return this.reasons.some((r) => r.check === check);
  }

  /** The reasons, each capped check closed by a summary of what was left out. */
  allReasons(): Finding[] {
    const out = [...this.reasons];
    for (const [check, count] of this.hidden) out.push({ check, message: `… and ${count.toLocaleString('en-US')} more ${check} problem${count === 1 ? '' : 's'} of this kind` });
    // In the order of CHECKS (archive, envelope, signatures, ... counts), whatever order the checks finished in.
    return out.map((f, i) => ({ f, i })).sort((a, b) => CHECKS.indexOf(a.f.check) - CHECKS.indexOf(b.f.check) || a.i - b.i).map(({ f }) => f);
  }

  checks(): Record<CheckName, boolean> {
    const out = {} as Record<CheckName, boolean>;
    for (const check of CHECKS) out[check] = this.ran.has(check) && !this.failed(check);
    return out;
  }
}
