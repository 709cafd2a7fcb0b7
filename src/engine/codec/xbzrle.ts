import { readUleb128, writeUleb128 } from './uleb128';

/**
 * XBZRLE page deltas, as QEMU sends them between migration rounds: XOR the new page with
 * the cached old one and encode the result as pairs (zero run, non-zero run + its bytes),
 * both lengths ULEB128. A trailing zero run is left out. Equal stretches are skipped a
 * 32-bit word at a time.
 *
 * Returns the encoded length, or -1 when the encoding would exceed `limit` bytes (the
 * caller then sends the full page: an "overflow").
 */
export function xbzrleEncode(oldPage: Uint8Array, newPage: Uint8Array, out: Uint8Array, limit: number): number {
  const n = newPage.length;
  const oldWords = new Uint32Array(oldPage.buffer, oldPage.byteOffset, n >>> 2);
  const newWords = new Uint32Array(newPage.buffer, newPage.byteOffset, n >>> 2);
  let i = 0;
  let d = 0;
  while (i < n) {
    const zStart = i;
    while (i < n && (i & 3) !== 0 && oldPage[i] === newPage[i]) i++;
    if ((i & 3) === 0) while (i < n && oldWords[i >>> 2] === newWords[i >>> 2]) i += 4;
    while (i < n && oldPage[i] === newPage[i]) i++;
    if (i === n) break;
    const zrun = i - zStart;
    const nzStart = i;
    while (i < n && oldPage[i] !== newPage[i]) i++;
    const nzrun = i - nzStart;
    if (d + 10 + nzrun > limit) return -1;
    d = writeUleb128(out, d, zrun);
    d = writeUleb128(out, d, nzrun);
    for (let k = nzStart; k < i; k++) out[d++] = oldPage[k] ^ newPage[k];
  }
  return d;
}

/** Apply an encoded delta to `page` in place (it must hold the old contents). */
export function xbzrleDecode(encoded: Uint8Array, page: Uint8Array): void {
  let pos = 0;
  let i = 0;
  while (pos < encoded.length) {
    let zrun: number;
    let nzrun: number;
    [zrun, pos] = readUleb128(encoded, pos);
    [nzrun, pos] = readUleb128(encoded, pos);
    i += zrun;
    if (i + nzrun > page.length) throw new Error('XBZRLE delta runs past the end of the page');
    for (let k = 0; k < nzrun; k++) page[i + k] ^= encoded[pos + k];
    pos += nzrun;
    i += nzrun;
  }
}
