import type { Nanos } from './clock';
import { EventQueue, type QueuedEvent, type SimEvent } from './eventQueue';
import { TraceHash } from './traceHash';

/** One line of the event log: what happened, when, in words a student can read. */
export interface LogEntry {
  readonly index: number;
  readonly timeNs: Nanos;
  readonly kind: string;
  readonly subject: string;
  readonly text: string;
  readonly level: 'info' | 'phase' | 'warn' | 'done';
}

/** A named stretch of time for one subject (a migration, a VM): drawn on the timeline. */
export interface PhaseSpan {
  readonly subject: string;
  readonly name: string;
  readonly startNs: Nanos;
  readonly startIndex: number;
  endNs?: Nanos;
  /** The VM ran nowhere during this span (downtime). */
  readonly down?: boolean;
}

/**
 * A part of the model whose state must travel with snapshots. `keeper` is passed through
 * to whatever holds large memories, which may store them as deltas (see hw/MemoryKeeper).
 */
export interface Component {
  readonly name: string;
  snapshot(keeper?: unknown): unknown;
  restore(state: unknown, keeper?: unknown): void;
}

export type Handler = (event: SimEvent, sim: Simulation) => void;

export interface RunLimit {
  timeNs?: Nanos;
  eventIndex?: number;
  /** Checked after each event; true stops the run. */
  predicate?: (sim: Simulation, event: SimEvent) => boolean;
}

export type StopReason = 'time' | 'eventIndex' | 'predicate' | 'finished' | 'budget';

export interface SimSnapshot {
  now: Nanos;
  eventIndex: number;
  queue: ReturnType<EventQueue['snapshot']>;
  trace: [number, number];
  log: LogEntry[];
  phases: PhaseSpan[];
  finished: boolean;
  finishReason: string;
  components: Record<string, unknown>;
}

export class Simulation {
  now: Nanos = 0;
  /** Number of events executed so far; the position a link or a seek refers to. */
  eventIndex = 0;
  finished = false;
  finishReason = '';
  log: LogEntry[] = [];
  phases: PhaseSpan[] = [];
  readonly trace = new TraceHash();
  private readonly queue = new EventQueue();
  private readonly handlers = new Map<string, Handler>();
  private readonly components: Component[] = [];
  /** Sees every event as it runs (the CLI's `--events`); not part of the state or the trace. */
  observer?: (index: number, time: Nanos, event: SimEvent) => void;

  constructor(readonly maxEvents = Number.POSITIVE_INFINITY) {}

  on(type: string, handler: Handler): void {
    if (this.handlers.has(type)) throw new Error(`two handlers for event type ${type}`);
    this.handlers.set(type, handler);
  }

  register(component: Component): void {
    this.components.push(component);
  }

  scheduleAt(time: Nanos, event: SimEvent): void {
    if (!Number.isInteger(time)) throw new Error(`event ${event.type} scheduled at a fractional time ${time}`);
    if (time < this.now) throw new Error(`event ${event.type} scheduled in the past (${time} < ${this.now})`);
    this.queue.push(time, event);
  }

  schedule(delay: Nanos, event: SimEvent): void {
    this.scheduleAt(this.now + delay, event);
  }

  peekNext(): QueuedEvent | undefined {
    return this.queue.peek();
  }

  get pendingEvents(): number {
    return this.queue.size;
  }

  /** Run one event. Returns it, or undefined when the run is over. */
  step(): SimEvent | undefined {
    if (this.finished) return undefined;
    if (this.eventIndex >= this.maxEvents) {
      this.finish(`event budget of ${this.maxEvents.toLocaleString('en-US')} events exceeded`);
      return undefined;
    }
    const next = this.queue.pop();
    if (!next) {
      this.finish('no more events');
      return undefined;
    }
    this.now = next.time;
    this.trace.add(this.eventIndex, next.time, next.event);
    this.observer?.(this.eventIndex, next.time, next.event);
    this.eventIndex++;
    const handler = this.handlers.get(next.event.type);
    if (!handler) throw new Error(`no handler for event type ${next.event.type}`);
    handler(next.event, this);
    return next.event;
  }

  runUntil(limit: RunLimit = {}): StopReason {
    for (;;) {
      if (this.finished) return this.finishReason.startsWith('event budget') ? 'budget' : 'finished';
      if (limit.eventIndex !== undefined && this.eventIndex >= limit.eventIndex) return 'eventIndex';
      if (limit.timeNs !== undefined) {
        const next = this.queue.peek();
        if (!next || next.time > limit.timeNs) {
          if (!next) this.step();
          else this.now = Math.max(this.now, limit.timeNs);
          return next ? 'time' : 'finished';
        }
      }
      const event = this.step();
      if (event && limit.predicate?.(this, event)) return 'predicate';
    }
  }

  finish(reason: string): void {
    if (this.finished) return;
    this.finished = true;
    this.finishReason = reason;
  }

  narrate(kind: string, subject: string, text: string, level: LogEntry['level'] = 'info'): void {
    this.log.push({ index: this.eventIndex, timeNs: this.now, kind, subject, text, level });
  }

  /** Close the subject's open phase (if any) and open a new one. */
  enterPhase(subject: string, name: string, down = false): void {
    this.closePhase(subject);
    this.phases.push({ subject, name, startNs: this.now, startIndex: this.eventIndex, down });
  }

  closePhase(subject: string): void {
    for (let i = this.phases.length - 1; i >= 0; i--) {
      const p = this.phases[i];
      if (p.subject === subject) {
        if (p.endNs === undefined) this.phases[i] = { ...p, endNs: this.now };
        return;
      }
    }
  }

  currentPhase(subject: string): PhaseSpan | undefined {
    for (let i = this.phases.length - 1; i >= 0; i--) {
      if (this.phases[i].subject === subject) return this.phases[i];
    }
    return undefined;
  }

  snapshot(keeper?: unknown): SimSnapshot {
    const components: Record<string, unknown> = {};
    for (const c of this.components) components[c.name] = c.snapshot(keeper);
    return {
      now: this.now,
      eventIndex: this.eventIndex,
      queue: this.queue.snapshot(),
      trace: this.trace.getState(),
      log: this.log.slice(),
      phases: this.phases.slice(),
      finished: this.finished,
      finishReason: this.finishReason,
      components,
    };
  }

  restore(s: SimSnapshot, keeper?: unknown): void {
    this.now = s.now;
    this.eventIndex = s.eventIndex;
    this.queue.restore(s.queue);
    this.trace.setState(s.trace);
    this.log = s.log.slice();
    this.phases = s.phases.slice();
    this.finished = s.finished;
    this.finishReason = s.finishReason;
    for (const c of this.components) c.restore(s.components[c.name], keeper);
  }
}
