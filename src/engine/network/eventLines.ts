import type { SimEvent } from '../kernel/eventQueue';
import type { NetworkMechanism } from './mechanism';

/**
 * The engine delivers a group as one `net.deliver` event; the event stream (`--events`) shows
 * one line per packet, in delivery order, each with its own flow, sequence number and bytes.
 * Read from the NIC queue (transmit) or the used ring (receive) just before the event runs.
 */
export function deliveredPackets(m: NetworkMechanism, event: SimEvent): SimEvent[] | undefined {
  if (event.type !== 'net.deliver') return undefined;
  const run = m.runs[event.net as number];
  const count = event.packets as number;
  const lines: SimEvent[] = [];
  const line = (flow: number, seq: number, bytes: number) =>
    lines.push({ type: event.type, net: event.net, dir: event.dir, flow, seq, bytes });
  if (event.dir === 'tx') {
    const nic = run.nic;
    for (let k = 0; k < count; k++) {
      const slot = (nic.head + k) % nic.cap;
      line(nic.flow[slot], nic.seq[slot], nic.len[slot]);
    }
  } else if (run.rx) {
    const rx = run.rx;
    for (let k = 0, pos = rx.lastUsed; k < count; k++, pos = (pos + 1) & 0xffff) {
      const id = rx.ring.usedIdAt(pos);
      line(rx.flow[id], rx.seq[id], rx.ring.usedLenAt(pos));
    }
  }
  return lines;
}
