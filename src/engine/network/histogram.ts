/** Log-scale histogram of nanosecond values: 8 buckets per doubling (about 9% wide), exact max. */
export const BUCKETS_PER_DOUBLING = 8;
export const HISTOGRAM_BUCKETS = 40 * BUCKETS_PER_DOUBLING;

export class Histogram {
  counts = new Uint32Array(HISTOGRAM_BUCKETS);
  total = 0;
  max = 0;
  sum = 0;

  add(ns: number): void {
    const b = ns < 1 ? 0 : Math.min(HISTOGRAM_BUCKETS - 1, Math.floor(Math.log2(ns) * BUCKETS_PER_DOUBLING));
    this.counts[b]++;
    this.total++;
    this.sum += ns;
    if (ns > this.max) this.max = ns;
  }

  /** The value under which a fraction q of samples lie (bucket midpoint, capped at the max). */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.ceil(q * this.total);
    let seen = 0;
    for (let b = 0; b < HISTOGRAM_BUCKETS; b++) {
      seen += this.counts[b];
      if (seen >= rank) return Math.min(this.max, 2 ** ((b + 0.5) / BUCKETS_PER_DOUBLING));
    }
    return this.max;
  }

  snapshot() {
    return { counts: this.counts.slice(), total: this.total, max: this.max, sum: this.sum };
  }

  restore(s: ReturnType<Histogram['snapshot']>): void {
    this.counts.set(s.counts);
    this.total = s.total;
    this.max = s.max;
    this.sum = s.sum;
  }
}

export function bucketLowNs(b: number): number {
  return b === 0 ? 0 : 2 ** (b / BUCKETS_PER_DOUBLING);
}
