import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capabilities, extCapabilities, readConfig } from '../hw/pciConfig';
import { msixCapOffset, msixEnabled } from './access';
import { buildPhysicalDevice, type DeviceModelId } from './catalogue';
import { DeviceRun } from './model';
import { runProbe } from './probe';
import { DeviceSchema } from './schema';
import { STRATEGIES } from './strategies';
import { expectedGuestRead } from './verify';

const run = (model: DeviceModelId, strategy = 'passthrough') =>
  new DeviceRun(0, DeviceSchema.parse({ id: 'd', host: 'h', model, vm: 'vm1', strategy }), 0);

describe('the catalogue: real layouts', () => {
  it('82574L as QEMU e1000e presents it', () => {
    const d = buildPhysicalDevice('e1000e', 0);
    expect(readConfig(d.cfg, 0, 4)).toBe(0x10d38086);
    expect(readConfig(d.cfg, 8, 4) >>> 8).toBe(0x020000);
    expect(capabilities(d.cfg).map((c) => [c.id, c.offset])).toEqual([
      [0x01, 0xc8],
      [0x05, 0xd0],
      [0x10, 0xe0],
      [0x11, 0xa0],
    ]);
    expect(extCapabilities(d.cfg).map((c) => c.offset)).toEqual([0x100, 0x140]);
    expect(readConfig(d.cfg, 0xa2, 2) & 0x7ff).toBe(4);
  });
});

describe('vfio policy on the copy', () => {
  it('hides capabilities vfio has no length for and unlinks them', () => {
    const r = run('nvme');
    const hidden = r.policy.hidden.map((h) => h.id);
    expect(hidden).toEqual([0x19, 0x1e]);
    const seen = extCapabilities(r.vconfig).map((c) => c.id);
    expect(seen).not.toContain(0x19);
    expect(seen).not.toContain(0x1e);
    expect(extCapabilities(r.phys.cfg).map((c) => c.id)).toContain(0x1e);
  });

  for (const model of ['e1000e', 'nvme', 'gpu'] as const) {
    it(`${model}: random guest writes keep read-only bits, never reach the hardware through a virtualized bit, and reads follow the formula`, () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.record({
              offset: fc.integer({ min: 0, max: 0x1ff }),
              size: fc.constantFrom(1, 2, 4),
              value: fc.integer({ min: 0, max: 0xffffffff }),
            }),
            { maxLength: 40 },
          ),
          (writes) => {
            const r = run(model);
            const port = STRATEGIES.passthrough.port(r);
            const seen0 = new Uint8Array(r.vconfig.length);
            for (let i = 0; i < 0x200; i++) seen0[i] = expectedGuestRead(r, i, 1);
            for (const w of writes) {
              const size = w.size as 1 | 2 | 4;
              const offset = w.offset - (w.offset % size);
              const before = r.phys.cfg.slice();
              const msixAt = msixCapOffset(r.policy);
              const wasOn = msixEnabled(r.vconfig, msixAt);
              port.write(offset, size, w.value >>> 0);
              // The host's own act: enabling MSI-X on the hardware when the guest enables it in the copy.
              const hostBit = !wasOn && msixEnabled(r.vconfig, msixAt) ? msixAt + 3 : -1;
              for (let at = 0; at < before.length; at++) {
                const changed = (before[at] ^ r.phys.cfg[at]) & ~(at === hostBit ? 0x80 : 0);
                const inAccess = at >= offset && at < offset + size;
                // Hardware changes only where the policy lets the write through (writable, not virtualized).
                const allowed = inAccess ? r.policy.write[at] & ~r.policy.virt[at] : 0;
                if (changed & ~allowed) expect({ at, bits: changed & ~allowed }).toEqual({ at, bits: 0 });
              }
              const v = port.read(offset, size);
              expect(v).toBe(expectedGuestRead(r, offset, size));
            }
            // Bits that are read-only to the guest (no write bit) read as they did, BARs aside (sizing emulation).
            for (let i = 0; i < 0x200; i++) {
              if (i >= 0x10 && i < 0x34) continue;
              const ro = ~r.policy.write[i] & 0xff;
              const bits = (expectedGuestRead(r, i, 1) ^ seen0[i]) & ro;
              if (bits) expect({ at: i, bits }).toEqual({ at: i, bits: 0 });
            }
          },
        ),
        { numRuns: 100 },
      );
    });
  }
});

describe('the probe', () => {
  for (const model of ['e1000e', 'nvme', 'gpu'] as const) {
    for (const strategy of ['passthrough', 'emulated', 'direct-unsafe'] as const) {
      it(`${model} ${strategy}: finds every BAR's size and programs it`, () => {
        const r = run(model, strategy);
        const p = runProbe(STRATEGIES[strategy].port(r));
        expect(p.bars.map((b) => [b.index, b.size])).toEqual(r.model.bars.map((b) => [b.index, b.size]));
        for (const b of p.bars) {
          const space = strategy === 'direct-unsafe' ? r.phys.cfg : r.vconfig;
          const lo = readConfig(space, 0x10 + 4 * b.index, 4);
          expect((lo & (b.io ? ~0x3 : ~0xf)) >>> 0).toBe(b.guestAddress % 0x100000000);
        }
        if (strategy === 'passthrough') {
          // The host's BARs did not move.
          for (const b of r.model.bars) {
            const lo = readConfig(r.phys.cfg, 0x10 + 4 * b.index, 4);
            expect((lo & (b.kind === 'io' ? ~0x3 : ~0xf)) >>> 0).toBe(r.phys.hostBars[b.index] % 0x100000000);
          }
        }
      });
    }
  }
});
