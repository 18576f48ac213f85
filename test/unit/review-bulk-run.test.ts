// A bulk accept runs its decisions one after another, says how far it is, and stops between two decisions when asked.
import { describe, expect, it } from 'vitest';
import { runInOrder } from '../../renderer/features/review/bulk-run';

describe('runInOrder (bulk accept)', () => {
  it('runs every step in order, each finished before the next starts', async () => {
    const log: string[] = [];
    const outcome = await runInOrder(
      4,
      async (k) => {
        log.push(`start ${k}`);
        await new Promise((r) => setTimeout(r, 1));
        log.push(`end ${k}`);
      },
      { stopped: () => false, progress: () => undefined },
    );
    expect(outcome).toEqual({ done: 4, stopped: false });
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('stops between two steps when asked: the steps done stay done, none after is started', async () => {
    let stop = false;
    const ran: number[] = [];
    const outcome = await runInOrder(
      10,
      async (k) => {
        ran.push(k);
        if (k === 3) stop = true; // asked while step 3 is saving
      },
      { stopped: () => stop, progress: () => undefined },
    );
    expect(ran).toEqual([0, 1, 2, 3]);
    expect(outcome).toEqual({ done: 4, stopped: true });
  });

  it('tells its progress at most every everyMs, with the count of steps finished', async () => {
    let clock = 0;
    const told: number[] = [];
    await runInOrder(
      10,
      async () => {
        clock += 40;
      },
      { stopped: () => false, progress: (d) => told.push(d), everyMs: 100, now: () => clock },
    );
    // Steps end at 40, 80, …, 400 ms: told at the first end 100 ms after the last report.
    expect(told).toEqual([3, 6, 9]);
  });

  it('a failing step rejects, and no later step runs', async () => {
    const ran: number[] = [];
    await expect(
      runInOrder(
        5,
        async (k) => {
          ran.push(k);
          if (k === 2) throw new Error('disk full');
        },
        { stopped: () => false, progress: () => undefined },
      ),
    ).rejects.toThrow('disk full');
    expect(ran).toEqual([0, 1, 2]);
  });

  it('nothing to do: done at once, not stopped', async () => {
    expect(await runInOrder(0, async () => undefined, { stopped: () => true, progress: () => undefined })).toEqual({
      done: 0,
      stopped: false,
    });
  });
});
