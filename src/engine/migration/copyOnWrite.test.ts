import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../hw/guestMemory';
import { ScenarioRun } from '../run';
import { resolveScenario } from '../scenario/validate';
import { migrationOf, twoHostScenario } from './fixtures';
import { ENCODING_FULL } from './model';

/**
 * Full pages are not copied when a chunk is built: their bytes stay in source memory until
 * the chunk arrives, unless the guest writes the page first. Either way, what lands at the
 * destination must be the page as it was when the chunk was sent.
 */
describe('copy-on-write of in-flight pages', () => {
  for (const strategy of ['precopy', 'postcopy', 'hybrid'] as const) {
    it(`${strategy}: every page arrives as it was when sent, though the guest writes it in flight`, () => {
      const run = new ScenarioRun(
        resolveScenario(
          twoHostScenario({
            memoryMiB: 8,
            bandwidthMiBps: 64,
            latencyUs: 2000,
            workload: { kind: 'hotset', dirtyMiBps: 48, hotFraction: 0.05, hotShare: 0.9 },
            migration: { strategy, precopyPasses: strategy === 'postcopy' ? 1 : 0 },
          }),
        ),
      );
      const mig = migrationOf(run).runs[0];
      const memory = run.world.vm('vm1').memory;
      const sentAs = new Map<number, Map<number, Uint8Array>>();
      let checkedPages = 0;
      let writtenInFlight = 0;
      while (run.sim.step()) {
        const inFlight = new Set(mig.s.chunks.map((c) => c.id));
        for (const chunk of mig.s.chunks) {
          if (chunk.kind !== 'memory' || sentAs.has(chunk.id)) continue;
          const pages = new Map<number, Uint8Array>();
          chunk.pages.forEach((p, k) => {
            if (chunk.encodings[k] === ENCODING_FULL) pages.set(p, memory.page(p).slice());
          });
          sentAs.set(chunk.id, pages);
        }
        for (const [id, pages] of sentAs) {
          if (inFlight.has(id)) {
            for (const [p, bytes] of pages) if (!equal(memory.page(p), bytes)) writtenInFlight++;
            continue;
          }
          for (const [p, bytes] of pages) {
            if (mig.lastChunk[p] !== id) continue; // a later send of the page has already replaced it
            expect(equal(mig.dest.page(p), bytes), `page ${p} of chunk ${id}`).toBe(true);
            checkedPages++;
          }
          sentAs.delete(id);
        }
      }
      expect(mig.s.status).toBe('completed');
      expect(checkedPages).toBeGreaterThan(1000);
      expect(writtenInFlight).toBeGreaterThan(0);
      run.dispose();
    });
  }
});

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== PAGE_SIZE || b.length !== PAGE_SIZE) return false;
  for (let i = 0; i < PAGE_SIZE; i++) if (a[i] !== b[i]) return false;
  return true;
}
