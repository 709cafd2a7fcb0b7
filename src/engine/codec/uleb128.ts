/** Write `value` as ULEB128 at `out[pos]`; returns the new position. */
export function writeUleb128(out: Uint8Array, pos: number, value: number): number {
  let v = value;
  while (v >= 0x80) {
    out[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[pos++] = v;
  return pos;
}

/** Read a ULEB128 at `buf[pos]`: [value, new position]. */
export function readUleb128(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    value |= (b & 0x7f) << shift;
    if (b < 0x80) return [value >>> 0, pos];
    shift += 7;
  }
}

export function uleb128Size(value: number): number {
  let n = 1;
  for (let v = value; v >= 0x80; v >>>= 7) n++;
  return n;
}
