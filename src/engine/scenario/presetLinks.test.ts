import { describe, expect, it } from 'vitest';
import { encodeLink } from './linkCodec';
import { PRESETS } from './presets';
import { resolveScenario } from './validate';

// Chat apps and learning platforms cut links longer than about 2,000 characters.
describe("every preset's link fits in 2,000 characters", () => {
  for (const preset of PRESETS) {
    it(preset.id, () => {
      const link = `http://localhost:5173/${encodeLink({
        scenario: resolveScenario(preset.scenario),
        position: 123_456,
        lab: preset.lab,
        view: preset.view,
        ...(preset.compare ? { compare: preset.compare } : {}),
        fromPreset: preset.id,
        speed: 0.25,
      })}&embed=1`;
      expect(link.length).toBeLessThan(2000);
    });
  }
});
