import { formatDuration } from '../kernel/clock';
import type { Simulation } from '../kernel/simulation';
import type { Inspection, InspectionLine, InspectQuery } from '../mechanismDefinition';
import type { PoolMechanism } from './mechanism';
import { ExtentState } from './poolFile';
import { taggedVm } from './workload';

const STATE_NAMES = ['free', 'being zeroed / allocated', 'allocated', 'being discarded'];

/** An extent someone clicked on the block map: owner, place in its disk, state, what bytes lie in it. */
export function inspectExtent(mechanism: PoolMechanism, q: InspectQuery, sim: Simulation): Inspection | undefined {
  const run = mechanism.pools[q.entry];
  if (!run || q.item !== 'extent' || !Number.isInteger(q.index) || q.index < 0 || q.index >= run.file.capacity)
    return undefined;
  const e = q.index;
  const f = run.file;
  const owner = f.owner[e] >= 0 ? run.vms[f.owner[e]] : undefined;
  const lines: InspectionLine[] = [
    { label: 'place', value: `pool offset ${(e * f.extentBytes) / 1024} KiB (extent ${e} of ${f.capacity})` },
    { label: 'state', value: STATE_NAMES[f.state[e]] ?? 'unknown' },
    { label: 'owner', value: owner ? owner.vm : 'none' },
  ];
  if (owner && f.state[e] === ExtentState.allocated)
    lines.push({ label: 'backs', value: `${owner.vm}'s temp disk at ${(f.logicalOf[e] * f.extentBytes) / 1024} KiB` });
  let written = 0;
  for (let s = 0; s < f.sectorsPerExtent; s++) if (f.isWritten(e, s)) written++;
  lines.push({ label: 'sectors written by its owner', value: `${written} of ${f.sectorsPerExtent}` });
  if (f.store.holds(e)) {
    const head = new Uint8Array(4);
    f.store.read(e, 0, 4, head);
    const writer = taggedVm(new Uint32Array(head.buffer)[0]);
    const who = writer >= 0 ? run.vms[writer]?.vm : undefined;
    lines.push({
      label: 'bytes in the pool file',
      value: who
        ? `first sector last written by ${who}${owner?.vm !== who ? ' (stale: no VM can read them)' : ''}`
        : 'held in memory',
    });
  } else lines.push({ label: 'bytes in the pool file', value: 'a hole: reads as zeros, holds no memory' });
  const at = run.changedAt[e];
  if (at >= 0) {
    const entry = sim.log.findLast((l) => l.index <= at);
    lines.push({
      label: 'last changed',
      value: `after event ${at}${entry ? ` (${formatDuration(entry.timeNs)})` : ''}`,
      eventIndex: at,
    });
  }
  return { title: `${run.id} extent ${e}`, lines };
}
