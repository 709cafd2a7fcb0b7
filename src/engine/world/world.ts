import type { MemoryKeeper } from '../hw/guestMemory';
import { Host } from '../hw/host';
import { Link } from '../hw/link';
import { msToNs, type Nanos, NS_PER_MS } from '../kernel/clock';
import type { SimEvent } from '../kernel/eventQueue';
import type { Component } from '../kernel/simulation';
import { Simulation } from '../kernel/simulation';
import type { WorldScenario } from '../scenario/fields';
import { VirtualMachine, type VmSnapshot } from './virtualMachine';

/** How often a running VM's workload is advanced when nothing else looks at it. */
export const VM_TICK_NS: Nanos = 5 * NS_PER_MS;

/** A mechanism (migration, checkpointing, ...) living in the world. */
export interface Mechanism extends Component {
  /** Schedule what the scenario fixes in advance (called once every mechanism is installed). */
  start?(): void;
  /** Nothing left to do: the run may end. */
  isDone(): boolean;
  onLinkDown?(link: Link): void;
  /** A host failed (`hosts[].failAtMs`): its VMs have stopped. */
  onHostFail?(host: Host): void;
  /** A migration of `vmId` is about to start: refuse it (why, naming what blocks it), or get ready (detach). */
  beforeMigration?(vmId: string, config: Readonly<Record<string, unknown>>): { refuse?: string } | undefined;
  /** A migration of `vmId` ended (`status`); the VM runs on `host` (re-attach what was detached). */
  afterMigration?(vmId: string, status: string, host: string): void;
  /** Hand large buffers back for reuse; the run is over. */
  dispose?(): void;
}

/** Hosts, links and VMs built from a scenario, on one simulation. */
export class World {
  readonly sim: Simulation;
  readonly hosts = new Map<string, Host>();
  readonly links: Link[] = [];
  readonly vms = new Map<string, VirtualMachine>();
  /** Hosts that failed (a world fault, like a link going down). */
  readonly hostsDown = new Set<string>();
  private readonly mechanisms: Mechanism[] = [];

  constructor(readonly scenario: WorldScenario) {
    this.sim = new Simulation(scenario.maxEvents);
    for (const h of scenario.hosts) this.hosts.set(h.id, new Host(h.id, h.cpus));
    scenario.links.forEach((l, i) => {
      this.links.push(new Link(`link${i}`, l.a, l.b, l.bandwidthMiBps, l.latencyUs));
    });
    for (const config of scenario.vms) {
      const vm = new VirtualMachine(config, scenario.seed);
      vm.clock = this.sim;
      this.vms.set(vm.id, vm);
    }
    this.sim.register(this.stateComponent());
    this.installEvents();
  }

  addMechanism(mechanism: Mechanism): void {
    this.mechanisms.push(mechanism);
    this.sim.register(mechanism);
  }

  linkBetween(a: string, b: string): Link {
    const link = this.links.find((l) => l.connects(a, b));
    if (!link) throw new Error(`no link between ${a} and ${b}`);
    return link;
  }

  /** Ask every mechanism whether a VM may migrate now: the first refusal, or undefined. */
  migrationRefusal(vmId: string, config: Readonly<Record<string, unknown>>): string | undefined {
    for (const m of this.mechanisms) {
      const refusal = m.beforeMigration?.(vmId, config)?.refuse;
      if (refusal) return refusal;
    }
    return undefined;
  }

  /** Tell every mechanism a VM's migration ended and where the VM runs now. */
  migrationEnded(vmId: string, status: string, host: string): void {
    for (const m of this.mechanisms) m.afterMigration?.(vmId, status, host);
  }

  vm(id: string): VirtualMachine {
    const vm = this.vms.get(id);
    if (!vm) throw new Error(`no VM ${id}`);
    return vm;
  }

  /** What a world event (a VM tick, a link going down, the end of the run) concerns. */
  subjectOf(event: SimEvent): string {
    if (typeof event.vm === 'string') return event.vm;
    if (typeof event.host === 'string') return event.host;
    if (typeof event.link === 'number') return this.links[event.link]?.id ?? '';
    return 'run';
  }

  /** End the run once every mechanism is done, unless the scenario runs for a fixed time. */
  checkDone(): void {
    if (this.scenario.durationMs === undefined && this.mechanisms.every((m) => m.isDone())) {
      this.sim.narrate('run.end', 'run', 'Every mechanism has finished: the run is over.', 'done');
      this.sim.finish('all mechanisms finished');
    }
  }

  /** Start a VM's periodic tick if it is not already ticking. */
  startTicking(vm: VirtualMachine): void {
    if (vm.ticking || vm.state !== 'running') return;
    vm.ticking = true;
    this.sim.schedule(VM_TICK_NS, { type: 'vm.tick', vm: vm.id });
  }

  private installEvents(): void {
    const sim = this.sim;
    sim.on('vm.tick', (e) => {
      const vm = this.vm(e.vm as string);
      vm.ticking = false;
      vm.advance(sim.now);
      this.startTicking(vm);
    });
    sim.on('link.down', (e) => {
      const link = this.links[e.link as number];
      link.up = false;
      sim.narrate('link.down', link.id, `The link between ${link.a} and ${link.b} went down.`, 'warn');
      for (const m of this.mechanisms) m.onLinkDown?.(link);
    });
    sim.on('host.fail', (e) => {
      const host = this.hosts.get(e.host as string);
      if (!host || this.hostsDown.has(host.id)) return;
      this.hostsDown.add(host.id);
      sim.narrate('host.fail', host.id, `Host ${host.id} failed: every VM on it stopped.`, 'warn');
      for (const m of this.mechanisms) m.onHostFail?.(host);
      // After the mechanisms had their say (an aborted migration falls back to its source).
      for (const vm of this.vms.values()) if (vm.host === host.id && vm.state !== 'paused') vm.pause(sim.now);
    });
    sim.on('run.end', () => {
      sim.narrate('run.end', 'run', `The scenario's duration of ${this.scenario.durationMs} ms is over.`, 'done');
      sim.finish('duration reached');
    });
  }

  /** Schedule what the scenario fixes in advance; call after mechanisms are installed. */
  start(): void {
    for (const vm of this.vms.values()) this.startTicking(vm);
    this.scenario.links.forEach((l, i) => {
      if (l.downAtMs !== undefined) this.sim.scheduleAt(msToNs(l.downAtMs), { type: 'link.down', link: i });
    });
    for (const h of this.scenario.hosts) {
      const failAtMs = (h as { failAtMs?: number }).failAtMs;
      if (failAtMs !== undefined) this.sim.scheduleAt(msToNs(failAtMs), { type: 'host.fail', host: h.id });
    }
    if (this.scenario.durationMs !== undefined)
      this.sim.scheduleAt(msToNs(this.scenario.durationMs), { type: 'run.end' });
    this.checkDone();
  }

  private stateComponent(): Component {
    return {
      name: 'world',
      snapshot: (keeper) => ({
        vms: [...this.vms.values()].map((vm) => vm.snapshot(keeper as MemoryKeeper | undefined)),
        links: this.links.map((l) => l.snapshot()),
        hostsDown: [...this.hostsDown],
      }),
      restore: (state, keeper) => {
        const s = state as { vms: VmSnapshot[]; links: ReturnType<Link['snapshot']>[]; hostsDown: string[] };
        for (const [i, vm] of [...this.vms.values()].entries())
          vm.restore(s.vms[i], keeper as MemoryKeeper | undefined);
        for (const [i, l] of this.links.entries()) l.restore(s.links[i]);
        this.hostsDown.clear();
        for (const h of s.hostsDown) this.hostsDown.add(h);
      },
    };
  }
}
