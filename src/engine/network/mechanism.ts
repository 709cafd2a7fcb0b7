import type { SimEvent } from '../kernel/eventQueue';
import type { Simulation } from '../kernel/simulation';
import { sectionOf } from '../scenario/fields';
import type { Mechanism, World } from '../world/world';
import { CPU_GUEST, CPU_KERNEL, CPU_VMM, type Side } from './model';
import { NetRun, VCPU_CPU } from './run';
import type { NetworkConfig, Trigger } from './schema';
import { STRATEGIES } from './strategies';
import { earlier, NEVER, type Planned, rxDeliver, txDeliver } from './strategies/plan';

const TRIGGER_WORDS: Record<string, string> = {
  count: 'the cluster is full',
  'ring-full': 'the ring is nearly full',
  exit: 'the VM exits anyway',
  idle: 'the vCPU idles',
  bound: 'the oldest packet reached the wait bound',
  timer: 'the tx timer fired',
  burst: 'tx_burst packets are queued',
  kick: 'a kick woke the backend',
  poll: 'the backend polled again',
  coalesce: 'NIC coalescing fired',
  packet: 'a packet arrived',
};

/** Every network of a scenario: one scheduled event per network at a time, decided in full when scheduled. */
export class NetworkMechanism implements Mechanism {
  readonly name = 'network';
  readonly runs: NetRun[];
  readonly sim: Simulation;

  constructor(readonly world: World) {
    this.sim = world.sim;
    this.runs = sectionOf<NetworkConfig>(world.scenario, 'networks').map((cfg, i) => {
      const vm = world.vm(cfg.vm);
      const host = world.hosts.get(vm.host);
      return new NetRun(i, cfg, vm.id, host?.cpus ?? 1, world.scenario.seed);
    });
    for (const type of [
      'net.kick',
      'net.kick.suppressed',
      'net.flush',
      'net.notify',
      'net.drop',
      'net.interrupt',
      'net.deliver',
    ])
      this.sim.on(type, (e) => this.handle(e));
    world.addMechanism(this);
  }

  start(): void {
    for (const run of this.runs) {
      this.sim.enterPhase(run.vm, `${run.cfg.strategy} traffic`);
      this.planNext(run);
    }
  }

  isDone(): boolean {
    return this.runs.every((r) => r.isDone());
  }

  snapshot(): unknown {
    return this.runs.map((r) => r.snapshot());
  }

  restore(state: unknown): void {
    (state as ReturnType<NetRun['snapshot']>[]).forEach((s, i) => {
      this.runs[i].restore(s);
    });
  }

  private handle(e: SimEvent): void {
    const run = this.runs[e.net as number];
    const now = this.sim.now;
    if (e.dir === 'tx') this.handleTx(run, e, now);
    else this.handleRx(run, e, now);
    this.planNext(run);
  }

  private handleTx(run: NetRun, e: SimEvent, now: number): void {
    const tx = run.tx as Side;
    const c = run.cfg.costs;
    const strategy = run.cfg.strategy;
    if (e.type === 'net.deliver') {
      run.deliverTxGroup();
      return;
    }
    run.postUpTo(now);
    switch (e.type) {
      case 'net.kick': {
        tx.stats.kicks++;
        if (strategy === 'event-idx') run.kickNeeded();
        const exited = run.exit(now);
        if (strategy === 'per-packet') {
          run.handOffTx(now, tx.pending, 'kick', true, false);
        } else if (strategy === 'event-idx') {
          // The exit signals an eventfd; the vhost thread on another CPU wakes and starts polling.
          tx.consumerBusy = true;
          tx.roundTrigger = 'kick';
          tx.consumerFreeNs = run.busy(run.backCpu, CPU_KERNEL, exited, c.wakeNs);
        } else if (strategy === 'timer') {
          tx.notifyOn = false;
          tx.timerAt = now + Math.round(run.cfg.timerUs * 1000);
        }
        return;
      }
      case 'net.kick.suppressed':
        run.kickNeeded();
        tx.stats.kicksSuppressed++;
        return;
      case 'net.drop':
        return;
      case 'net.notify':
        // vhost_enable_notify: ask to hear of the next index the guest publishes.
        tx.consumerBusy = false;
        tx.ring.availEvent = tx.ring.availIdx;
        return;
      case 'net.flush':
        this.flushTx(run, now, e.trigger as Trigger, e.packets as number);
        return;
    }
  }

  private flushTx(run: NetRun, now: number, trigger: Trigger, packets: number): void {
    const tx = run.tx as Side;
    const cfg = run.cfg;
    if (cfg.strategy === 'event-idx') {
      run.handOffTx(now, packets, trigger, false, false);
      tx.roundTrigger = 'poll';
      tx.consumerFreeNs = run.backFreeNs;
    } else if (cfg.strategy === 'timer') {
      run.handOffTx(now, packets, trigger, false, false);
      if (tx.pending > 0) tx.timerAt = now + Math.round(cfg.timerUs * 1000);
      else {
        tx.timerAt = -1;
        tx.notifyOn = true;
      }
    } else if (cfg.offload) {
      run.handOffTx(now, packets, trigger, false, true);
    } else {
      // The VMM's group hand-off rides an exit: its own, unless the VM was exiting or halting anyway.
      if (trigger !== 'exit' && trigger !== 'idle') run.exit(now);
      run.handOffTx(now, packets, trigger, true, false);
    }
    this.sim.narrate('net.flush', run.vm, this.flushText(trigger, packets));
  }

  /** One string per (trigger, size): a run at line rate narrates a flush every microsecond. */
  private readonly flushTexts = new Map<string, string[]>();

  private flushText(trigger: Trigger, packets: number): string {
    let texts = this.flushTexts.get(trigger);
    if (texts === undefined) {
      texts = [];
      this.flushTexts.set(trigger, texts);
    }
    texts[packets] ??= `A group of ${packets} packets leaves the shared ring: ${TRIGGER_WORDS[trigger] ?? trigger}.`;
    return texts[packets];
  }

  private handleRx(run: NetRun, e: SimEvent, now: number): void {
    const rx = run.rx as Side;
    const cfg = run.cfg;
    const c = cfg.costs;
    run.arriveUpTo(now);
    if (e.type === 'net.deliver') {
      run.consumeRx(now, rx.roundPackets);
      if (cfg.strategy !== 'per-packet' && rx.pending > 0) {
        // NAPI: the poll goes on while the ring has packets; the interrupt stays off.
        rx.stats.interruptsSuppressed++;
        this.startRound(run, now, 'poll');
      } else {
        rx.consumerBusy = false;
        rx.ring.usedEvent = rx.lastUsed;
      }
      return;
    }
    // net.interrupt
    const trigger = e.trigger as Trigger;
    rx.lastSignalled = rx.ring.usedIdx;
    rx.stats.interrupts++;
    const offloaded = cfg.strategy === 'cluster' && cfg.offload;
    let at = now;
    if (offloaded) {
      // Another CPU drains the region and posts the interrupt: the vCPU does not exit.
      at = run.busy(run.backCpu, CPU_KERNEL, at, c.wakeNs + c.transitionNs);
    } else {
      if (trigger !== 'exit') at = run.exit(at);
      at = run.busy(VCPU_CPU, CPU_VMM, at, c.interruptNs);
      at = run.busy(VCPU_CPU, CPU_KERNEL, at, c.transitionNs);
    }
    run.transitions++;
    this.startRound(run, at, trigger, now);
    if (cfg.strategy === 'cluster' || cfg.strategy === 'per-packet')
      this.sim.narrate(
        'net.interrupt',
        run.vm,
        `${rx.roundPackets} received packets go to the guest: ${TRIGGER_WORDS[trigger] ?? trigger}.`,
      );
  }

  private startRound(run: NetRun, at: number, trigger: Trigger, signalledAt = at): void {
    const rx = run.rx as Side;
    const budget = run.cfg.strategy === 'per-packet' ? 1 : run.cfg.napiBudget;
    const n = Math.min(rx.pending, budget);
    run.noteRxWait(signalledAt, n);
    rx.noteGroup(trigger, n);
    rx.roundPackets = n;
    rx.consumerBusy = true;
    rx.consumerFreeNs = run.busy(VCPU_CPU, CPU_GUEST, at, run.copyNs(run.pendingRxBytes(n)));
  }

  /** Schedule the network's next event: the earliest of what each direction does next. */
  private planNext(run: NetRun): void {
    const now = this.sim.now;
    const strategy = STRATEGIES[run.cfg.strategy];
    let next: Planned | null = null;
    if (run.rx) next = earlier(next, rxDeliver(run));
    if (run.tx) next = earlier(next, strategy.txNext(run, now));
    if (run.rx) next = earlier(next, strategy.rxNext(run, now));
    // The wire's next group comes first on a tie; its event is only built when it goes next.
    const wireDone = run.tx ? run.nextWireDoneNs() : NEVER;
    if (wireDone < NEVER && (!next || wireDone <= next.t)) next = txDeliver(run);
    if (next) this.sim.scheduleAt(Math.max(now, Math.ceil(next.t)), next.event);
    else if (run.isDone()) {
      this.sim.closePhase(run.vm);
      this.sim.narrate('net.done', run.vm, `All ${run.cfg.strategy} traffic is delivered or dropped.`, 'done');
      this.world.checkDone();
    }
  }
}
