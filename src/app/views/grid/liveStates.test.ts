import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../worker/protocol';
import { liveTwins } from './liveStates';

function frame(labs: Record<string, unknown>): Frame {
  return { labs } as unknown as Frame;
}

describe('liveTwins', () => {
  it('pairs each grid of the shown frame with the one at the same place in the newest frame', () => {
    const grid = (n: number, fill: number) => new Uint8Array(n).fill(fill);
    const shown = frame({
      migration: { grids: [{ vm: 'a', source: grid(16, 0), destination: grid(16, 1) }], nowNs: 5 },
      checkpoint: { entries: [{ primaryStates: grid(9, 2), heat: null }] },
    });
    const live = frame({
      migration: { grids: [{ vm: 'a', source: grid(16, 3), destination: grid(16, 4) }], nowNs: 6 },
      checkpoint: { entries: [{ primaryStates: grid(9, 5), heat: grid(9, 6) }] },
    });
    const twins = liveTwins(shown, live);
    const m = (f: Frame) => (f.labs.migration as { grids: { source: Uint8Array; destination: Uint8Array }[] }).grids[0];
    const c = (f: Frame) => (f.labs.checkpoint as { entries: { primaryStates: Uint8Array }[] }).entries[0];
    expect(twins.get(m(shown).source)).toBe(m(live).source);
    expect(twins.get(m(shown).destination)).toBe(m(live).destination);
    expect(twins.get(c(shown).primaryStates)).toBe(c(live).primaryStates);
    expect(twins.size).toBe(3);
  });

  it('leaves a grid whose size changed (another scenario) to the shown frame', () => {
    const shown = frame({ migration: { grids: [{ source: new Uint8Array(16) }] } });
    const live = frame({ migration: { grids: [{ source: new Uint8Array(25) }] } });
    expect(liveTwins(shown, live).size).toBe(0);
  });
});
