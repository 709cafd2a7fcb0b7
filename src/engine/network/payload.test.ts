import { describe, expect, it } from 'vitest';
import { checkPayload, fillPayload, SLOT_WORDS } from './payload';

describe('packet payloads', () => {
  it("a slot's previous occupant (up to a whole ring of the largest size older) never passes for the new packet", () => {
    const words = new Uint32Array(SLOT_WORDS);
    const flow = 3;
    for (const len of [64, 594, 1518]) {
      for (let older = 1; older <= 4096; older++) {
        const seq = 5000;
        fillPayload(words, 0, flow, seq - older, len);
        // A torn buffer: the header rewritten for the new packet, the body left stale.
        words[1] = seq;
        expect(checkPayload(words, 0, flow, seq, len)).toBe(false);
      }
    }
  });

  it('every packet it wrote checks, and a flipped bit anywhere in it does not', () => {
    const words = new Uint32Array(SLOT_WORDS);
    for (const len of [13, 64, 97, 594, 1518]) {
      fillPayload(words, 0, 1, 42, len);
      expect(checkPayload(words, 0, 1, 42, len)).toBe(true);
      for (let bit = 0; bit < len * 8; bit += 7) {
        const w = bit >> 5;
        words[w] ^= 1 << (bit & 31);
        expect(checkPayload(words, 0, 1, 42, len)).toBe(false);
        words[w] ^= 1 << (bit & 31);
      }
    }
  });
});
