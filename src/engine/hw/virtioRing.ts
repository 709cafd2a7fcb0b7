/**
 * A virtio split ring in its exact byte layout [linux include/uapi/linux/virtio_ring.h]:
 * the descriptor table (16-byte {addr u64, len u32, flags u16, next u16}), the avail ring
 * {flags u16, idx u16, ring[num] u16, used_event u16}, then, aligned to `align`, the used ring
 * {flags u16, idx u16, ring[num] {id u32, len u32}, avail_event u16}. Little-endian, as
 * virtio 1.0 fixes it. Indices are free-running 16-bit counters; num is a power of two.
 */
export const VRING_DESC_F_NEXT = 1;
export const VRING_DESC_F_WRITE = 2;
export const VRING_DESC_F_INDIRECT = 4;
export const VRING_DESC_BYTES = 16;
export const VRING_USED_ELEM_BYTES = 8;

/** vring_size(num, align) from the header: 10,246 bytes for 256 entries aligned to 4096. */
export function vringSize(num: number, align = 4096): number {
  const beforeUsed = VRING_DESC_BYTES * num + 2 * (3 + num);
  return Math.ceil(beforeUsed / align) * align + 2 * 3 + VRING_USED_ELEM_BYTES * num;
}

/** vring_need_event: notify only if the other side asked to hear of index `eventIdx`, passed in (old, new]. */
export function vringNeedEvent(eventIdx: number, newIdx: number, oldIdx: number): boolean {
  return ((newIdx - eventIdx - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** Byte offsets of each part, for a ring of `num` entries. */
export function vringLayout(num: number, align = 4096) {
  const desc = 0;
  const avail = VRING_DESC_BYTES * num;
  const used = Math.ceil((avail + 2 * (3 + num)) / align) * align;
  return {
    desc,
    avail,
    availIdx: avail + 2,
    availRing: avail + 4,
    usedEvent: avail + 4 + 2 * num,
    used,
    usedIdx: used + 2,
    usedRing: used + 4,
    availEvent: used + 4 + VRING_USED_ELEM_BYTES * num,
    size: vringSize(num, align),
  };
}

/** The ring's memory with typed accessors; every field lives in `bytes`, nothing beside it. */
export class VirtRing {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  readonly layout: ReturnType<typeof vringLayout>;
  private readonly mask: number;

  constructor(
    readonly num: number,
    align = 4096,
  ) {
    if (!isPowerOfTwo(num) || num > 32768) throw new Error(`ring size ${num} is not a power of two up to 32768`);
    this.layout = vringLayout(num, align);
    this.bytes = new Uint8Array(this.layout.size);
    this.view = new DataView(this.bytes.buffer);
    this.mask = num - 1;
  }

  writeDesc(id: number, addr: number, len: number, flags: number, next: number): void {
    const o = this.layout.desc + id * VRING_DESC_BYTES;
    this.view.setUint32(o, addr >>> 0, true);
    this.view.setUint32(o + 4, Math.floor(addr / 4294967296), true);
    this.view.setUint32(o + 8, len, true);
    this.view.setUint16(o + 12, flags, true);
    this.view.setUint16(o + 14, next, true);
  }

  descAddr(id: number): number {
    const o = this.layout.desc + id * VRING_DESC_BYTES;
    return this.view.getUint32(o, true) + this.view.getUint32(o + 4, true) * 4294967296;
  }

  descLen(id: number): number {
    return this.view.getUint32(this.layout.desc + id * VRING_DESC_BYTES + 8, true);
  }

  get availIdx(): number {
    return this.view.getUint16(this.layout.availIdx, true);
  }

  get usedIdx(): number {
    return this.view.getUint16(this.layout.usedIdx, true);
  }

  get usedEvent(): number {
    return this.view.getUint16(this.layout.usedEvent, true);
  }

  set usedEvent(v: number) {
    this.view.setUint16(this.layout.usedEvent, v & 0xffff, true);
  }

  get availEvent(): number {
    return this.view.getUint16(this.layout.availEvent, true);
  }

  set availEvent(v: number) {
    this.view.setUint16(this.layout.availEvent, v & 0xffff, true);
  }

  /** Driver side: publish descriptor `id` in the avail ring and bump avail.idx. */
  pushAvail(id: number): void {
    const idx = this.availIdx;
    this.view.setUint16(this.layout.availRing + 2 * (idx & this.mask), id, true);
    this.view.setUint16(this.layout.availIdx, (idx + 1) & 0xffff, true);
  }

  /** The descriptor id at free-running avail position `pos`. */
  availAt(pos: number): number {
    return this.view.getUint16(this.layout.availRing + 2 * (pos & this.mask), true);
  }

  /** Device side: return descriptor `id` with `len` bytes in the used ring and bump used.idx. */
  pushUsed(id: number, len: number): void {
    const idx = this.usedIdx;
    const o = this.layout.usedRing + VRING_USED_ELEM_BYTES * (idx & this.mask);
    this.view.setUint32(o, id, true);
    this.view.setUint32(o + 4, len, true);
    this.view.setUint16(this.layout.usedIdx, (idx + 1) & 0xffff, true);
  }

  usedIdAt(pos: number): number {
    return this.view.getUint32(this.layout.usedRing + VRING_USED_ELEM_BYTES * (pos & this.mask), true);
  }

  usedLenAt(pos: number): number {
    return this.view.getUint32(this.layout.usedRing + VRING_USED_ELEM_BYTES * (pos & this.mask) + 4, true);
  }
}

/** Entries between two free-running 16-bit indices (`ahead` produced, `behind` consumed). */
export function ringDistance(ahead: number, behind: number): number {
  return (ahead - behind) & 0xffff;
}
