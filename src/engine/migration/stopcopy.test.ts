import { describe, expect, it } from 'vitest';
import { migrate } from './fixtures';

describe('stop-and-copy', () => {
  it('the destination is byte-equal and the VM runs there', () => {
    const { m, placement } = migrate({ memoryMiB: 64, migration: { strategy: 'stopcopy' } });
    expect(m.status).toBe('completed');
    expect(m.verified).toBe(true);
    expect(m.mismatchedPages).toBe(0);
    expect(placement).toEqual({ host: 'hostB', state: 'running' });
  });

  for (const [memoryMiB, bandwidthMiBps, latencyUs, deviceStateKiB] of [
    [64, 128, 100, 256],
    [256, 1250, 50, 1024],
    [128, 32, 2000, 0],
  ]) {
    it(`total time = memory / bandwidth + latency + device state (${memoryMiB} MiB at ${bandwidthMiBps} MiB/s)`, () => {
      const { m } = migrate({
        memoryMiB,
        bandwidthMiBps,
        latencyUs,
        migration: { strategy: 'stopcopy', deviceStateKiB },
      });
      const bytes = memoryMiB * 2 ** 20 + deviceStateKiB * 1024;
      const expectedMs = (bytes / (bandwidthMiBps * 2 ** 20)) * 1000 + latencyUs / 1000;
      expect(Math.abs(m.totalTimeMs / expectedMs - 1)).toBeLessThan(0.001);
      expect(m.downtimeMs).toBeCloseTo(m.totalTimeMs, 6);
      expect(m.transferredBytes).toBe(bytes);
      expect(m.normalPages).toBe(memoryMiB * 256);
    });
  }

  it('zero pages go as a 1-byte marker', () => {
    const { m } = migrate({
      memoryMiB: 32,
      memoryFill: 0.25,
      workload: { kind: 'idle' },
      migration: { strategy: 'stopcopy' },
    });
    expect(m.duplicatePages + m.normalPages).toBe(32 * 256);
    expect(m.duplicatePages).toBeGreaterThan(5000);
    expect(m.transferredBytes).toBe(m.normalPages * 4096 + m.duplicatePages + 256 * 1024);
    expect(m.verified).toBe(true);
  });
});
