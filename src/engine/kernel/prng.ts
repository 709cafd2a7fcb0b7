/**
 * Seeded pseudo-random numbers: sfc32 (small fast counter), 32-bit state words only,
 * so the same seed gives the same stream in every JS engine. One named stream per
 * component keeps a change in one component from shifting another's numbers.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, streamName = '') {
    const h = hashString(streamName);
    this.a = seed >>> 0;
    this.b = h;
    this.c = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
    this.d = 1;
    for (let i = 0; i < 15; i++) this.nextU32();
  }

  /** A stream derived from a scenario seed and a component name, e.g. `vm:web1/workload`. */
  static stream(seed: number, name: string): Prng {
    return new Prng(seed, name);
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  nextFloat(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n), n <= 2^32. */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  getState(): [number, number, number, number] {
    return [this.a, this.b, this.c, this.d];
  }

  setState(s: readonly number[]): void {
    [this.a, this.b, this.c, this.d] = s;
  }
}

/** FNV-1a over the UTF-16 code units of a string. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
