/**
 * A packet's bytes: a header (magic|flow, sequence number, length) and a pattern that
 * depends on flow, sequence and position, so a stale, swapped or torn buffer shows.
 * Word 0 is never zero: a zero first word marks a free slot (free buffers are kept zeroed).
 *
 * Pattern word k is imul(k + seq % SHIFTS, STEP) ^ salt(flow): a window of the flow's pattern
 * block, so writing a packet is one TypedArray.set; packets of a flow up to SHIFTS apart
 * differ in every word. SHIFTS is past the largest ring (4096 slots): a slot's previous
 * occupant is at most a ring's worth of packets older, so its stale bytes never pass as new.
 */
export const SLOT_BYTES = 1536;
export const SLOT_WORDS = SLOT_BYTES / 4;
const MAGIC = 0x5e000000;
const STEP = 0x9e3779b1;
const SHIFTS = 4099;
/** Below this many words a loop is quicker than making a subarray for TypedArray.set. */
const SMALL_WORDS = 24;

/** Each flow's pattern block (a pure function of the flow: a cache, not state). */
const blocks: Uint32Array[] = [];

function salt(flow: number): number {
  return Math.imul(flow + 1, 0x85ebca6b);
}

function patternBlock(flow: number): Uint32Array {
  let block = blocks[flow];
  if (block === undefined) {
    block = new Uint32Array(SLOT_WORDS + SHIFTS);
    const s = salt(flow);
    for (let j = 0; j < block.length; j++) block[j] = Math.imul(j, STEP) ^ s;
    blocks[flow] = block;
  }
  return block;
}

export function fillPayload(words: Uint32Array, slot: number, flow: number, seq: number, len: number): void {
  const base = slot * SLOT_WORDS;
  const n = (len + 3) >> 2;
  const from = seq % SHIFTS;
  if (n > SMALL_WORDS) words.set(patternBlock(flow).subarray(from + 3, from + n), base + 3);
  else {
    const s = salt(flow);
    for (let k = 3; k < n; k++) words[base + k] = Math.imul(k + from, STEP) ^ s;
  }
  words[base] = (MAGIC | flow) >>> 0;
  words[base + 1] = seq;
  words[base + 2] = len;
  // Bytes past `len` in the last word stay zero, as a NIC would leave them.
  const tail = len & 3;
  if (tail) words[base + n - 1] &= (1 << (8 * tail)) - 1;
}

/** True when the slot holds exactly the bytes `fillPayload` wrote for (flow, seq, len). */
export function checkPayload(words: Uint32Array, slot: number, flow: number, seq: number, len: number): boolean {
  const base = slot * SLOT_WORDS;
  const n = (len + 3) >> 2;
  if (words[base] !== (MAGIC | flow) >>> 0 || words[base + 1] !== seq || words[base + 2] !== len) return false;
  const s = salt(flow);
  const from = seq % SHIFTS;
  const tail = len & 3;
  const last = tail ? n - 1 : n;
  // Four words a step with the differences ORed, one branch per packet; the next word's
  // imul(k + from, STEP) is the last one plus STEP (mod 2^32, which ^ applies).
  let diff = 0;
  let k = 3;
  let e = Math.imul(k + from, STEP);
  for (; k + 4 <= last; k += 4) {
    const i = base + k;
    diff |=
      (words[i] ^ e ^ s) |
      (words[i + 1] ^ (e + STEP) ^ s) |
      (words[i + 2] ^ (e + 2 * STEP) ^ s) |
      (words[i + 3] ^ (e + 3 * STEP) ^ s);
    e = (e + 4 * STEP) | 0;
  }
  for (; k < last; k++) diff |= words[base + k] ^ Math.imul(k + from, STEP) ^ s;
  if (diff !== 0) return false;
  if (tail && words[base + last] !== ((Math.imul(last + from, STEP) ^ s) & ((1 << (8 * tail)) - 1)) >>> 0) return false;
  return true;
}

export function clearSlot(words: Uint32Array, slot: number, len: number): void {
  const base = slot * SLOT_WORDS;
  words.fill(0, base, base + ((len + 3) >> 2));
}

/** Copy a slot's first `len` bytes between buffers (the backend's copy, a DMA). */
export function copySlot(from: Uint32Array, fromSlot: number, to: Uint32Array, toSlot: number, len: number): void {
  const n = (len + 3) >> 2;
  to.set(from.subarray(fromSlot * SLOT_WORDS, fromSlot * SLOT_WORDS + n), toSlot * SLOT_WORDS);
}

/** Copy slot `fromSlot`'s first `len` bytes to word `toWord` of the same buffer (a memmove, no view made). */
export function copySlotWithin(words: Uint32Array, fromSlot: number, toWord: number, len: number): void {
  const from = fromSlot * SLOT_WORDS;
  words.copyWithin(toWord, from, from + ((len + 3) >> 2));
}

/** Live slots only (first word non-zero): what a keyframe needs of a buffer region. */
export function snapshotSlots(words: Uint32Array, slots: number): { ids: Uint16Array; data: Uint32Array } {
  const ids: number[] = [];
  for (let s = 0; s < slots; s++) if (words[s * SLOT_WORDS] !== 0) ids.push(s);
  const data = new Uint32Array(ids.length * SLOT_WORDS);
  ids.forEach((s, i) => {
    data.set(words.subarray(s * SLOT_WORDS, (s + 1) * SLOT_WORDS), i * SLOT_WORDS);
  });
  return { ids: Uint16Array.from(ids), data };
}

export function restoreSlots(words: Uint32Array, snap: { ids: Uint16Array; data: Uint32Array }): void {
  words.fill(0);
  snap.ids.forEach((s, i) => {
    words.set(snap.data.subarray(i * SLOT_WORDS, (i + 1) * SLOT_WORDS), s * SLOT_WORDS);
  });
}
