import { ringDistance, vringNeedEvent, vringSize } from '../hw/virtioRing';
import {
  CPU_GUEST,
  CPU_KERNEL,
  CPU_VMM,
  checkPayload,
  clearSlot,
  copySlotWithin,
  fillPayload,
  NicQueue,
  Side,
} from './model';
import { SLOT_WORDS } from './payload';
import type { NetworkConfig, Trigger } from './schema';
import { wireNs } from './traffic';

/** What runs where: the vCPU's CPU, and the host CPU the backend or offload work runs on. */
export const VCPU_CPU = 0;

/** One VM's network: the rings, the CPUs' time, the NIC, and the actions events perform. */
export class NetRun {
  readonly tx: Side | null;
  readonly rx: Side | null;
  readonly nic: NicQueue;
  /** ns per CPU per category (guest, VMM, kernel). */
  readonly cpuNs: Float64Array;
  readonly cpus: number;
  readonly backCpu: number;
  vcpuFreeNs = 0;
  backFreeNs = 0;
  nicFreeNs = 0;
  exits = 0;
  transitions = 0;
  /** The last time the vCPU exited (a kick, an interrupt): a pending cluster may leave with it. */
  lastExitNs = -1;
  readonly ringBytes: number;
  private readonly txAndNic: Uint32Array<ArrayBuffer>;
  private readonly nicBase: number;

  constructor(
    readonly index: number,
    readonly cfg: NetworkConfig,
    readonly vm: string,
    hostCpus: number,
    seed: number,
  ) {
    const dir = cfg.direction;
    const slotWords = cfg.ringSize * SLOT_WORDS;
    // The transmit buffers and the NIC's copies of them in one buffer: the backend's copy is a copyWithin.
    this.txAndNic = new Uint32Array(2 * slotWords);
    this.nicBase = slotWords;
    this.tx = dir === 'rx' ? null : new Side('tx', cfg.ringSize, cfg, seed, vm, this.txAndNic.subarray(0, slotWords));
    this.rx = dir === 'tx' ? null : new Side('rx', cfg.ringSize, cfg, seed, vm);
    if (this.rx) for (let id = 0; id < cfg.ringSize; id++) this.rx.ring.pushAvail(id);
    this.nic = new NicQueue(cfg.ringSize, this.txAndNic.subarray(slotWords));
    this.cpus = Math.min(hostCpus, 2);
    this.backCpu = this.cpus > 1 ? 1 : 0;
    this.cpuNs = new Float64Array(this.cpus * 3);
    this.ringBytes = vringSize(cfg.ringSize) * (this.tx && this.rx ? 2 : 1);
  }

  get sides(): Side[] {
    return [this.tx, this.rx].filter((s): s is Side => s !== null);
  }

  copyNs(bytes: number): number {
    return Math.ceil(bytes / this.cfg.costs.copyGBps);
  }

  /** Charge `ns` on a CPU starting no earlier than `at`; returns when it is done. */
  busy(cpu: number, category: number, at: number, ns: number): number {
    this.cpuNs[cpu * 3 + category] += ns;
    if (cpu === VCPU_CPU) {
      const start = Math.max(at, this.vcpuFreeNs);
      this.vcpuFreeNs = start + ns;
      if (this.backCpu === VCPU_CPU) this.backFreeNs = this.vcpuFreeNs;
      return this.vcpuFreeNs;
    }
    const start = Math.max(at, this.backFreeNs);
    this.backFreeNs = start + ns;
    return this.backFreeNs;
  }

  exit(at: number): number {
    this.exits++;
    this.lastExitNs = at;
    return this.busy(VCPU_CPU, CPU_VMM, at, this.cfg.costs.exitNs);
  }

  // ---- transmit ------------------------------------------------------------------------------

  /** When the guest posts its next packet: offered, and the vCPU free. */
  nextPostNs(): number {
    const tx = this.tx;
    if (!tx) return Number.POSITIVE_INFINITY;
    return Math.max(tx.source.peekTime(0), this.vcpuFreeNs);
  }

  /** Descriptors the guest could still fill before the device returns more. */
  txRoom(): number {
    const tx = this.tx as Side;
    return tx.num - ringDistance(tx.ring.availIdx, tx.ring.usedIdx);
  }

  /** The guest posts every packet due by `now` (writing its bytes into a buffer), or drops it on a full ring. */
  postUpTo(now: number): number {
    const tx = this.tx;
    if (!tx) return 0;
    let posted = 0;
    for (;;) {
      const t = tx.source.peekTime(0);
      const at = Math.max(t, this.vcpuFreeNs);
      if (at > now) break;
      const n = tx.source.taken;
      const len = tx.source.peekSize(0);
      tx.source.take();
      tx.noteOffer(t);
      const flow = tx.source.flowOf(n);
      const seq = tx.source.seqOf(n);
      this.reclaimTx();
      if (ringDistance(tx.ring.availIdx, tx.lastUsed) >= tx.num) {
        tx.stats.droppedRingFull++;
        tx.checker.drop(flow, seq);
        continue;
      }
      const id = tx.ring.availIdx & (tx.num - 1);
      fillPayload(tx.words, id, flow, seq, len);
      tx.flow[id] = flow;
      tx.seq[id] = seq;
      tx.len[id] = len;
      tx.tOffer[id] = t;
      this.busy(VCPU_CPU, CPU_GUEST, at, this.copyNs(len));
      tx.tReady[id] = at;
      tx.ring.pushAvail(id);
      tx.sampleOccupancy();
      posted++;
    }
    return posted;
  }

  /** The driver frees the buffers the device has returned (their bytes cleared). */
  reclaimTx(): void {
    const tx = this.tx as Side;
    const used = tx.ring.usedIdx;
    while (tx.lastUsed !== used) {
      const id = tx.ring.usedIdAt(tx.lastUsed);
      clearSlot(tx.words, id, tx.len[id]);
      tx.lastUsed = (tx.lastUsed + 1) & 0xffff;
    }
  }

  /**
   * Hand `count` pending packets to the host kernel and the NIC as one group. `onVcpu`: the
   * VMM does it in the vCPU's exit; otherwise another CPU, woken for it when `wake`.
   */
  handOffTx(now: number, count: number, trigger: Trigger, onVcpu: boolean, wake: boolean): number {
    const tx = this.tx as Side;
    const nic = this.nic;
    const n = Math.min(count, tx.pending, nic.room);
    if (n === 0) return 0;
    const c = this.cfg.costs;
    const cpu = onVcpu ? VCPU_CPU : this.backCpu;
    let at = now;
    if (wake) at = this.busy(cpu, CPU_KERNEL, at, c.wakeNs);
    at = this.busy(cpu, CPU_KERNEL, at, c.transitionNs);
    this.transitions++;
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const id = tx.ring.availAt(tx.lastAvail);
      tx.lastAvail = (tx.lastAvail + 1) & 0xffff;
      const len = tx.len[id];
      tx.stats.wait.add(Math.max(0, now - tx.tReady[id]));
      const slot = nic.tail % nic.cap;
      copySlotWithin(this.txAndNic, id, this.nicBase + slot * SLOT_WORDS, len);
      nic.flow[slot] = tx.flow[id];
      nic.seq[slot] = tx.seq[id];
      nic.len[slot] = len;
      nic.tOffer[slot] = tx.tOffer[id];
      nic.groupEnd[slot] = 0;
      nic.tail++;
      bytes += len;
      tx.ring.pushUsed(id, len);
    }
    const done = this.busy(cpu, CPU_KERNEL, at, this.copyNs(bytes));
    // The NIC sends the group's frames back to back at its line rate.
    for (let k = nic.tail - n; k < nic.tail; k++) {
      const slot = k % nic.cap;
      const start = Math.max(this.nicFreeNs, done);
      this.nicFreeNs = start + wireNs(nic.len[slot], this.cfg.lineRateGbps);
      nic.wireEnd[slot] = this.nicFreeNs;
    }
    nic.groupEnd[(nic.tail - 1) % nic.cap] = 1;
    tx.noteGroup(trigger, n);
    return n;
  }

  /** When the next group has left the wire. */
  nextWireDoneNs(): number {
    const nic = this.nic;
    for (let k = nic.head; k < nic.tail; k++) if (nic.groupEnd[k % nic.cap]) return nic.wireEnd[k % nic.cap];
    return Number.POSITIVE_INFINITY;
  }

  packetsInNextGroup(): number {
    const nic = this.nic;
    for (let k = nic.head; k < nic.tail; k++) if (nic.groupEnd[k % nic.cap]) return k - nic.head + 1;
    return 0;
  }

  /** The receiver at the far end of the wire checks each frame of the group, byte for byte. */
  deliverTxGroup(): void {
    const tx = this.tx as Side;
    const nic = this.nic;
    while (nic.head < nic.tail) {
      const slot = nic.head % nic.cap;
      const len = nic.len[slot];
      const ok = checkPayload(nic.words, slot, nic.flow[slot], nic.seq[slot], len);
      tx.checker.receive(nic.flow[slot], nic.seq[slot], ok, 'tx');
      tx.stats.latency.add(nic.wireEnd[slot] - nic.tOffer[slot]);
      tx.stats.delivered++;
      tx.stats.bytesDelivered += len;
      tx.stats.lastDeliverNs = nic.wireEnd[slot];
      clearSlot(nic.words, slot, len);
      nic.head++;
      if (nic.groupEnd[slot]) break;
    }
  }

  /** vring_need_event on the avail side: would posting now notify the device? */
  kickNeeded(): boolean {
    const tx = this.tx as Side;
    const nw = tx.ring.availIdx;
    const need = vringNeedEvent(tx.ring.availEvent, nw, tx.lastKickPosted);
    tx.lastKickPosted = nw;
    return need;
  }

  // ---- receive -------------------------------------------------------------------------------

  /** Empty buffers the guest has posted that the host has not filled yet. */
  rxRoom(): number {
    const rx = this.rx as Side;
    return ringDistance(rx.ring.availIdx, rx.lastAvail);
  }

  /** Frames that reached the NIC by `now` go into the guest's posted buffers, or are dropped. */
  arriveUpTo(now: number): void {
    const rx = this.rx;
    if (!rx) return;
    let bytes = 0;
    let last = now;
    while (rx.source.peekTime(0) <= now) {
      const t = rx.source.peekTime(0);
      const n = rx.source.taken;
      const len = rx.source.peekSize(0);
      rx.source.take();
      rx.noteOffer(t);
      const flow = rx.source.flowOf(n);
      const seq = rx.source.seqOf(n);
      if (this.rxRoom() === 0) {
        rx.stats.droppedRingFull++;
        rx.checker.drop(flow, seq);
        continue;
      }
      const id = rx.ring.availAt(rx.lastAvail);
      rx.lastAvail = (rx.lastAvail + 1) & 0xffff;
      fillPayload(rx.words, id, flow, seq, len);
      rx.flow[id] = flow;
      rx.seq[id] = seq;
      rx.len[id] = len;
      rx.tOffer[id] = t;
      rx.tReady[id] = t;
      rx.ring.pushUsed(id, len);
      rx.sampleOccupancy();
      bytes += len;
      last = t;
    }
    // The host kernel's copy into guest buffers runs on the backend CPU.
    if (bytes) this.cpuNs[this.backCpu * 3 + CPU_KERNEL] += this.copyNs(bytes);
    void last;
  }

  /** The guest takes up to `count` packets from the used ring, checks them and posts the buffers again. */
  consumeRx(now: number, count: number): void {
    const rx = this.rx as Side;
    for (let i = 0; i < count && rx.lastUsed !== rx.ring.usedIdx; i++) {
      const id = rx.ring.usedIdAt(rx.lastUsed);
      const len = rx.ring.usedLenAt(rx.lastUsed);
      rx.lastUsed = (rx.lastUsed + 1) & 0xffff;
      const ok = len === rx.len[id] && checkPayload(rx.words, id, rx.flow[id], rx.seq[id], len);
      rx.checker.receive(rx.flow[id], rx.seq[id], ok, 'rx');
      rx.stats.latency.add(now - rx.tOffer[id]);
      rx.stats.delivered++;
      rx.stats.bytesDelivered += len;
      rx.stats.lastDeliverNs = now;
      clearSlot(rx.words, id, len);
      rx.ring.pushAvail(id);
    }
  }

  /** Bytes of the next `count` pending receive packets (the guest's copy out of them). */
  pendingRxBytes(count: number): number {
    const rx = this.rx as Side;
    let bytes = 0;
    let pos = rx.lastUsed;
    for (let i = 0; i < count && pos !== rx.ring.usedIdx; i++) {
      bytes += rx.ring.usedLenAt(pos);
      pos = (pos + 1) & 0xffff;
    }
    return bytes;
  }

  /** Record how long each of the next `count` pending receive packets waited in the region. */
  noteRxWait(now: number, count: number): void {
    const rx = this.rx as Side;
    let pos = rx.lastUsed;
    for (let i = 0; i < count && pos !== rx.ring.usedIdx; i++) {
      rx.stats.wait.add(Math.max(0, now - rx.tReady[rx.ring.usedIdAt(pos)]));
      pos = (pos + 1) & 0xffff;
    }
  }

  /** Everything offered has been delivered or dropped, and no source has more. */
  isDone(): boolean {
    for (const s of this.sides) {
      if (s.source.peekTime(0) !== Number.POSITIVE_INFINITY) return false;
      if (s.stats.delivered + s.stats.droppedRingFull < s.stats.offered) return false;
    }
    return true;
  }

  snapshot() {
    return {
      tx: this.tx?.snapshot(),
      rx: this.rx?.snapshot(),
      nic: this.nic.snapshot(),
      cpuNs: this.cpuNs.slice(),
      scalars: [this.vcpuFreeNs, this.backFreeNs, this.nicFreeNs, this.exits, this.transitions, this.lastExitNs],
    };
  }

  restore(s: ReturnType<NetRun['snapshot']>): void {
    if (this.tx && s.tx) this.tx.restore(s.tx);
    if (this.rx && s.rx) this.rx.restore(s.rx);
    this.nic.restore(s.nic);
    this.cpuNs.set(s.cpuNs);
    [this.vcpuFreeNs, this.backFreeNs, this.nicFreeNs, this.exits, this.transitions, this.lastExitNs] = s.scalars;
  }
}
