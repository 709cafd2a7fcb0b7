/**
 * A temporary disk's map into the pool file: a sorted list of contiguous runs, each
 * `length` extents from `logical` on the disk to `pool` in the pool file (like qcow2's L2
 * table or dm-thin's mapping btree, kept as runs). It grows on the first write to an extent
 * and shrinks when one is freed; adjacent runs that continue each other are merged.
 */
export class ExtentMap {
  logical: number[] = [];
  pool: number[] = [];
  length: number[] = [];

  get runs(): number {
    return this.logical.length;
  }

  /** Extents mapped. */
  get mapped(): number {
    let n = 0;
    for (const l of this.length) n += l;
    return n;
  }

  /** The pool extent backing logical extent `e`, or -1 if it was never written (or was freed). */
  lookup(e: number): number {
    const i = this.runAtOrBefore(e);
    if (i < 0 || e >= this.logical[i] + this.length[i]) return -1;
    return this.pool[i] + (e - this.logical[i]);
  }

  /** Map logical extent `e` (unmapped) to pool extent `p`. */
  insert(e: number, p: number): void {
    const i = this.runAtOrBefore(e);
    if (i >= 0 && e < this.logical[i] + this.length[i]) throw new Error(`logical extent ${e} is already mapped`);
    const joinsLeft = i >= 0 && this.logical[i] + this.length[i] === e && this.pool[i] + this.length[i] === p;
    const j = i + 1;
    const joinsRight = j < this.runs && this.logical[j] === e + 1 && this.pool[j] === p + 1;
    if (joinsLeft && joinsRight) {
      this.length[i] += 1 + this.length[j];
      this.removeRun(j);
    } else if (joinsLeft) this.length[i]++;
    else if (joinsRight) {
      this.logical[j] = e;
      this.pool[j] = p;
      this.length[j]++;
    } else {
      this.logical.splice(j, 0, e);
      this.pool.splice(j, 0, p);
      this.length.splice(j, 0, 1);
    }
  }

  /** Unmap logical extent `e`; returns the pool extent it had, or -1. */
  remove(e: number): number {
    const i = this.runAtOrBefore(e);
    if (i < 0 || e >= this.logical[i] + this.length[i]) return -1;
    const start = this.logical[i];
    const p = this.pool[i] + (e - start);
    const len = this.length[i];
    if (len === 1) this.removeRun(i);
    else if (e === start) {
      this.logical[i]++;
      this.pool[i]++;
      this.length[i]--;
    } else if (e === start + len - 1) this.length[i]--;
    else {
      const head = e - start;
      this.length[i] = head;
      this.logical.splice(i + 1, 0, e + 1);
      this.pool.splice(i + 1, 0, p + 1);
      this.length.splice(i + 1, 0, len - head - 1);
    }
    return p;
  }

  snapshot(): [number[], number[], number[]] {
    return [this.logical.slice(), this.pool.slice(), this.length.slice()];
  }

  restore([logical, pool, length]: [number[], number[], number[]]): void {
    this.logical = logical.slice();
    this.pool = pool.slice();
    this.length = length.slice();
  }

  /** Index of the last run starting at or before `e`, or -1. */
  private runAtOrBefore(e: number): number {
    let lo = 0;
    let hi = this.logical.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.logical[mid] <= e) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private removeRun(i: number): void {
    this.logical.splice(i, 1);
    this.pool.splice(i, 1);
    this.length.splice(i, 1);
  }
}
