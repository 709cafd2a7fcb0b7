import { describe, expect, it } from 'vitest';
import { ScenarioRun } from '../run';
import { PRESETS } from '../scenario/presets';
import { resolveScenario } from '../scenario/validate';

describe('determinism: a preset run twice gives the same trace hash and numbers', () => {
  for (const preset of PRESETS) {
    it(preset.id, () => {
      const once = () => {
        const run = new ScenarioRun(resolveScenario(preset.scenario)).runToEnd();
        const s = run.summary();
        run.dispose();
        return s;
      };
      const a = once();
      const b = once();
      expect(b.traceHash).toBe(a.traceHash);
      expect(b).toEqual(a);
      const outcome = preset.outcome ?? { status: 'completed', verified: true };
      for (const m of a.migrations) expect({ status: m.status, verified: m.verified }).toEqual(outcome);
    });
  }

  it('the seed matters', () => {
    const preset = PRESETS.find((p) => p.id === 'postcopy');
    const run = (seed: number) => {
      const r = new ScenarioRun(resolveScenario({ ...preset?.scenario, seed })).runToEnd();
      const hash = r.summary().traceHash;
      r.dispose();
      return hash;
    };
    expect(run(1)).not.toBe(run(2));
  });
});
