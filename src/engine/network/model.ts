import { ringDistance, VirtRing, VRING_DESC_F_WRITE, vringNeedEvent } from '../hw/virtioRing';
import type { Nanos } from '../kernel/clock';
import { Histogram } from './histogram';
import {
  checkPayload,
  clearSlot,
  copySlot,
  copySlotWithin,
  fillPayload,
  restoreSlots,
  SLOT_BYTES,
  SLOT_WORDS,
  snapshotSlots,
} from './payload';
import type { NetworkConfig, Trigger } from './schema';
import { type SourceState, TrafficSource } from './traffic';

/** Guest-physical address where the driver's packet buffers start (a region reserved for them). */
export const BUFFER_BASE_GPA = 0x1_0000_0000;
export const CPU_GUEST = 0;
export const CPU_VMM = 1;
export const CPU_KERNEL = 2;

/** Per-flow receive check: every sequence number once, in order, or counted as dropped. */
export class FlowChecker {
  readonly expected: Int32Array;
  dropped: number[][];
  errors = 0;
  firstError = '';

  constructor(flows: number) {
    this.expected = new Int32Array(flows);
    this.dropped = Array.from({ length: flows }, () => []);
  }

  drop(flow: number, seq: number): void {
    this.dropped[flow].push(seq);
  }

  receive(flow: number, seq: number, bytesOk: boolean, where: string): void {
    const d = this.dropped[flow];
    while (d.length && d[0] === this.expected[flow]) {
      d.shift();
      this.expected[flow]++;
    }
    if (seq !== this.expected[flow] || !bytesOk) {
      if (this.errors++ === 0)
        this.firstError = bytesOk
          ? `${where}: flow ${flow} got seq ${seq}, expected ${this.expected[flow]}`
          : `${where}: flow ${flow} seq ${seq} bytes differ`;
    }
    this.expected[flow] = seq + 1;
  }

  snapshot() {
    return {
      expected: this.expected.slice(),
      dropped: this.dropped.map((d) => d.slice()),
      errors: this.errors,
      firstError: this.firstError,
    };
  }

  restore(s: ReturnType<FlowChecker['snapshot']>): void {
    this.expected.set(s.expected);
    this.dropped = s.dropped.map((d) => d.slice());
    this.errors = s.errors;
    this.firstError = s.firstError;
  }
}

/** Figures one direction keeps as it runs. */
export class SideStats {
  offered = 0;
  delivered = 0;
  bytesDelivered = 0;
  droppedRingFull = 0;
  flushes = 0;
  flushedPackets = 0;
  maxCluster = 0;
  kicks = 0;
  kicksSuppressed = 0;
  interrupts = 0;
  interruptsSuppressed = 0;
  occupancySum = 0;
  occupancySamples = 0;
  occupancyMax = 0;
  firstOfferNs = -1;
  lastDeliverNs = 0;
  lastGroupPackets = 0;
  lastGroupTrigger = '';
  readonly triggers: Record<string, number> = {};
  readonly latency = new Histogram();
  readonly wait = new Histogram();

  snapshot() {
    const { latency, wait, triggers, ...plain } = this;
    return { ...plain, triggers: { ...triggers }, latency: latency.snapshot(), wait: wait.snapshot() };
  }

  restore(s: ReturnType<SideStats['snapshot']>): void {
    const { latency, wait, triggers, ...plain } = s;
    Object.assign(this, plain);
    for (const k of Object.keys(this.triggers)) delete this.triggers[k];
    Object.assign(this.triggers, triggers);
    this.latency.restore(latency);
    this.wait.restore(wait);
  }
}

/** One direction: a virtio split ring, the buffers its descriptors point at, and its packets' metadata. */
export class Side {
  readonly ring: VirtRing;
  readonly words: Uint32Array;
  readonly flow: Int32Array;
  readonly seq: Int32Array;
  readonly len: Int32Array;
  /** When the packet was offered (the app sent it, or it reached the NIC). */
  readonly tOffer: Float64Array;
  /** When it entered the shared region. */
  readonly tReady: Float64Array;
  readonly source: TrafficSource;
  readonly checker: FlowChecker;
  readonly stats = new SideStats();
  /** Device's next avail position (tx: backend consumption; rx: host's next empty buffer). */
  lastAvail = 0;
  /** Driver's next used position (tx: reclaim; rx: guest consumption). */
  lastUsed = 0;
  /** Used index when the guest was last interrupted (rx) or avail when the device last saw a kick (tx). */
  lastSignalled = 0;
  /** Pending packets waiting from this time (their cluster started forming). */
  consumerBusy = false;
  /** When the consumer (tx backend / rx guest poll) finishes what it has taken. */
  consumerFreeNs = 0;
  /** Packets in the consumer's current round (delivered at `consumerFreeNs`). */
  roundPackets = 0;
  roundTrigger: Trigger = 'kick';
  /** tx=timer: when the armed timer fires (-1: not armed); notifications are off while armed. */
  timerAt = -1;
  notifyOn = true;
  lastKickPosted = 0;

  constructor(
    readonly dir: 'tx' | 'rx',
    readonly num: number,
    cfg: NetworkConfig,
    seed: number,
    vm: string,
    /** Where its packet buffers live (num slots); its own memory if not given. */
    words = new Uint32Array((num * SLOT_BYTES) / 4),
  ) {
    this.ring = new VirtRing(num);
    this.words = words;
    this.flow = new Int32Array(num);
    this.seq = new Int32Array(num);
    this.len = new Int32Array(num);
    this.tOffer = new Float64Array(num);
    this.tReady = new Float64Array(num);
    this.source = new TrafficSource(cfg, seed, `net:${vm}/${dir}`, dir === 'rx');
    this.checker = new FlowChecker(cfg.traffic.flows);
    for (let id = 0; id < num; id++) {
      this.ring.writeDesc(
        id,
        BUFFER_BASE_GPA + (dir === 'rx' ? num * SLOT_BYTES : 0) + id * SLOT_BYTES,
        SLOT_BYTES,
        dir === 'rx' ? VRING_DESC_F_WRITE : 0,
        0,
      );
    }
  }

  /** Packets in the shared region not yet taken by the consumer. */
  get pending(): number {
    return this.dir === 'tx'
      ? ringDistance(this.ring.availIdx, this.lastAvail)
      : ringDistance(this.ring.usedIdx, this.lastUsed);
  }

  /** The oldest pending packet's descriptor. */
  oldestPendingId(): number {
    return this.dir === 'tx' ? this.ring.availAt(this.lastAvail) : this.ring.usedIdAt(this.lastUsed);
  }

  sampleOccupancy(): void {
    const inRing = this.dir === 'tx' ? ringDistance(this.ring.availIdx, this.lastUsed) : this.pending;
    const s = this.stats;
    s.occupancySum += inRing;
    s.occupancySamples++;
    if (inRing > s.occupancyMax) s.occupancyMax = inRing;
  }

  noteOffer(t: number): void {
    this.stats.offered++;
    if (this.stats.firstOfferNs < 0) this.stats.firstOfferNs = t;
  }

  noteGroup(trigger: Trigger, packets: number): void {
    const s = this.stats;
    s.flushes++;
    s.flushedPackets += packets;
    if (packets > s.maxCluster) s.maxCluster = packets;
    s.triggers[trigger] = (s.triggers[trigger] ?? 0) + 1;
    s.lastGroupPackets = packets;
    s.lastGroupTrigger = trigger;
  }

  snapshot() {
    return {
      ring: this.ring.bytes.slice(),
      buffers: snapshotSlots(this.words, this.num),
      meta: [this.flow, this.seq, this.len].map((a) => a.slice()),
      times: [this.tOffer.slice(), this.tReady.slice()],
      source: this.source.snapshot(),
      checker: this.checker.snapshot(),
      stats: this.stats.snapshot(),
      scalars: [
        this.lastAvail,
        this.lastUsed,
        this.lastSignalled,
        this.consumerFreeNs,
        this.roundPackets,
        this.timerAt,
        this.lastKickPosted,
      ],
      flags: [this.consumerBusy, this.notifyOn],
      roundTrigger: this.roundTrigger,
    };
  }

  restore(s: ReturnType<Side['snapshot']>): void {
    this.ring.bytes.set(s.ring);
    restoreSlots(this.words, s.buffers);
    [this.flow, this.seq, this.len].forEach((a, i) => {
      a.set(s.meta[i]);
    });
    this.tOffer.set(s.times[0]);
    this.tReady.set(s.times[1]);
    this.source.restore(s.source as SourceState);
    this.checker.restore(s.checker);
    this.stats.restore(s.stats);
    [
      this.lastAvail,
      this.lastUsed,
      this.lastSignalled,
      this.consumerFreeNs,
      this.roundPackets,
      this.timerAt,
      this.lastKickPosted,
    ] = s.scalars;
    [this.consumerBusy, this.notifyOn] = s.flags;
    this.roundTrigger = s.roundTrigger;
  }
}

/** Packets the host has handed to the NIC, with a copy of their bytes, until they leave the wire. */
export class NicQueue {
  readonly words: Uint32Array;
  readonly flow: Int32Array;
  readonly seq: Int32Array;
  readonly len: Int32Array;
  readonly tOffer: Float64Array;
  readonly wireEnd: Float64Array;
  readonly groupEnd: Uint8Array;
  head = 0;
  tail = 0;

  constructor(
    readonly cap: number,
    /** Where its frame copies live (cap slots); its own memory if not given. */
    words = new Uint32Array(cap * SLOT_WORDS),
  ) {
    this.words = words;
    this.flow = new Int32Array(cap);
    this.seq = new Int32Array(cap);
    this.len = new Int32Array(cap);
    this.tOffer = new Float64Array(cap);
    this.wireEnd = new Float64Array(cap);
    this.groupEnd = new Uint8Array(cap);
  }

  get size(): number {
    return this.tail - this.head;
  }

  get room(): number {
    return this.cap - this.size;
  }

  snapshot() {
    return {
      buffers: snapshotSlots(this.words, this.cap),
      arrays: [this.flow, this.seq, this.len].map((a) => a.slice()),
      times: [this.tOffer.slice(), this.wireEnd.slice()],
      groupEnd: this.groupEnd.slice(),
      head: this.head,
      tail: this.tail,
    };
  }

  restore(s: ReturnType<NicQueue['snapshot']>): void {
    restoreSlots(this.words, s.buffers);
    [this.flow, this.seq, this.len].forEach((a, i) => {
      a.set(s.arrays[i]);
    });
    this.tOffer.set(s.times[0]);
    this.wireEnd.set(s.times[1]);
    this.groupEnd.set(s.groupEnd);
    this.head = s.head;
    this.tail = s.tail;
  }
}

export { checkPayload, clearSlot, copySlot, copySlotWithin, fillPayload, vringNeedEvent };
export type Nano = Nanos;
