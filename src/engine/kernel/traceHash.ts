import type { Nanos } from './clock';
import type { SimEvent } from './eventQueue';

/**
 * A running 64-bit hash (two 32-bit lanes) over every event: its index, time, type and
 * fields. Two runs with the same hash ran the same events at the same times.
 */
export class TraceHash {
  private h1 = 0x2545f491;
  private h2 = 0x9e3779b9;

  add(index: number, time: Nanos, event: SimEvent): void {
    this.mixNumber(index);
    this.mixNumber(time);
    for (const key of Object.keys(event).sort()) {
      this.mixString(key);
      const v = event[key];
      if (typeof v === 'number') this.mixNumber(v);
      else if (typeof v === 'string') this.mixString(v);
      else this.mixWord(v === true ? 1 : v === false ? 2 : 3);
    }
  }

  /** Fold in a number exactly: integers up to 2^53 as two words, fractions via their string form. */
  mixNumber(n: number): void {
    if (Number.isInteger(n)) {
      this.mixWord(n >>> 0);
      this.mixWord(Math.floor(n / 4294967296) >>> 0);
    } else {
      this.mixString(n.toString());
    }
  }

  mixString(s: string): void {
    this.mixWord(s.length);
    for (let i = 0; i < s.length; i++) this.mixWord(s.charCodeAt(i));
  }

  mixWord(w: number): void {
    this.h1 = Math.imul(this.h1 ^ w, 0x85ebca6b);
    this.h1 = (this.h1 << 13) | (this.h1 >>> 19);
    this.h2 = Math.imul(this.h2 ^ w, 0xc2b2ae35);
    this.h2 = (this.h2 << 17) | (this.h2 >>> 15);
    this.h2 = (this.h2 + this.h1) | 0;
  }

  hex(): string {
    const a = fmix(this.h1 ^ this.h2);
    const b = fmix((this.h2 + a) | 0);
    return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
  }

  getState(): [number, number] {
    return [this.h1, this.h2];
  }

  setState([h1, h2]: readonly number[]): void {
    this.h1 = h1;
    this.h2 = h2;
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
