import { formatDuration } from '../kernel/clock';
import type { Simulation } from '../kernel/simulation';
import type { Inspection, InspectionLine, InspectQuery } from '../mechanismDefinition';
import type { CheckpointMechanism } from './mechanism';
import { BACKUP_STATE_INFO, backupPageStates, PRIMARY_STATE_INFO, primaryPageStates } from './pageStates';

/** A page someone clicked on the primary or backup grid: its state, history and the events that last moved it. */
export function inspectPage(mechanism: CheckpointMechanism, q: InspectQuery, sim: Simulation): Inspection | undefined {
  const run = mechanism.runs[q.entry];
  if (!run || q.item !== 'page' || !Number.isInteger(q.index) || q.index < 0 || q.index >= run.pages) return undefined;
  const p = q.index;
  const onBackup = q.side === 'backup';
  const states = new Uint8Array(run.pages);
  if (onBackup) backupPageStates(run, states);
  else primaryPageStates(run, states, mechanism.world.hostsDown.has(run.primary));
  const info = (onBackup ? BACKUP_STATE_INFO : PRIMARY_STATE_INFO).find((s) => s.id === states[p]);
  const at = (index: number) => {
    const entry = sim.log.findLast((e) => e.index <= index);
    return entry ? ` (${formatDuration(entry.timeNs)})` : '';
  };
  const event = (label: string, index: number, never: string): InspectionLine =>
    index >= 0 ? { label, value: `after event ${index}${at(index)}`, eventIndex: index } : { label, value: never };
  const h = run.history[p];
  const lines: InspectionLine[] = [
    { label: 'address', value: `guest-physical 0x${(p * 4096).toString(16)} (page ${p} of ${run.pages})` },
    { label: 'state', value: info ? `${info.name}: ${info.meaning}` : 'unknown' },
    event('last written by the guest', run.vm.lastWriteAt[p], 'not since the run began'),
    event('last left the primary', run.sentAt[p], 'only in the full copy'),
    event('last applied on the backup', run.appliedAt[p], 'only from the full copy'),
  ];
  if (run.strategy === 'feedback')
    lines.push({
      label: 'history (last 8 epochs)',
      value: `${h.toString(2).padStart(8, '0')} (newest on the right): dirtied in ${popcount8(h)} of 8`,
    });
  if (run.strategy === 'feedback')
    lines.push({
      label: 'feedback',
      value: run.candidates.get(p)
        ? `a diff candidate${run.cache?.has(p) ? ' with a shadow copy' : ', no shadow copy yet'}`
        : 'sent whole (the backup saw large changes, or none yet)',
    });
  if (run.strategy === 'delta')
    lines.push({
      label: 'delta cache',
      value: run.cache?.has(p) ? 'cached: sent as a delta' : 'not cached: sent whole',
    });
  return { title: `${run.vm.id} page ${p} on ${onBackup ? run.config.backup : run.primary}`, lines };
}

function popcount8(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}
