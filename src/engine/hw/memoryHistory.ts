import { Bitmap } from './bitmap';
import { type GuestMemory, type MemoryKeeper, PAGE_WORDS } from './guestMemory';
import { decodePage, encodedLength, encodePage, MAX_ENCODED_INTS, RAW } from './pageRuns';

/** The pages one memory changed since its previous keyframe, each encoded as xorshift runs (pageRuns.ts). */
interface Delta {
  keyframe: number;
  pages: Int32Array;
  /** Where each page's encoding starts in `code`. */
  at: Int32Array;
  code: Int32Array;
  /** Where each page's previous version is (delta index, slot), or -1: its initial contents. */
  prevDelta: Int32Array;
  prevSlot: Int32Array;
}

interface Track {
  memory: GuestMemory;
  deltas: Delta[];
  /** The newest version of each page (delta index, slot), or -1. */
  ownerDelta: Int32Array;
  ownerSlot: Int32Array;
  /** Each page's version at keyframe `at` (delta index, slot), or -1: its initial contents. */
  curDelta: Int32Array;
  curSlot: Int32Array;
  /** The keyframe the memory's contents are at, except for the pages in `memory.touched`. */
  at: number;
  /** Pages whose bytes a deferred load has yet to write (their versions are in curDelta), or null. */
  pending: Bitmap | null;
}

/** Scratch for encoding one delta: grown as needed, copied out at the size used. */
let scratch = new Int32Array(1 << 16);

/**
 * Keyframes for memories as page-level deltas: saving stores only the pages touched since
 * the keyframe the memory is at, each as its xorshift runs (a page one fill or write made
 * costs 12 bytes). Every keyframe is kept, so loading works in both directions: it rewrites
 * only the pages that differ between where the memory is and the keyframe asked for.
 */
export class MemoryHistory implements MemoryKeeper {
  private readonly tracks = new Map<GuestMemory, Track>();
  private keyframe = 0;
  bytes = 0;

  /** The id the next `save` calls file their deltas under (increasing). */
  beginKeyframe(id: number): void {
    this.keyframe = id;
  }

  save(memory: GuestMemory): unknown {
    const track = this.track(memory);
    const touched = memory.touched;
    // Replayed from an older keyframe past the newest one: what changed in between counts as touched.
    for (const d of track.deltas) if (d.keyframe > track.at) for (const p of d.pages) touched.set(p);
    const count = touched.count();
    const pages = new Int32Array(count);
    const at = new Int32Array(count);
    const prevDelta = new Int32Array(count);
    const prevSlot = new Int32Array(count);
    const index = track.deltas.length;
    // Untouched, the bytes are not looked at (a memory whose initial fill is not written yet stays so).
    const words = count > 0 ? memory.ints : new Int32Array(0);
    let used = 0;
    let slot = 0;
    for (let p = touched.scan(0, memory.pages); p >= 0; p = touched.scan(p + 1, memory.pages)) {
      if (scratch.length - used < MAX_ENCODED_INTS) {
        const grown = new Int32Array(scratch.length * 2);
        grown.set(scratch.subarray(0, used));
        scratch = grown;
      }
      pages[slot] = p;
      at[slot] = used;
      used = encodePage(words, p * PAGE_WORDS, scratch, used);
      prevDelta[slot] = track.ownerDelta[p];
      prevSlot[slot] = track.ownerSlot[p];
      track.ownerDelta[p] = index;
      track.ownerSlot[p] = slot;
      track.curDelta[p] = index;
      track.curSlot[p] = slot;
      slot++;
    }
    const delta: Delta = { keyframe: this.keyframe, pages, at, code: scratch.slice(0, used), prevDelta, prevSlot };
    track.deltas.push(delta);
    this.bytes += deltaBytes(delta);
    track.at = this.keyframe;
    touched.clearAll();
    return this.keyframe;
  }

  /**
   * Loading only moves the memory's page versions to the keyframe; the pages that differ are
   * written when the run first uses the bytes (GuestMemory.defer), so a memory the run does not
   * read before the next seek costs nothing.
   */
  load(memory: GuestMemory, token: unknown): void {
    const keyframe = token as number;
    const track = this.track(memory);
    const changed = track.pending ?? new Bitmap(memory.pages);
    changed.or(memory.touched);
    moveVersions(track, keyframe, changed);
    memory.touched.clearAll();
    if (changed.isEmpty()) return;
    track.pending = changed;
    memory.defer(() => this.write(track));
  }

  /** Write the pages a load left pending: each page's version at the keyframe the track is at. */
  private write(track: Track): void {
    const changed = track.pending;
    track.pending = null;
    if (!changed) return;
    const memory = track.memory;
    const words = memory.ints;
    const peers = this.peersOf(track);
    const filler = memory.runFiller();
    // Zero pages and pages copied from a peer, gathered into ranges of neighbouring pages: one call each.
    const zeros = new RangeCopy((from, to) => words.fill(0, from, to));
    const copies = peers.map(
      (peer) => new RangeCopy((from, to) => words.set(peer.memory.currentInts.subarray(from, to), from)),
    );
    for (let p = changed.scan(0, memory.pages); p >= 0; p = changed.scan(p + 1, memory.pages)) {
      const offset = p * PAGE_WORDS;
      const owner = track.curDelta[p];
      // Initial contents are one run (a seeded fill) or zeros.
      const code = owner < 0 ? baseCode(memory, p) : track.deltas[owner].code;
      const at = owner < 0 ? 0 : track.deltas[owner].at[track.curSlot[p]];
      const runs = code[at];
      if (runs === 1 && code[at + 2] === 0) {
        zeros.add(offset);
        continue;
      }
      // The same bytes may be in a peer already (a destination's copy of a source page not written
      // since, a backup's copy of the VM's page): copying them beats running the generator.
      let copied = false;
      if (runs !== RAW && runs <= MAX_COMPARED_RUNS) {
        for (let k = 0; k < peers.length && !copied; k++) {
          if (holdsCode(peers[k], p, code, at)) {
            copies[k].add(offset);
            copied = true;
          }
        }
      }
      if (copied) continue;
      if (runs === 1) filler.add(offset, code[at + 2]);
      else if (runs !== RAW && code[at + 2] !== 0) filler.addEncoded(offset, code, at);
      else decodePage(code, at, words, offset);
    }
    zeros.flush();
    for (const c of copies) c.flush();
    filler.flush();
  }

  /** Other memories of the same size at the same keyframe (which of their pages are current, `holdsCode` asks). */
  private peersOf(track: Track): Track[] {
    const peers: Track[] = [];
    for (const t of this.tracks.values()) {
      if (t !== track && t.memory.pages === track.memory.pages && t.at === track.at) peers.push(t);
    }
    return peers;
  }

  /**
   * Every saved memory has just reached keyframe `id` again by replay (a deterministic run
   * passes through the same states), so its contents are that keyframe's without a load.
   */
  reached(id: number): void {
    for (const t of this.tracks.values()) {
      // Pages a deferred load has yet to write take the versions at `id`, as the others' bytes have.
      moveVersions(t, id, null);
      t.memory.touched.clearAll();
    }
  }

  /** Forget the keyframes after `id` (the run was found to differ from them). */
  dropAfter(id: number): void {
    for (const track of this.tracks.values()) {
      // What the run holds is trusted over the keyframes: first write what it holds.
      track.memory.materialize();
      for (let d = track.deltas.at(-1); d && d.keyframe > id; d = track.deltas.at(-1)) {
        for (let slot = d.pages.length - 1; slot >= 0; slot--) {
          const p = d.pages[slot];
          // The memory is where it is; relative to an older keyframe these pages may differ.
          if (track.at > id) track.memory.touched.set(p);
          track.ownerDelta[p] = d.prevDelta[slot];
          track.ownerSlot[p] = d.prevSlot[slot];
          if (track.curDelta[p] >= track.deltas.length - 1) {
            track.curDelta[p] = d.prevDelta[slot];
            track.curSlot[p] = d.prevSlot[slot];
          }
        }
        track.deltas.pop();
        this.bytes -= deltaBytes(d);
      }
      if (track.at > id) track.at = id;
    }
  }

  /** Bytes the encoded pages take, and how many page versions are held (for benchmarks). */
  stats(): { pageVersions: number; encodedBytes: number } {
    let pageVersions = 0;
    let encodedBytes = 0;
    for (const t of this.tracks.values()) {
      for (const d of t.deltas) {
        pageVersions += d.pages.length;
        for (let s = 0; s < d.pages.length; s++) encodedBytes += 4 * encodedLength(d.code, d.at[s]);
      }
    }
    return { pageVersions, encodedBytes };
  }

  private track(memory: GuestMemory): Track {
    let track = this.tracks.get(memory);
    if (!track) {
      track = {
        memory,
        deltas: [],
        ownerDelta: new Int32Array(memory.pages).fill(-1),
        ownerSlot: new Int32Array(memory.pages).fill(-1),
        curDelta: new Int32Array(memory.pages).fill(-1),
        curSlot: new Int32Array(memory.pages).fill(-1),
        at: -1,
        pending: null,
      };
      this.bytes += 16 * memory.pages;
      this.tracks.set(memory, track);
    }
    return track;
  }
}

/**
 * Move the track's current versions from keyframe `at` to `keyframe`, through the deltas in
 * between (forwards: each page takes its newest version up to `keyframe`; backwards: the one
 * before the earliest delta undone), marking the pages they hold in `changed`.
 */
function moveVersions(track: Track, keyframe: number, changed: Bitmap | null): void {
  const { deltas, curDelta, curSlot } = track;
  if (keyframe > track.at) {
    for (let i = 0; i < deltas.length; i++) {
      const d = deltas[i];
      if (d.keyframe <= track.at) continue;
      if (d.keyframe > keyframe) break;
      for (let slot = 0; slot < d.pages.length; slot++) {
        const p = d.pages[slot];
        curDelta[p] = i;
        curSlot[p] = slot;
        changed?.set(p);
      }
    }
  } else {
    for (let i = deltas.length - 1; i >= 0; i--) {
      const d = deltas[i];
      if (d.keyframe > track.at) continue;
      if (d.keyframe <= keyframe) break;
      for (let slot = 0; slot < d.pages.length; slot++) {
        const p = d.pages[slot];
        curDelta[p] = d.prevDelta[slot];
        curSlot[p] = d.prevSlot[slot];
        changed?.set(p);
      }
    }
  }
  track.at = keyframe;
}

/** Runs past which comparing two pages' codes costs about what writing the page does. */
const MAX_COMPARED_RUNS = 64;

/** A page's initial contents as code: one run from its seeded head (zero: a zero page). */
const BASE = new Int32Array([1, 0, 0]);
function baseCode(memory: GuestMemory, p: number): Int32Array {
  BASE[2] = memory.baseHead(p);
  return BASE;
}

/** Whether `peer`'s bytes of page p are current and are the code at `code[at ..]`. */
function holdsCode(peer: Track, p: number, code: Int32Array, at: number): boolean {
  if (peer.memory.touched.get(p) || peer.pending?.get(p)) return false;
  const owner = peer.curDelta[p];
  if (owner < 0) return code[at] === 1 && code[at + 1] === 0 && code[at + 2] === peer.memory.baseHead(p);
  const d = peer.deltas[owner];
  const pat = d.at[peer.curSlot[p]];
  const other = d.code;
  const runs = code[at];
  if (other[pat] !== runs) return false;
  for (let k = 1; k <= 2 * runs; k++) if (other[pat + k] !== code[at + k]) return false;
  return true;
}

/** Whole pages given one at a time, done as ranges of neighbouring pages (`apply(fromWord, toWord)`). */
class RangeCopy {
  private from = 0;
  private to = 0;

  constructor(private readonly apply: (from: number, to: number) => void) {}

  add(offset: number): void {
    if (offset !== this.to || this.to === this.from) {
      this.flush();
      this.from = offset;
    }
    this.to = offset + PAGE_WORDS;
  }

  flush(): void {
    if (this.to > this.from) this.apply(this.from, this.to);
    this.from = this.to = 0;
  }
}

function deltaBytes(d: Delta): number {
  return d.code.byteLength + 16 * d.pages.length;
}
