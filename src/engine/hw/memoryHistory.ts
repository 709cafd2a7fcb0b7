import { Bitmap } from './bitmap';
import { type GuestMemory, type MemoryKeeper, PAGE_SIZE } from './guestMemory';

/** The pages one memory changed between two keyframes, with their bytes at the later one. */
interface Delta {
  keyframe: number;
  pages: Int32Array;
  bytes: Uint8Array;
  /** Where each page's previous copy is (delta index, slot), or -1: its initial contents. */
  prevDelta: Int32Array;
  prevSlot: Int32Array;
}

interface Track {
  deltas: Delta[];
  ownerDelta: Int32Array;
  ownerSlot: Int32Array;
}

/**
 * Keyframes for memories as page-level deltas: saving stores only the pages touched since
 * the last save; loading an earlier keyframe rewrites only the pages changed after it, from
 * the newest delta at or before it, or from the page's initial contents. Keyframes after the
 * loaded one are dropped (replay recreates them).
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
    const count = touched.count();
    const delta: Delta = {
      keyframe: this.keyframe,
      pages: new Int32Array(count),
      bytes: new Uint8Array(count * PAGE_SIZE),
      prevDelta: new Int32Array(count),
      prevSlot: new Int32Array(count),
    };
    const index = track.deltas.length;
    let slot = 0;
    for (let p = touched.scan(0, memory.pages); p >= 0; p = touched.scan(p + 1, memory.pages)) {
      delta.pages[slot] = p;
      delta.bytes.set(memory.page(p), slot * PAGE_SIZE);
      delta.prevDelta[slot] = track.ownerDelta[p];
      delta.prevSlot[slot] = track.ownerSlot[p];
      track.ownerDelta[p] = index;
      track.ownerSlot[p] = slot;
      slot++;
    }
    track.deltas.push(delta);
    this.bytes += delta.bytes.length;
    touched.clearAll();
    return this.keyframe;
  }

  load(memory: GuestMemory, token: unknown): void {
    const keyframe = token as number;
    const track = this.track(memory);
    const changed = new Bitmap(memory.pages);
    changed.copyFrom(memory.touched);
    for (
      let d = track.deltas[track.deltas.length - 1];
      d && d.keyframe > keyframe;
      d = track.deltas[track.deltas.length - 1]
    ) {
      for (let slot = d.pages.length - 1; slot >= 0; slot--) {
        const p = d.pages[slot];
        changed.set(p);
        track.ownerDelta[p] = d.prevDelta[slot];
        track.ownerSlot[p] = d.prevSlot[slot];
      }
      track.deltas.pop();
      this.bytes -= d.bytes.length;
    }
    for (let p = changed.scan(0, memory.pages); p >= 0; p = changed.scan(p + 1, memory.pages)) {
      const owner = track.ownerDelta[p];
      if (owner < 0) memory.resetPageToBase(p);
      else {
        const at = track.ownerSlot[p] * PAGE_SIZE;
        memory.installPage(p, track.deltas[owner].bytes.subarray(at, at + PAGE_SIZE));
      }
    }
    memory.touched.clearAll();
  }

  private track(memory: GuestMemory): Track {
    let track = this.tracks.get(memory);
    if (!track) {
      track = {
        deltas: [],
        ownerDelta: new Int32Array(memory.pages).fill(-1),
        ownerSlot: new Int32Array(memory.pages).fill(-1),
      };
      this.tracks.set(memory, track);
    }
    return track;
  }
}
