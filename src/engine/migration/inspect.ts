import { formatDuration } from '../kernel/clock';
import type { Simulation } from '../kernel/simulation';
import type { Inspection, InspectionLine, InspectQuery } from '../mechanismDefinition';
import type { MigrationMechanism } from './mechanism';
import { destinationPageStates, PAGE_STATE_INFO, sourcePageStates } from './pageStates';

/** A page someone clicked on a grid: what it is, its state, and the events that last changed it. */
export function inspectPage(mechanism: MigrationMechanism, q: InspectQuery, sim: Simulation): Inspection | undefined {
  const run = mechanism.runs[q.entry];
  if (!run || q.item !== 'page' || !Number.isInteger(q.index) || q.index < 0 || q.index >= run.pages) return undefined;
  const p = q.index;
  const onSource = q.side !== 'destination';
  const states = new Uint8Array(run.pages);
  (onSource ? sourcePageStates : destinationPageStates)(run, states);
  const state = PAGE_STATE_INFO.find((s) => s.id === states[p]);
  const at = (index: number) => {
    const entry = sim.log.findLast((e) => e.index <= index);
    return entry ? ` (${formatDuration(entry.timeNs)})` : '';
  };
  const event = (label: string, index: number, never: string): InspectionLine =>
    index >= 0 ? { label, value: `after event ${index}${at(index)}`, eventIndex: index } : { label, value: never };
  const lines: InspectionLine[] = [
    { label: 'address', value: `guest-physical 0x${(p * 4096).toString(16)} (page ${p} of ${run.pages})` },
    { label: 'state', value: state ? `${state.name}: ${state.meaning}` : 'unknown' },
    event('last written by the guest', run.vm.lastWriteAt[p], 'not since the run began'),
    { label: 'times sent', value: String(run.sendCount[p]) },
    event('newest copy left', run.sentAt[p], 'never sent'),
    event('newest copy arrived', run.arrivedAt[p], 'not arrived'),
  ];
  if (run.vm.memory.writeProtect.get(p)) lines.push({ label: 'protection', value: 'write-protected on the source' });
  if (run.faulted.get(p)) lines.push({ label: 'how it came', value: 'faulted in on demand (a remote fault)' });
  return { title: `${run.vm.id} page ${p} on ${onSource ? run.from : run.config.to}`, lines };
}
