// The format 3 encoder looks up each Signal object, message and peer reference to write it once per chunk, and stops
// looking for a signal id whose objects turn out to be new each time (a lookup of an object seen once is a hash and an
// insert for nothing): the chunk then holds a value again where one recurs, and reads back the same either way.
import { describe, expect, it } from 'vitest';
import type { Signal, Suggestion } from '../../shared/suggest';
import { decodeSuggestions, encodeSuggestions } from '../../renderer/db/suggestion-columns';
import { suggestionWith } from '../fixtures/suggestions/suggestion-kit';

const json = (rows: readonly Suggestion[]) => rows.map((s) => JSON.stringify(s));

/** n suggestions, each with a new signal of id "fresh" (its own message and peer reference), and one shared signal. */
function rows(n: number, recurring: Signal) {
  const shared: Signal = { id: 'privileged-access', message: 'E1 is high privilege', value: 'high', threshold: 'high|critical' };
  const group = { group: 'manager:m1', size: 40 };
  return Array.from({ length: n }, (_, i) =>
    suggestionWith({
      itemId: `a:u${i}\u001fe1`,
      identityId: `u${i}`,
      signals: [
        // Past the probe, the first signal of every tenth suggestion is one seen before.
        i > 3_000 && i % 10 === 0
          ? recurring
          : { id: 'fresh', message: `held by ${i} of ${i + 7} peers`, value: i, threshold: 0.1, peers: { group: `g${i}`, size: i } },
        shared,
        { id: 'manager', message: 'held by 2 of 40 peers', value: 0.05, threshold: 0.1, peers: group },
      ],
    }),
  );
}

describe('suggestion columns: lookups that do not pay are dropped per signal id', () => {
  it('reads back the same suggestions, writing a recurring new-each-time signal again and a shared one once', () => {
    const recurring: Signal = { id: 'fresh', message: 'held by 1 of 8 peers', value: 1, threshold: 0.1, peers: { group: 'g-r', size: 1 } };
    const input = rows(6_000, recurring);
    const chunk = encodeSuggestions(input);
    expect(json(decodeSuggestions(chunk))).toEqual(json(input));
    const fresh = input.filter((s) => s.signals[0] !== recurring).length;
    const recurrences = input.length - fresh;
    expect(recurrences).toBeGreaterThan(250);
    // The "fresh" id stopped being looked up: its recurring signal got a row at each use (as did its peer reference
    // and message). So did the manager signals (a new object each), though not their shared peer reference or
    // message, which are found every time; the shared signal has one row.
    expect(chunk.sigId.length).toBe(fresh + recurrences + input.length + 1);
    expect(chunk.peerShape.length).toBe(fresh + recurrences + 1);
    expect(chunk.msgTemplate.length).toBe(fresh + recurrences + 2);
    // Decoded, the shared signal is one object again (the engine's sharing kept where it was found).
    const decoded = decodeSuggestions(chunk);
    expect(decoded[0]!.signals[1]).toBe(decoded[5_999]!.signals[1]);
    expect(decoded[0]!.signals[2]!.peers).toBe(decoded[5_999]!.signals[2]!.peers);
  });

  it('keeps looking up a kind that recurs often enough: each recurring signal is written once', () => {
    const recurring: Signal = { id: 'fresh', message: 'held by 1 of 8 peers', value: 1, threshold: 0.1 };
    // Every other suggestion reuses the signal: half the lookups find it.
    const input = rows(6_000, recurring).map((s, i) => (i % 2 ? { ...s, signals: [recurring, ...s.signals.slice(1)] } : s));
    const chunk = encodeSuggestions(input);
    expect(json(decodeSuggestions(chunk))).toEqual(json(input));
    const distinct = new Set(input.map((s) => s.signals[0])).size;
    expect(chunk.sigId.length).toBe(distinct + input.length + 1);
  });

  it('splits messages against the few templates a signal id has: many templates, cycling, read back the same', () => {
    // Six templates for one id (more than are kept), in turns and in runs, with digit runs of every kind.
    const texts = [
      (i: number) => `held by ${i} of ${i + 3} peers`,
      (i: number) => `held by ${i} of ${i + 3} peers (${i % 7}%)`,
      (i: number) => `Entitlement ${i % 5} is rare in Title ${i % 3}`,
      () => `no digits here`,
      (i: number) => `${i}`,
      (i: number) => `x${i}y${i}z 0${i} 1234567890 ${i}`,
    ];
    const input = Array.from({ length: 3_000 }, (_, i) =>
      suggestionWith({
        itemId: `a:u${i}\u001fe1`,
        identityId: `u${i}`,
        signals: [{ id: 'cadence', message: texts[i < 1_500 ? i % 6 : Math.floor(i / 50) % 6]!(i), value: i, threshold: 90 }],
      }),
    );
    const chunk = encodeSuggestions(input);
    expect(json(decodeSuggestions(chunk))).toEqual(json(input));
  });
});
