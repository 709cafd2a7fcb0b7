import type { Nanos } from './clock';

/** An event is plain data, so a queue can be snapshotted, hashed and sent to another thread. */
export interface SimEvent {
  readonly type: string;
  readonly [field: string]: string | number | boolean | undefined;
}

export interface QueuedEvent {
  time: Nanos;
  seq: number;
  event: SimEvent;
}

/** Binary min-heap ordered by time, then by scheduling order (first scheduled runs first). */
export class EventQueue {
  private heap: QueuedEvent[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(time: Nanos, event: SimEvent): void {
    const item = { time, seq: this.nextSeq++, event };
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = item;
  }

  peek(): QueuedEvent | undefined {
    return this.heap[0];
  }

  pop(): QueuedEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop() as QueuedEvent;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && before(heap[r], heap[l]) ? r : l;
        if (!before(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }

  snapshot(): { heap: QueuedEvent[]; nextSeq: number } {
    return {
      heap: this.heap.map((q) => ({ time: q.time, seq: q.seq, event: { ...q.event } })),
      nextSeq: this.nextSeq,
    };
  }

  restore(s: { heap: QueuedEvent[]; nextSeq: number }): void {
    this.heap = s.heap.map((q) => ({ time: q.time, seq: q.seq, event: { ...q.event } }));
    this.nextSeq = s.nextSeq;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
