import { PAGE_SIZE, PAGE_WORDS } from '../hw/guestMemory';

/**
 * Xen's checkpoint page delta (Remus compression) [xen tools/libxc/xc_compression.c].
 * A dirty page whose previous copy is cached is compared with it a 4-byte word at a time and
 * sent as runs, each with a one-byte header: bit 7 set skips words, clear copies the new words
 * that follow; the low 7 bits are the run's length in words (so at most 127 words, 508 bytes).
 * Every run is written, the trailing skip too; a page with nothing changed is the single byte
 * EMPTY_PAGE (0). A page not in the cache is FULL_PAGE (a zero-length skip, 0x80) and its 4096 bytes.
 */
export const XEN_EMPTY_PAGE = 0;
export const XEN_FULL_PAGE = 0x80;
const SKIP_FLAG = 0x80;
const LEN_MASK = 0x7f;
export const XEN_MAX_RUN_WORDS = LEN_MASK;
export const XEN_MAX_RUN_BYTES = XEN_MAX_RUN_WORDS * 4;
export const XEN_FULL_PAGE_BYTES = PAGE_SIZE + 1;
/** Every word changed: 8 runs of 508 bytes, one of 32, and 9 headers. */
export const XEN_WORST_DELTA_BYTES = PAGE_SIZE + 9;

/** An uncached page: FULL_PAGE and its bytes. Returns the bytes written at `pos`. */
export function xenEncodeFull(page: Uint8Array, out: Uint8Array, pos: number): number {
  out[pos] = XEN_FULL_PAGE;
  out.set(page, pos + 1);
  return XEN_FULL_PAGE_BYTES;
}

/**
 * A cached page's delta: `cached` (the copy the receiver holds) is brought up to `page` as the
 * copy runs are written, as Xen updates its cache. Both must be 4-byte aligned views of one page.
 * Returns the bytes written at `pos` (1 to XEN_WORST_DELTA_BYTES).
 */
export function xenEncodeDelta(cached: Uint8Array, page: Uint8Array, out: Uint8Array, pos: number): number {
  const oldWords = new Uint32Array(cached.buffer, cached.byteOffset, PAGE_WORDS);
  const newWords = new Uint32Array(page.buffer, page.byteOffset, PAGE_WORDS);
  let len = 0;
  let skipped = 0;
  let off = 0;
  // Runs of equal (skip) or changed (copy) words, each cut at 127 words as Xen's loop cuts them.
  while (off < PAGE_WORDS) {
    const start = off;
    const limit = Math.min(PAGE_WORDS, start + LEN_MASK);
    if (oldWords[off] === newWords[off]) {
      while (off < limit && oldWords[off] === newWords[off]) off++;
      out[pos + len++] = (off - start) | SKIP_FLAG;
      skipped += off - start;
    } else {
      while (off < limit && oldWords[off] !== newWords[off]) off++;
      out[pos + len++] = off - start;
      const from = start * 4;
      const to = off * 4;
      for (let k = start; k < off; k++) oldWords[k] = newWords[k];
      out.set(page.subarray(from, to), pos + len);
      len += to - from;
    }
  }
  if (skipped === PAGE_WORDS) {
    out[pos] = XEN_EMPTY_PAGE;
    return 1;
  }
  return len;
}

/** Apply one encoded page at `pos` to `dest` (the receiver's copy). Returns the position after it. */
export function xenDecodePage(buf: Uint8Array, pos: number, end: number, dest: Uint8Array): number {
  if (pos >= end) throw new Error('Xen delta: no page record at the end of the buffer');
  const marker = buf[pos];
  if (marker === XEN_EMPTY_PAGE) return pos + 1;
  if (marker === XEN_FULL_PAGE) {
    if (pos + XEN_FULL_PAGE_BYTES > end) throw new Error('Xen delta: a full page runs past the end of the buffer');
    dest.set(buf.subarray(pos + 1, pos + XEN_FULL_PAGE_BYTES));
    return pos + XEN_FULL_PAGE_BYTES;
  }
  let at = 0;
  while (at < PAGE_SIZE && pos < end) {
    const header = buf[pos++];
    const bytes = (header & LEN_MASK) * 4;
    if (bytes === 0) throw new Error('Xen delta: a zero-length run inside a page');
    if (at + bytes > PAGE_SIZE) throw new Error('Xen delta: a run runs past the end of the page');
    if ((header & SKIP_FLAG) === 0) {
      if (pos + bytes > end) throw new Error('Xen delta: a copy run runs past the end of the buffer');
      dest.set(buf.subarray(pos, pos + bytes), at);
      pos += bytes;
    }
    at += bytes;
  }
  if (at !== PAGE_SIZE) throw new Error('Xen delta: the runs do not cover the page');
  return pos;
}

/** The runs of one encoded delta page, for tests and the details panel: [copy?, words] each. */
export function xenRuns(buf: Uint8Array, pos: number): { copy: boolean; words: number }[] {
  const marker = buf[pos];
  if (marker === XEN_EMPTY_PAGE || marker === XEN_FULL_PAGE) return [];
  const runs: { copy: boolean; words: number }[] = [];
  let at = 0;
  while (at < PAGE_SIZE) {
    const header = buf[pos++];
    const words = header & LEN_MASK;
    const copy = (header & SKIP_FLAG) === 0;
    runs.push({ copy, words });
    if (copy) pos += words * 4;
    at += words * 4;
  }
  return runs;
}
