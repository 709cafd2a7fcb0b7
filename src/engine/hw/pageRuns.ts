import { PAGES_PER_CALL, type PageGenerator } from './xorshiftSimd';

/** Words in a 4 KiB page (as guestMemory.ts says; not imported from it, which imports this file). */
const PAGE_WORDS = 1024;

/**
 * A lossless page codec for keyframes. Every page this simulator makes is a patchwork of
 * xorshift32 (13, 17, 5) streams: seeded fills (`fillPageFromSeed`) and the guest's writes
 * (`MemoryWriter`) emit word k+1 = xorshift(word k), and a zero page is such a stream too
 * (xorshift(0) = 0). So a page is stored as its runs, each (first word index, first word
 * value): a page one write or fill made costs 12 bytes instead of 4096, a page patched by n
 * small writes about 16n. A page with too many runs is stored raw. Nothing is assumed: the
 * runs are found on the bytes, so any content round-trips exactly, it just costs more.
 *
 * Layout in an Int32Array: [n, start0, head0, start1, head1, ...] for n runs, or
 * [RAW, 1024 words] once the runs would take more room than the words.
 */
export const RAW = -1;
/** Ints `encodePage` may write for one page at most. */
export const MAX_ENCODED_INTS = PAGE_WORDS + 1;

/**
 * Encode the page at `words[offset .. offset+1024)` into `out` from `at`; returns the index
 * after it. `out` needs MAX_ENCODED_INTS free ints.
 */
export function encodePage(words: Int32Array, offset: number, out: Int32Array, at: number): number {
  return encodeWords(words, offset, PAGE_WORDS, out, at);
}

/** Write the page encoded at `code[at ..]` into `words[offset .. offset+1024)`. */
export function decodePage(code: Int32Array, at: number, words: Int32Array, offset: number): void {
  decodeWords(code, at, words, offset, PAGE_WORDS);
}

/**
 * The same codec for `length` words (at least 1); `out` needs length + 1 free ints. With
 * `maxRuns`, gives up (returns -1) past that many runs instead of storing the words raw.
 */
export function encodeWords(
  words: Int32Array,
  offset: number,
  length: number,
  out: Int32Array,
  at: number,
  maxRuns = (length - 2) >> 1,
): number {
  const end = offset + length;
  const giveUp = maxRuns < (length - 2) >> 1;
  let w = at + 1;
  let runs = 1;
  let prev = words[offset];
  out[w++] = 0;
  out[w++] = prev;
  for (let k = offset + 1; k < end; k++) {
    let x = prev;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const v = words[k];
    if (v !== x) {
      if (++runs > maxRuns) {
        if (giveUp) return -1;
        out[at] = RAW;
        out.set(words.subarray(offset, end), at + 1);
        return at + 1 + length;
      }
      out[w++] = k - offset;
      out[w++] = v;
    }
    prev = v;
  }
  out[at] = runs;
  return w;
}

export function decodeWords(code: Int32Array, at: number, words: Int32Array, offset: number, length: number): void {
  const n = code[at];
  if (n === RAW) {
    words.set(code.subarray(at + 1, at + 1 + length), offset);
    return;
  }
  if (queue.length < 3 * n) queue = new Int32Array(3 * n);
  const q = queue;
  let queued = 0;
  for (let r = 0; r < n; r++) {
    const start = offset + code[at + 1 + 2 * r];
    const end = r + 1 < n ? offset + code[at + 3 + 2 * r] : offset + length;
    const head = code[at + 2 + 2 * r];
    if (head === 0) {
      words.fill(0, start, end);
    } else {
      q[queued++] = start;
      q[queued++] = end;
      q[queued++] = head;
    }
  }
  if (queued >= 12) generate4(words, q, queued);
  else if (queued === 9) generate2(words, q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8]);
  else if (queued === 6) generatePair(words, q[0], q[1], q[2], q[3], q[4], q[5]);
  else if (queued === 3) generate1(words, q[0], q[1], q[2]);
}

/** Non-zero runs of the page being decoded, as (start, end, head) triples. */
let queue = new Int32Array(3 * 64);

/** words[start .. end) = the run whose word at `start` is `x`. */
function generate1(words: Int32Array, start: number, end: number, x: number): void {
  for (let k = start; k < end; k++) {
    words[k] = x;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
}

/**
 * The queued runs (at least four), four at a time: one run is a chain of dependent steps, four
 * independent chains keep the CPU busy. Each lane steps up to the end of the shortest of the four,
 * then the finished lanes take the next runs; the last runs in flight end two at a time.
 */
function generate4(words: Int32Array, q: Int32Array, queued: number): void {
  let pa = q[0];
  let ea = q[1];
  let a = q[2];
  let pb = q[3];
  let eb = q[4];
  let b = q[5];
  let pc = q[6];
  let ec = q[7];
  let c = q[8];
  let pd = q[9];
  let ed = q[10];
  let d = q[11];
  let next = 12;
  for (;;) {
    let m = ea - pa;
    if (eb - pb < m) m = eb - pb;
    if (ec - pc < m) m = ec - pc;
    if (ed - pd < m) m = ed - pd;
    for (let i = 0; i < m; i++) {
      words[pa + i] = a;
      words[pb + i] = b;
      words[pc + i] = c;
      words[pd + i] = d;
      a ^= a << 13;
      b ^= b << 13;
      c ^= c << 13;
      d ^= d << 13;
      a ^= a >>> 17;
      b ^= b >>> 17;
      c ^= c >>> 17;
      d ^= d >>> 17;
      a ^= a << 5;
      b ^= b << 5;
      c ^= c << 5;
      d ^= d << 5;
    }
    pa += m;
    pb += m;
    pc += m;
    pd += m;
    if (next === queued) break;
    if (pa === ea) {
      pa = q[next];
      ea = q[next + 1];
      a = q[next + 2];
      next += 3;
      if (next === queued) break;
    }
    if (pb === eb) {
      pb = q[next];
      eb = q[next + 1];
      b = q[next + 2];
      next += 3;
      if (next === queued) break;
    }
    if (pc === ec) {
      pc = q[next];
      ec = q[next + 1];
      c = q[next + 2];
      next += 3;
      if (next === queued) break;
    }
    if (pd === ed) {
      pd = q[next];
      ed = q[next + 1];
      d = q[next + 2];
      next += 3;
    }
  }
  // The four runs still in flight, two at a time.
  if (pa === ea) generate2(words, pb, eb, b, pc, ec, c, pd, ed, d);
  else if (pb === eb) generate2(words, pa, ea, a, pc, ec, c, pd, ed, d);
  else if (pc === ec) generate2(words, pa, ea, a, pb, eb, b, pd, ed, d);
  else {
    generate2(words, pa, ea, a, pb, eb, b, pc, ec, c);
    generate1(words, pd, ed, d);
  }
}

/** Runs (pa, ea, a), (pb, eb, b), then (pc, ec, c) in the lane that ends first. */
function generate2(
  words: Int32Array,
  pa: number,
  ea: number,
  a: number,
  pb: number,
  eb: number,
  b: number,
  pc: number,
  ec: number,
  c: number,
): void {
  const m = Math.min(ea - pa, eb - pb);
  for (let i = 0; i < m; i++) {
    words[pa + i] = a;
    words[pb + i] = b;
    a ^= a << 13;
    b ^= b << 13;
    a ^= a >>> 17;
    b ^= b >>> 17;
    a ^= a << 5;
    b ^= b << 5;
  }
  pa += m;
  pb += m;
  if (pa === ea) {
    pa = pc;
    ea = ec;
    a = c;
  } else {
    pb = pc;
    eb = ec;
    b = c;
  }
  generatePair(words, pa, ea, a, pb, eb, b);
}

/** Runs (pa, ea, a) and (pb, eb, b), two lanes up to the shorter's end. */
function generatePair(words: Int32Array, pa: number, ea: number, a: number, pb: number, eb: number, b: number): void {
  const m = Math.min(ea - pa, eb - pb);
  for (let i = 0; i < m; i++) {
    words[pa + i] = a;
    words[pb + i] = b;
    a ^= a << 13;
    b ^= b << 13;
    a ^= a >>> 17;
    b ^= b >>> 17;
    a ^= a << 5;
    b ^= b << 5;
  }
  generate1(words, pa + m, ea, a);
  generate1(words, pb + m, eb, b);
}

/** Ints the encoding at `code[at ..]` takes. */
export function encodedLength(code: Int32Array, at: number): number {
  const n = code[at];
  return n === RAW ? 1 + PAGE_WORDS : 1 + 2 * n;
}

/**
 * Whole-page single runs (a seeded fill, a page one write made), queued and written in batches:
 * in WebAssembly SIMD, in place, where the memory has a generator (xorshiftSimd.ts), else four
 * interleaved in JavaScript (one page's xorshift is a chain of dependent steps, four
 * interleaved keep the CPU busy).
 */
export class RunFiller {
  private readonly offsets = new Int32Array(PAGES_PER_CALL);
  private readonly heads = new Int32Array(PAGES_PER_CALL);
  /** For a page queued by `addEncoded`, its code and where in it the page's encoding starts; else null. */
  private readonly codes: (Int32Array | null)[] = Array(PAGES_PER_CALL).fill(null);
  private readonly codeAt = new Int32Array(PAGES_PER_CALL);
  private n = 0;

  /** `generate` null: the JavaScript loops (no WebAssembly SIMD, small memories; tests). */
  constructor(
    private readonly words: Int32Array,
    private readonly generate: PageGenerator | null,
  ) {}

  /** Queue page words[offset .. offset+1024) = the run from `head` (not 0: zero pages are a fill). */
  add(offset: number, head: number): void {
    this.offsets[this.n] = offset;
    this.heads[this.n] = head;
    if (++this.n === PAGES_PER_CALL) this.flush();
  }

  /**
   * Queue the page encoded at `code[at ..]` (several runs, the first not zero) for
   * words[offset ..]: written whole as its first run's stream, then each later run that stream
   * does not already hold. A page patched by small writes is its fill's stream but for the
   * patches (the words after a patch resume the fill's run), so only the patches cost more.
   */
  addEncoded(offset: number, code: Int32Array, at: number): void {
    this.codes[this.n] = code;
    this.codeAt[this.n] = at;
    this.add(offset, code[at + 2]);
  }

  flush(): void {
    const n = this.n;
    this.n = 0;
    if (n === 0) return;
    const o = this.offsets;
    const h = this.heads;
    const gen = this.generate;
    if (gen) {
      // A short batch repeats its last page: written twice, the same bytes.
      for (let i = n; i < PAGES_PER_CALL; i++) {
        o[i] = o[n - 1];
        h[i] = h[n - 1];
      }
      const at = this.words.byteOffset;
      gen(
        at + 4 * o[0],
        at + 4 * o[1],
        at + 4 * o[2],
        at + 4 * o[3],
        at + 4 * o[4],
        at + 4 * o[5],
        at + 4 * o[6],
        at + 4 * o[7],
        h[0],
        h[1],
        h[2],
        h[3],
        h[4],
        h[5],
        h[6],
        h[7],
      );
    } else {
      let i = 0;
      for (; i + 4 <= n; i += 4) fill4(this.words, o.subarray(i, i + 4), h.subarray(i, i + 4));
      for (; i < n; i++) fill1(this.words, o[i], h[i]);
    }
    // The later runs of encoded pages, while their pages are still in cache.
    for (let i = 0; i < n; i++) {
      const code = this.codes[i];
      if (!code) continue;
      this.codes[i] = null;
      patchRuns(this.words, o[i], code, this.codeAt[i]);
    }
  }
}

/** Runs 1.. of the page encoded at code[at ..] over words[offset ..], which hold run 0's stream over the whole page. */
function patchRuns(words: Int32Array, offset: number, code: Int32Array, at: number): void {
  const n = code[at];
  for (let r = 1; r < n; r++) {
    const start = offset + code[at + 1 + 2 * r];
    const head = code[at + 2 + 2 * r];
    // Run 0's stream already has this run if it has its head there: both are the xorshift sequence from it.
    if (words[start] === head) continue;
    const end = r + 1 < n ? offset + code[at + 3 + 2 * r] : offset + PAGE_WORDS;
    if (head === 0) words.fill(0, start, end);
    else generate1(words, start, end, head);
  }
}

function fill1(words: Int32Array, offset: number, head: number): void {
  let x = head;
  words[offset] = x;
  for (let k = offset + 1; k < offset + PAGE_WORDS; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[k] = x;
  }
}

function fill4(words: Int32Array, offsets: Int32Array, heads: Int32Array): void {
  const o0 = offsets[0];
  const o1 = offsets[1];
  const o2 = offsets[2];
  const o3 = offsets[3];
  let a = heads[0];
  let b = heads[1];
  let c = heads[2];
  let d = heads[3];
  words[o0] = a;
  words[o1] = b;
  words[o2] = c;
  words[o3] = d;
  for (let k = 1; k < PAGE_WORDS; k++) {
    a ^= a << 13;
    b ^= b << 13;
    c ^= c << 13;
    d ^= d << 13;
    a ^= a >>> 17;
    b ^= b >>> 17;
    c ^= c >>> 17;
    d ^= d >>> 17;
    a ^= a << 5;
    b ^= b << 5;
    c ^= c << 5;
    d ^= d << 5;
    words[o0 + k] = a;
    words[o1 + k] = b;
    words[o2 + k] = c;
    words[o3 + k] = d;
  }
}
