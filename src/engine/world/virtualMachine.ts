import { GuestMemory, type MemoryKeeper, type MemorySnapshot, PAGE_SIZE } from '../hw/guestMemory';
import type { Nanos } from '../kernel/clock';
import { MiB } from '../kernel/clock';
import { Prng } from '../kernel/prng';
import type { VmConfig } from '../scenario/fields';
import { MemoryWriter, type PageSink, type WriterState } from '../workloads/memoryWriter';
import { LocalSink } from './sinks';

export type VmRunState = 'running' | 'paused' | 'stalled';

export interface VmSnapshot {
  host: string;
  state: VmRunState;
  throttlePct: number;
  ticking: boolean;
  memory: MemorySnapshot;
  disk: MemorySnapshot | null;
  writer: WriterState;
  diskWriter: WriterState | null;
  lastWriteAt: Int32Array;
}

/**
 * A VM: its guest memory (on the host it started on), an optional local virtual disk,
 * and the workload that writes both. Where writes land is the `memSink`/`diskSink`, which
 * a mechanism moving the VM swaps (to the destination, or to catch write-protect faults).
 */
export class VirtualMachine {
  readonly memory: GuestMemory;
  readonly disk: GuestMemory | null;
  readonly writer: MemoryWriter;
  readonly diskWriter: MemoryWriter | null;
  host: string;
  state: VmRunState = 'running';
  /** Auto-converge's vCPU throttle, in percent: the guest runs (100 − this)% of the time. */
  throttlePct = 0;
  /** A tick event is scheduled for this VM. */
  ticking = false;
  memSink: PageSink;
  diskSink: PageSink | null;
  /** For the details panel: the event during which the guest last wrote each page (-1: not yet). */
  readonly lastWriteAt: Int32Array;
  /** The simulation's position, read when stamping `lastWriteAt`. */
  clock: { readonly eventIndex: number } = { eventIndex: 0 };
  /** Passes writes to `memSink` and stamps the pages that took them. */
  private readonly stampingSink: PageSink = {
    touch: (page, wordOffset, data) => {
      const written = this.memSink.touch(page, wordOffset, data);
      if (written) this.lastWriteAt[page] = this.clock.eventIndex;
      return written;
    },
  };

  constructor(
    readonly config: VmConfig,
    readonly seed: number,
  ) {
    this.host = config.host;
    this.memory = new GuestMemory((config.memoryMiB * MiB) / PAGE_SIZE);
    this.memory.fillFromSeed(config.memoryFill, Prng.stream(seed, `vm:${config.id}/fill`));
    this.writer = new MemoryWriter(config.workload, this.memory.pages, Prng.stream(seed, `vm:${config.id}/workload`));
    this.memSink = new LocalSink(this.memory);
    this.lastWriteAt = new Int32Array(this.memory.pages).fill(-1);
    if (config.diskMiB > 0) {
      this.disk = new GuestMemory((config.diskMiB * MiB) / PAGE_SIZE);
      this.disk.fillFromSeed(1, Prng.stream(seed, `vm:${config.id}/disk-fill`));
      const diskWorkload = {
        ...config.workload,
        kind: 'uniform' as const,
        dirtyMiBps: config.diskWriteMiBps,
        workingSetFraction: 1,
      };
      this.diskWriter = new MemoryWriter(
        diskWorkload,
        this.disk.pages,
        Prng.stream(seed, `vm:${config.id}/disk-writes`),
      );
      this.diskSink = new LocalSink(this.disk);
    } else {
      this.disk = null;
      this.diskWriter = null;
      this.diskSink = null;
    }
  }

  get id(): string {
    return this.config.id;
  }

  /** Run the guest's writes due up to `now`. Returns false if the vCPU stalled on a page. */
  advance(now: Nanos): boolean {
    if (this.state !== 'running') {
      this.writer.skipTo(now);
      this.diskWriter?.skipTo(now);
      return false;
    }
    const factor = 1 - this.throttlePct / 100;
    if (this.disk && this.diskWriter && this.diskSink) this.diskWriter.advance(now, factor, this.diskSink);
    return this.writer.advance(now, factor, this.stampingSink);
  }

  /** Stop the vCPUs (writes due so far are done first). */
  pause(now: Nanos): void {
    this.advance(now);
    this.state = 'paused';
  }

  resume(now: Nanos): void {
    this.writer.skipTo(now);
    this.diskWriter?.skipTo(now);
    this.state = 'running';
  }

  snapshot(keeper?: MemoryKeeper): VmSnapshot {
    return {
      host: this.host,
      state: this.state,
      throttlePct: this.throttlePct,
      ticking: this.ticking,
      memory: this.memory.snapshot(keeper),
      disk: this.disk ? this.disk.snapshot(keeper) : null,
      writer: this.writer.snapshot(),
      diskWriter: this.diskWriter ? this.diskWriter.snapshot() : null,
      lastWriteAt: this.lastWriteAt.slice(),
    };
  }

  restore(s: VmSnapshot, keeper?: MemoryKeeper): void {
    this.host = s.host;
    this.state = s.state;
    this.throttlePct = s.throttlePct;
    this.ticking = s.ticking;
    this.memory.restore(s.memory, keeper);
    if (this.disk && s.disk) this.disk.restore(s.disk, keeper);
    this.writer.restore(s.writer);
    if (this.diskWriter && s.diskWriter) this.diskWriter.restore(s.diskWriter);
    this.lastWriteAt.set(s.lastWriteAt);
  }
}
