/**
 * Reuses large ArrayBuffers between runs. A fresh buffer costs a page fault per 4 KiB the
 * first time it is touched (slow in some VMs); rebuilding a run for a seek or a second
 * test takes warm buffers from here instead. Buffers come back zero-filled, so reuse never
 * changes a result.
 */
const MAX_POOLED_BYTES = 2 * 1024 * 1024 * 1024;
const free = new Map<number, ArrayBuffer[]>();
let pooledBytes = 0;

export function acquireBuffer(byteLength: number): ArrayBuffer {
  const list = free.get(byteLength);
  const buf = list?.pop();
  if (!buf) return new ArrayBuffer(byteLength);
  pooledBytes -= byteLength;
  new Uint8Array(buf).fill(0);
  return buf;
}

export function releaseBuffer(buf: ArrayBuffer): void {
  if (pooledBytes + buf.byteLength > MAX_POOLED_BYTES) return;
  const list = free.get(buf.byteLength) ?? [];
  if (list.includes(buf)) return;
  list.push(buf);
  free.set(buf.byteLength, list);
  pooledBytes += buf.byteLength;
}
