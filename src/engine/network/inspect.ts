import { formatDuration } from '../kernel/clock';
import type { Inspection, InspectQuery } from '../mechanismDefinition';
import type { NetworkMechanism } from './mechanism';
import { BUFFER_BASE_GPA } from './model';

/** A ring slot someone clicked: its descriptor, and the packet in it if any. */
export function inspectSlot(m: NetworkMechanism, q: InspectQuery): Inspection | undefined {
  const run = m.runs[q.entry];
  const side = run?.sides.find((s) => s.dir === (q.side ?? 'tx'));
  if (!run || !side || q.item !== 'slot' || !Number.isInteger(q.index) || q.index < 0 || q.index >= side.num)
    return undefined;
  const id = q.index;
  const live = side.words[id * 384] !== 0;
  const lines = [
    {
      label: 'descriptor',
      value: `${id}: addr 0x${side.ring.descAddr(id).toString(16)}, len ${side.ring.descLen(id)}`,
    },
    {
      label: 'buffer',
      value: `guest-physical 0x${(side.ring.descAddr(id) - BUFFER_BASE_GPA + BUFFER_BASE_GPA).toString(16)}`,
    },
    {
      label: 'ring indices',
      value: `avail.idx ${side.ring.availIdx}, used.idx ${side.ring.usedIdx}, avail_event ${side.ring.availEvent}, used_event ${side.ring.usedEvent}`,
    },
  ];
  if (live) {
    lines.push({ label: 'packet', value: `flow ${side.flow[id]}, seq ${side.seq[id]}, ${side.len[id]} bytes` });
    lines.push({ label: 'offered at', value: formatDuration(side.tOffer[id]) });
    lines.push({ label: 'in the ring for', value: formatDuration(Math.max(0, m.sim.now - side.tReady[id])) });
  } else lines.push({ label: 'packet', value: 'none (the buffer is free and zeroed)' });
  return { title: `${run.vm} ${side.dir} ring slot ${id}`, lines };
}
