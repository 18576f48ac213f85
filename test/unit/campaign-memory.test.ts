// The estimate that decides, before any work, whether a snapshot's suggestions fit in what this machine gives the app
// and on how many workers (renderer/backend/campaign-memory.ts, #19).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MEMORY_FIGURES, limitMiB, machineMemory, neededMiB, planSuggestions } from '../../renderer/backend/campaign-memory';

const chromium = { heapLimitMiB: 4096, cores: 2 };

describe('the suggestions memory estimate', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('adds the backend and each worker: fixed MiB plus MiB per million assignments', () => {
    const f = MEMORY_FIGURES;
    expect(neededMiB(0, 1)).toBe(f.backendFixedMiB + f.workerFixedMiB);
    expect(neededMiB(2_000_000, 2) - neededMiB(2_000_000, 1)).toBeCloseTo(f.workerFixedMiB + 2 * f.workerMiBPerMillion);
    expect(neededMiB(3_000_000, 1) - neededMiB(1_000_000, 1)).toBeCloseTo(2 * (f.backendMiBPerMillion + f.workerMiBPerMillion));
  });

  it('accepts with two workers where both fit, falls back to one where only one does', () => {
    expect(planSuggestions(1_000_000, chromium)).toMatchObject({ ok: true, threads: 2, limitMiB: 4096 });
    expect(planSuggestions(40_000, chromium)).toMatchObject({ ok: true, threads: 1 });
    const three = planSuggestions(3_000_000, chromium);
    expect(three).toMatchObject({ ok: true, threads: 1 });
    expect(neededMiB(3_000_000, 2)).toBeGreaterThan(4096);
    expect(three.needMiB).toBeLessThanOrEqual(4096);
    // One core: one worker, whatever the size.
    expect(planSuggestions(500_000, { ...chromium, cores: 1 })).toMatchObject({ ok: true, threads: 1 });
  });

  it('refuses where one worker would not fit, naming the need, the limit and the figures', () => {
    const plan = planSuggestions(10_000_000, chromium);
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.needMiB).toBe(Math.round(neededMiB(10_000_000, 1)));
    expect(plan.refusal).toContain(`suggestions for 10,000,000 assignments need about ${plan.needMiB.toLocaleString('en-US')} MiB`);
    expect(plan.refusal).toContain('the app can use 4,096 MiB on this machine');
    expect(plan.refusal).toContain(`${MEMORY_FIGURES.backendMiBPerMillion} MiB per million assignments in the backend`);
    // The limit it names is the largest size it accepts.
    const most = Number(/the limit is about ([\d,]+) assignments/.exec(plan.refusal)![1]!.replaceAll(',', ''));
    expect(planSuggestions(most, chromium).ok).toBe(true);
    expect(planSuggestions(most + 10_000, chromium).ok).toBe(false);
  });

  it('a machine with more heap accepts more; a device with little memory limits it', () => {
    expect(planSuggestions(10_000_000, { heapLimitMiB: 12_000, cores: 2 })).toMatchObject({ ok: true, threads: 1 });
    expect(planSuggestions(10_000_000, { heapLimitMiB: 32_768, cores: 2 })).toMatchObject({ ok: true, threads: 2 });
    // navigator.deviceMemory of 2 GiB: the browser's workers get three quarters of it.
    expect(limitMiB({ heapLimitMiB: 4096, deviceMemoryGiB: 2 })).toBe(1536);
    expect(planSuggestions(1_500_000, { heapLimitMiB: 4096, deviceMemoryGiB: 2, cores: 2 }).ok).toBe(false);
    expect(planSuggestions(1_500_000, { heapLimitMiB: 4096, deviceMemoryGiB: 8, cores: 2 }).ok).toBe(true);
  });

  it('reads the platform: performance.memory, navigator.deviceMemory and the cores, with V8 defaults where absent', () => {
    vi.stubGlobal('navigator', { deviceMemory: 8, hardwareConcurrency: 6 });
    vi.stubGlobal('performance', { ...performance, memory: { jsHeapSizeLimit: 2 * 1024 ** 3 } });
    expect(machineMemory()).toEqual({ heapLimitMiB: 2048, deviceMemoryGiB: 8, cores: 6 });
    vi.unstubAllGlobals();
    vi.stubGlobal('navigator', {});
    expect(machineMemory().heapLimitMiB).toBe(4096);
    expect(machineMemory().deviceMemoryGiB).toBeUndefined();
  });
});
