import type { Nanos } from './kernel/clock';
import type { SimEvent } from './kernel/eventQueue';
import { mechanismOfEvent } from './mechanisms';
import type { ScenarioRun } from './run';

/** One line of `--events`: the event as the engine ran it, named by mechanism and subject. */
export interface EventRecord {
  i: number;
  tNs: Nanos;
  type: string;
  mechanism: string;
  subject: string;
  [field: string]: string | number | boolean | undefined;
}

/**
 * Call `sink` with every event the run executes from now on. The mechanism and subject are
 * derived here, not stored in events, so trace hashes do not change.
 */
export function observeEvents(run: ScenarioRun, sink: (record: EventRecord) => void): void {
  run.sim.observer = (i, tNs, event: SimEvent) => {
    const def = mechanismOfEvent(event.type);
    const instance = def ? run.instance(def) : undefined;
    const subject = def && instance ? def.subjectOf(instance, event) : run.world.subjectOf(event);
    const lines = (def && instance && def.streamLines?.(instance, event)) || [event];
    for (const line of lines) {
      const { type, ...fields } = line;
      sink({ i, tNs, type, mechanism: def?.id ?? 'world', subject, ...fields });
    }
  };
}
