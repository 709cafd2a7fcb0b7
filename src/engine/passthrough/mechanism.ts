import { PAGE_SIZE, PAGE_WORDS } from '../hw/guestMemory';
import { type AccessSize, barOffset, decodeBar, hex, PCI_MSIX_FLAGS, readConfig } from '../hw/pciConfig';
import type { SimEvent } from '../kernel/eventQueue';
import type { Simulation } from '../kernel/simulation';
import { sectionOf } from '../scenario/fields';
import type { VirtualMachine } from '../world/virtualMachine';
import type { Mechanism, World } from '../world/world';
import { msixCapOffset, msixEnabled } from './access';
import { DeviceRun, type DeviceSnapshot, LATENCY_BUCKET_NS, LATENCY_BUCKETS } from './model';
import { runProbe } from './probe';
import type { DeviceConfig } from './schema';
import { STRATEGIES, STRATEGY_LABELS } from './strategies';
import { programHostMsix } from './strategies/passthrough';
import { expectedGuestRead, illegalPhysicalChange, verificationFailure } from './verify';

/** Without a scenario duration, each VM's workload stops after this many I/O operations. */
export const IO_OPS_WITHOUT_DURATION = 400;
/** DMA buffers in the guest's ring (assumption: a small RX/TX ring). */
const RING_SLOTS = 32;

/** All devices of a scenario: the probe, the I/O, hot-unplug and re-attach around migrations. */
export class PassthroughMechanism implements Mechanism {
  readonly name = 'passthrough';
  readonly runs: DeviceRun[];
  readonly sim: Simulation;
  /** Event index of each executed probe step, per device (-1: not yet), for the details panel. */
  readonly probeAt: Int32Array[];
  private readonly payload = new Uint32Array(65_536 / 4);

  constructor(readonly world: World) {
    this.sim = world.sim;
    const perHost = new Map<string, number>();
    const hostIndex = (id: string) => world.scenario.hosts.findIndex((h) => h.id === id);
    this.runs = sectionOf<DeviceConfig>(world.scenario, 'devices').map((config, i) => {
      const k = perHost.get(config.host) ?? 0;
      perHost.set(config.host, k + 1);
      // Each host lays its devices out its own way: the same model sits at other addresses on another host.
      const slot = (3 * hostIndex(config.host) + k) % 7;
      const run = new DeviceRun(i, config, slot);
      if (config.vm) {
        // Plan the guest driver's probe against a scratch copy: every value it reads decides its next step.
        const scratch = new DeviceRun(i, config, slot);
        run.probe = runProbe(STRATEGIES[config.strategy].port(scratch));
      }
      return run;
    });
    this.probeAt = this.runs.map((r) => new Int32Array(r.probe.steps.length).fill(-1));
    this.installEvents();
    world.addMechanism(this);
  }

  start(): void {
    for (const run of this.runs) {
      if (!run.config.vm) continue;
      run.s.stage = 'probe';
      run.s.active = true;
      this.sim.enterPhase(this.subject(run), 'probe');
      this.sim.narrate(
        'passthrough.probe',
        this.subject(run),
        `${run.s.vm}'s driver probes ${run.id} (${run.model.name}, ${hex(run.model.vendor, 4)}:${hex(run.model.device, 4)}) given to it as ${STRATEGY_LABELS[run.config.strategy]}${
          run.config.strategy === 'passthrough' ? ` (${run.config.trap ? 'trap' : 'non-trap'} mode)` : ''
        }: ${run.probe.steps.length} accesses.`,
        'phase',
      );
      this.scheduleStep(run, 0);
    }
  }

  isDone(): boolean {
    return this.runs.every((r) => !r.s.active || r.s.stage === 'done');
  }

  snapshot(): { runs: DeviceSnapshot[]; probeAt: Int32Array[] } {
    return { runs: this.runs.map((r) => r.snapshot()), probeAt: this.probeAt.map((a) => a.slice()) };
  }

  restore(state: unknown): void {
    const s = state as { runs: DeviceSnapshot[]; probeAt: Int32Array[] };
    for (const [i, snap] of s.runs.entries()) this.runs[i].restore(snap);
    for (const [i, a] of s.probeAt.entries()) this.probeAt[i].set(a);
  }

  subject(run: DeviceRun): string {
    return `device:${run.id}`;
  }

  // ---- migration ------------------------------------------------------------------------------

  beforeMigration(vmId: string, config: Readonly<Record<string, unknown>>): { refuse?: string } | undefined {
    const blocking = this.runs.filter(
      (r) => r.s.vm === vmId && r.s.active && !r.s.fallback && r.config.strategy !== 'emulated',
    );
    if (blocking.length === 0) return undefined;
    if (config.passthrough === 'detach') {
      for (const run of blocking) this.detach(run);
      return undefined;
    }
    const names = blocking.map((r) => `${r.id} (${r.model.name})`).join(', ');
    return {
      refuse: `VFIO device ${names} doesn't support migration: the device's internal state is opaque to the hypervisor, its DMA writes bypass the dirty log so pages it changes would not be resent, and the VM's memory is pinned for it (set passthrough: detach to hot-unplug it first)`,
    };
  }

  afterMigration(vmId: string, status: string, host: string): void {
    for (const run of this.runs) {
      if (run.s.vm !== vmId || !run.s.fallback || !run.s.active) continue;
      const spare =
        status === 'completed'
          ? this.runs.find((r) => r.config.host === host && r.model.id === run.model.id && r.s.vm === '' && !r.s.active)
          : run;
      if (!spare) {
        this.sim.narrate(
          'passthrough.attach',
          this.subject(run),
          `No free ${run.model.id} on ${host}: ${vmId} keeps the emulated fallback there.`,
          'warn',
        );
        continue;
      }
      this.sim.schedule(0, { type: 'pt.attach', dev: spare.index, from: run.index });
    }
  }

  private detach(run: DeviceRun): void {
    run.s.fallback = true;
    run.s.stage = 'detached';
    this.openSegment(run, 'emulated fallback');
    this.sim.schedule(0, { type: 'pt.detach', dev: run.index });
    this.sim.enterPhase(this.subject(run), 'emulated fallback');
    this.sim.narrate(
      'passthrough.detach',
      this.subject(run),
      `${run.id} is hot-unplugged from ${run.s.vm} for the migration; the guest's I/O falls back to an emulated ${run.model.id} (${run.model.mmioPerOp + 1} exits per operation).`,
      'warn',
    );
  }

  /** A spare of the same model takes over: its virtual config is restored from the old copy. */
  private attach(spare: DeviceRun, from: DeviceRun): void {
    const vmId = from.s.vm;
    if (spare !== from) {
      restoreVirtualConfig(spare, from);
      from.s.active = false;
      from.s.vm = '';
      from.s.stage = 'done';
      this.sim.closePhase(this.subject(from));
      spare.s.vm = vmId;
      spare.s.active = true;
      spare.s.restoredFrom = from.id;
      spare.s.ioStartNs = this.sim.now;
      spare.s.busyUntilNs = this.sim.now;
    }
    spare.s.fallback = false;
    spare.s.stage = 'io';
    this.openSegment(spare, spare === from ? 'passthrough again' : `passthrough (restored from ${from.id})`);
    this.sim.enterPhase(this.subject(spare), 'I/O');
    const bars = spare.probe.bars.length ? spare.probe.bars : from.probe.bars;
    this.sim.narrate(
      'passthrough.attach',
      this.subject(spare),
      spare === from
        ? `${from.id} is plugged back into ${vmId}, which stays on ${from.config.host}.`
        : `${spare.id} on ${spare.config.host} is attached to ${vmId} with the virtual config space restored from ${from.id}'s copy: the guest sees the same BARs (${bars
            .map((b) => `BAR${b.index} ${hex(readConfig(spare.vconfig, barOffset(b.index), 4) & ~0xf, 8)}`)
            .join(
              ', ',
            )}) though the hardware sits at ${bars.map((b) => hex(decodeBar(spare.phys.cfg, b.index).address, 8)).join(', ')} on this host.`,
      'phase',
    );
    if (spare !== from) this.scheduleIo(spare, 0);
  }

  // ---- events ---------------------------------------------------------------------------------

  private installEvents(): void {
    const sim = this.sim;
    sim.on('config.read', (e) => this.executeStep(this.runs[e.dev as number], e.step as number, e));
    sim.on('config.write', (e) => this.executeStep(this.runs[e.dev as number], e.step as number, e));
    sim.on('pt.mmio', (e) => this.executeStep(this.runs[e.dev as number], e.step as number, e));
    sim.on('pt.io', (e) => this.io(this.runs[e.dev as number], e.op as number));
    sim.on('dma.blocked', () => {});
    sim.on('pt.detach', () => {});
    sim.on('pt.attach', (e) => this.attach(this.runs[e.dev as number], this.runs[e.from as number]));
  }

  private scheduleStep(run: DeviceRun, k: number): void {
    const step = run.probe.steps[k];
    const delay = k === 0 ? 0 : this.stepCost(run, run.probe.steps[k - 1].kind);
    if (step.kind === 'mmio') {
      this.sim.schedule(delay, {
        type: 'pt.mmio',
        dev: run.index,
        step: k,
        bar: step.bar,
        offset: step.offset,
        value: step.value,
        trapped: run.config.strategy !== 'direct-unsafe',
      });
      return;
    }
    const path = step.kind === 'write' ? step.path : this.readPath(run, step.offset, step.size);
    this.sim.schedule(delay, {
      type: step.kind === 'read' ? 'config.read' : 'config.write',
      dev: run.index,
      step: k,
      offset: step.offset,
      size: step.size,
      value: step.value,
      path,
    });
  }

  /** A config access costs two user-space exits (0xCF8 then 0xCFC); an MSI-X table write, one unless direct. */
  private stepCost(run: DeviceRun, kind: 'read' | 'write' | 'mmio'): number {
    const c = run.config.costs;
    if (kind !== 'mmio') return c.configAccessNs;
    return run.config.strategy === 'direct-unsafe' ? 100 : c.userExitNs;
  }

  readPath(run: DeviceRun, offset: number, size: number): string {
    if (run.config.strategy === 'emulated') return 'emulated';
    if (run.config.strategy === 'direct-unsafe') return 'hardware';
    const virt = readConfig(run.policy.virt, offset, size as AccessSize);
    return virt === 0 ? 'hardware' : 'virtual';
  }

  private executeStep(run: DeviceRun, k: number, e: SimEvent): void {
    const step = run.probe.steps[k];
    const port = STRATEGIES[run.config.strategy].port(run);
    const s = run.s;
    this.probeAt[run.index][k] = this.sim.eventIndex - 1;
    const size = step.size as AccessSize;
    if (step.kind === 'read') {
      const value = port.read(step.offset, size);
      s.configReads++;
      s.vmExits += 2;
      if (value !== expectedGuestRead(run, step.offset, size) || value !== step.value) s.readMismatches++;
    } else if (step.kind === 'write') {
      const before = run.phys.cfg.slice();
      const msixAt = msixCapOffset(run.policy);
      const wasEnabled = msixEnabled(run.vconfig, msixAt);
      const out = port.write(step.offset, size, step.value);
      s.configWrites++;
      s.vmExits += 2;
      if (out.path === 'virtual') s.writesToVirtual++;
      else if (out.path === 'hardware') s.writesToHardware++;
      else if (out.path === 'dropped') s.writesDropped++;
      const hostBits = new Uint8Array(before.length);
      if (run.config.strategy === 'passthrough' && msixAt && !wasEnabled && msixEnabled(run.vconfig, msixAt))
        hostBits[msixAt + PCI_MSIX_FLAGS + 1] = 0x80;
      s.illegalPhysicalChanges += illegalPhysicalChange(run, before, step.offset, size, hostBits);
      if (run.config.strategy === 'direct-unsafe') this.checkHostBars(run, step.offset);
      if (out.path === 'dropped') {
        this.sim.narrate(
          'passthrough.dropped',
          this.subject(run),
          `Write of ${hex(step.value, size * 2)} to ${hex(step.offset, 3)} dropped: no writable bits there (${step.note}).`,
        );
      }
    } else {
      port.mmioWrite(step.bar, step.offset, step.value);
      if (run.config.strategy !== 'direct-unsafe') {
        s.mmioTrapped++;
        s.vmExits++;
      }
    }
    s.last = {
      kind: step.kind,
      offset: step.offset,
      size: step.size,
      value: step.value,
      path: (e.path as string | undefined) ?? (e.trapped ? 'trapped' : 'hardware'),
      note: step.note,
      step: k,
    };
    s.probeStep = k + 1;
    if (s.probeStep < run.probe.steps.length) this.scheduleStep(run, s.probeStep);
    else this.probeDone(run);
  }

  /** Direct-unsafe: a guest write that moved one of the host's BARs away from where the host put it. */
  private checkHostBars(run: DeviceRun, offset: number): void {
    for (const bar of run.model.bars) {
      const at = barOffset(bar.index);
      if (offset < at || offset >= at + (bar.kind === 'mem64' ? 8 : 4)) continue;
      const now = decodeBar(run.phys.cfg, bar.index).address;
      const host = run.phys.hostBars[bar.index];
      const sizing = (readConfig(run.phys.cfg, at, 4) | 0xf) >>> 0 === ((~(bar.size - 1) >>> 0) | 0xf) >>> 0;
      if (now !== host && !sizing && !(run.s.movedBarMask & (1 << bar.index))) {
        run.s.movedBarMask |= 1 << bar.index;
        run.s.hostBarsMoved++;
        this.sim.narrate(
          'passthrough.unsafe',
          this.subject(run),
          `The guest wrote its own address into the host's BAR${bar.index}: the physical device moved from ${hex(host, 8)} to ${hex(now, 8)}; the host's driver and every other mapping of it now point at nothing.`,
          'warn',
        );
      }
    }
  }

  private probeDone(run: DeviceRun): void {
    const s = run.s;
    s.stage = 'io';
    s.ioStartNs = this.sim.now;
    s.busyUntilNs = this.sim.now;
    this.openSegment(
      run,
      STRATEGY_LABELS[run.config.strategy] +
        (run.config.strategy === 'passthrough' ? (run.config.trap ? ', trap' : ', non-trap') : ''),
    );
    this.sim.enterPhase(this.subject(run), 'I/O');
    this.sim.narrate(
      'passthrough.io',
      this.subject(run),
      `Probe done: ${run.probe.bars.length} BARs sized and programmed (${run.probe.bars.map((b) => `BAR${b.index} ${formatSize(b.size)}`).join(', ')}), ${run.probe.capabilities.length} capabilities found, MSI-X with ${run.probe.msixVectors} vectors. I/O starts at ${run.config.io.opsPerSec.toLocaleString('en-US')} operations per second.`,
      'phase',
    );
    this.scheduleIo(run, 0);
  }

  private scheduleIo(run: DeviceRun, op: number): void {
    const interval = Math.max(1, Math.round(1e9 / run.config.io.opsPerSec));
    this.sim.schedule(op === 0 ? 0 : interval, { type: 'pt.io', dev: run.index, op });
  }

  private io(run: DeviceRun, op: number): void {
    const s = run.s;
    if (!s.active) return;
    const vm = this.world.vm(s.vm);
    if (vm.state === 'running') this.doIo(run, vm, op);
    if (this.world.scenario.durationMs !== undefined || op + 1 < IO_OPS_WITHOUT_DURATION) this.scheduleIo(run, op + 1);
    else {
      s.stage = 'done';
      this.sim.closePhase(this.subject(run));
      this.world.checkDone();
    }
  }

  private doIo(run: DeviceRun, vm: VirtualMachine, op: number): void {
    const s = run.s;
    const now = this.sim.now;
    const bytes = run.config.io.bytesPerOp;
    const strategy = STRATEGIES[run.strategy];
    const cost = strategy.ioCost(run, bytes);
    vm.advance(now);
    const route = s.fallback ? 'copy' : strategy.dmaRoute(run.config);
    const gpa = bufferGpa(vm, op, bytes);
    const words = bytes / 4;
    fillPayload(this.payload, run.index, op, words);
    const data = this.payload.subarray(0, words);
    if (route === 'blocked') {
      s.iommuBlocked++;
      this.sim.schedule(0, { type: 'dma.blocked', dev: run.index, op, iova: gpa, bytes });
      if (s.iommuBlocked === 1) {
        this.sim.narrate(
          'passthrough.blocked',
          this.subject(run),
          `The IOMMU blocked ${run.id}'s DMA to ${hex(gpa, 8)}: no domain maps ${vm.id}'s memory for a device handed over raw (every such DMA is blocked and counted).`,
          'warn',
        );
      }
    } else if (route === 'raw') {
      this.rawDma(run, vm, gpa, data);
    } else {
      writeGuest(vm, gpa, data);
      if (!sameBytes(vm.memory.words, gpa / 4, data)) s.dmaMismatches++;
      s.dmaBytes += bytes;
    }
    if (route !== 'blocked') s.interrupts++;
    const start = Math.max(now, s.busyUntilNs);
    const done = start + cost.serviceNs;
    s.busyUntilNs = done;
    const latency = done - now;
    s.ios++;
    s.ioExits += cost.exits;
    s.vmExits += cost.exits;
    s.mmioTrapped += cost.mmioTrapped;
    s.latencySumNs += latency;
    run.latency[Math.min(LATENCY_BUCKETS - 1, Math.floor(latency / LATENCY_BUCKET_NS))]++;
    const seg = s.segments[s.segments.length - 1];
    if (seg) {
      seg.ios++;
      seg.exits += cost.exits;
      seg.latencyNs += latency;
    }
  }

  /** No IOMMU translation: the guest-physical address is taken as a host-physical one. */
  private rawDma(run: DeviceRun, vm: VirtualMachine, gpa: number, data: Uint32Array): void {
    const s = run.s;
    let base = 0;
    for (const other of this.world.vms.values()) {
      if (other.host !== vm.host) continue;
      const size = other.memory.byteLength;
      if (gpa >= base && gpa + data.length * 4 <= base + size) {
        const offset = gpa - base;
        for (let w = 0; w < data.length; ) {
          const at = offset / 4 + w;
          const page = Math.floor(at / PAGE_WORDS);
          const n = Math.min(data.length - w, (page + 1) * PAGE_WORDS - at);
          other.memory.mirrorWrite(page, at - page * PAGE_WORDS, data.subarray(w, w + n));
          w += n;
        }
        s.dmaBytes += data.length * 4;
        if (other !== vm || base !== 0) {
          if (s.strayDmaBytes === 0) {
            this.sim.narrate(
              'passthrough.stray',
              this.subject(run),
              `No IOMMU: ${run.id} wrote ${data.length * 4} bytes to host-physical ${hex(gpa, 8)}, which is ${other === vm ? `${vm.id}'s own memory at the wrong offset` : `inside ${other.id}'s memory`}: ${other.id}'s bytes are overwritten.`,
              'warn',
            );
          }
          s.strayDmaBytes += data.length * 4;
          s.strayTarget = other === vm ? `${vm.id} at the wrong offset` : `${other.id}'s memory`;
        }
        return;
      }
      base += size;
    }
    s.strayDmaBytes += data.length * 4;
    s.strayTarget = `host memory outside every VM (${hex(gpa, 8)})`;
  }

  private openSegment(run: DeviceRun, label: string): void {
    run.s.segments.push({
      label,
      strategy: run.strategy,
      trap: run.config.trap,
      startNs: this.sim.now,
      ios: 0,
      exits: 0,
      latencyNs: 0,
    });
  }

  /** Why the device's run is not verified ('' when it is). */
  failure(run: DeviceRun): string {
    return verificationFailure(run);
  }
}

/** The guest's DMA buffer for operation `op`: a ring a quarter of the way into its memory. */
export function bufferGpa(vm: VirtualMachine, op: number, bytes: number): number {
  const pages = vm.memory.pages;
  const perBuffer = Math.ceil(bytes / PAGE_SIZE);
  const start = Math.floor(pages / 4);
  const slots = Math.max(1, Math.min(RING_SLOTS, Math.floor((pages - start) / perBuffer)));
  return (start + (op % slots) * perBuffer) * PAGE_SIZE;
}

/** What the device writes for an operation: a deterministic pattern per device and operation. */
function fillPayload(out: Uint32Array, dev: number, op: number, words: number): void {
  let x = (Math.imul(dev + 1, 0x9e3779b1) ^ Math.imul(op + 1, 0x85ebca6b)) >>> 0;
  for (let i = 0; i < words; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x >>> 0;
  }
}

/** Write guest memory page by page through the VM's sink (wherever the VM's memory now is). */
function writeGuest(vm: VirtualMachine, gpa: number, data: Uint32Array): void {
  let w = 0;
  while (w < data.length) {
    const at = gpa / 4 + w;
    const page = Math.floor(at / PAGE_WORDS);
    const n = Math.min(data.length - w, (page + 1) * PAGE_WORDS - at);
    vm.memSink.touch(page, at - page * PAGE_WORDS, data.subarray(w, w + n));
    w += n;
  }
}

function sameBytes(words: Uint32Array, at: number, data: Uint32Array): boolean {
  for (let i = 0; i < data.length; i++) if (words[at + i] !== data[i]) return false;
  return true;
}

/**
 * Attach on another host: the new device's copy is made from its own hardware, then every
 * virtualized byte is restored from the old copy and the guest-writable hardware bits are
 * replayed; the host programs its own MSI-X entries. (Our reading, not the patent's claim.)
 */
export function restoreVirtualConfig(to: DeviceRun, from: DeviceRun): void {
  const p = to.policy;
  for (let i = 0; i < to.vconfig.length; i++) {
    const virt = p.virt[i];
    to.vconfig[i] = (to.vconfig[i] & ~virt) | (from.vconfig[i] & virt);
    const hwBits = p.write[i] & ~virt & to.phys.hwMask[i];
    if (hwBits && i < 0x40) to.phys.cfg[i] = (to.phys.cfg[i] & ~hwBits) | (from.phys.cfg[i] & hwBits);
  }
  to.vtable.set(from.vtable);
  const msixAt = msixCapOffset(to.policy);
  if (msixEnabled(to.vconfig, msixAt)) programHostMsix(to);
  to.probe = from.probe;
}

function formatSize(bytes: number): string {
  if (bytes >= 1 << 20) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1024) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}
