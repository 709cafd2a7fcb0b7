import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ringDistance, VirtRing, vringLayout, vringNeedEvent, vringSize } from './virtioRing';

describe('virtio split ring', () => {
  it('has the size of vring_size in linux include/uapi/linux/virtio_ring.h', () => {
    expect(vringSize(256, 4096)).toBe(10_246);
    // num 1: 16 + 2*4 = 24, aligned to 4096, + 6 + 8
    expect(vringSize(1, 4096)).toBe(4096 + 14);
  });

  it('places every field where the header does for 256 entries', () => {
    const l = vringLayout(256, 4096);
    expect(l).toMatchObject({
      desc: 0,
      avail: 4096,
      availIdx: 4098,
      availRing: 4100,
      usedEvent: 4100 + 512,
      used: 8192,
      usedIdx: 8194,
      usedRing: 8196,
      availEvent: 8196 + 2048,
      size: 10_246,
    });
  });

  it('writes descriptors, avail and used entries as little-endian bytes at those offsets', () => {
    const r = new VirtRing(256);
    r.writeDesc(3, 0x1_2345_6780, 1518, 2, 7);
    expect([...r.bytes.subarray(48, 64)]).toEqual([
      0x80, 0x67, 0x45, 0x23, 0x01, 0, 0, 0, 0xee, 0x05, 0, 0, 2, 0, 7, 0,
    ]);
    r.pushAvail(3);
    expect([...r.bytes.subarray(4096, 4102)]).toEqual([0, 0, 1, 0, 3, 0]);
    r.pushUsed(3, 1518);
    expect([...r.bytes.subarray(8192, 8204)]).toEqual([0, 0, 1, 0, 3, 0, 0, 0, 0xee, 0x05, 0, 0]);
    r.usedEvent = 0x1234;
    r.availEvent = 0xbeef;
    expect([r.bytes[4612], r.bytes[4613], r.bytes[10244], r.bytes[10245]]).toEqual([0x34, 0x12, 0xef, 0xbe]);
  });

  it('vring_need_event(5, 8, 4) is true and (9, 8, 4) false', () => {
    expect(vringNeedEvent(5, 8, 4)).toBe(true);
    expect(vringNeedEvent(9, 8, 4)).toBe(false);
  });

  it('need_event fires exactly when the event index lies in (old, new], across 16-bit wrap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 600 }),
        (old, step, ev) => {
          const nw = (old + step) & 0xffff;
          const event = (old + ev) & 0xffff;
          expect(vringNeedEvent(event, nw, old)).toBe(ev < step);
        },
      ),
    );
  });

  it('indices wrap at 16 bits', () => {
    const r = new VirtRing(4);
    for (let i = 0; i < 70_000; i++) r.pushAvail(i & 3);
    expect(r.availIdx).toBe(70_000 & 0xffff);
    expect(ringDistance(2, 0xfffe)).toBe(4);
  });

  it('refuses a size that is not a power of two', () => {
    expect(() => new VirtRing(100)).toThrow(/power of two/);
  });
});
