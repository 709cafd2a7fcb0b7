import type { RingView } from '../../../engine/network/view';
import { inspect } from '../../store/workerClient';
import { flowColor } from './colors';

const SIZE = 320;
const R = 120;

/** A ring as a circle of slots: posted packets coloured by flow, avail and used indices as hands. */
export function RingCircle({ ring, entry, vm }: { ring: RingView; entry: number; vm: string }) {
  const n = ring.num;
  const shown = Math.min(n, 256);
  const step = (2 * Math.PI) / shown;
  const slotR = Math.max(3, Math.min(12, (Math.PI * R) / shown - 1));
  const at = (i: number, r = R) => [SIZE / 2 + r * Math.sin(i * step), SIZE / 2 - r * Math.cos(i * step)];
  const hand = (pos: number, r: number, color: string, label: string) => {
    const [x, y] = at(pos % shown, r);
    return (
      <g>
        <line x1={SIZE / 2} y1={SIZE / 2} x2={x} y2={y} stroke={color} strokeWidth={3} />
        <text x={x} y={y} dx={4} fill={color}>
          {label}
        </text>
      </g>
    );
  };
  const slots = [];
  for (let i = 0; i < shown; i++) {
    const [x, y] = at(i);
    const st = ring.state[i];
    const cls = st === 0 ? 'net-slot net-slot-free' : st === 2 ? 'net-slot net-slot-done' : 'net-slot';
    slots.push(
      // biome-ignore lint/a11y/useSemanticElements: an SVG slot cannot be a <button>
      <circle
        key={i}
        className={cls}
        cx={x}
        cy={y}
        r={slotR}
        data-testid={st === 1 ? 'net-slot-pending' : undefined}
        style={st === 1 ? { fill: flowColor(ring.flow[i]) } : undefined}
        role="button"
        tabIndex={-1}
        onClick={() => inspect({ mechanism: 'network', item: 'slot', entry, side: ring.dir, index: i })}
      >
        <title>{`slot ${i}`}</title>
      </circle>,
    );
  }
  return (
    <figure className="net-ring" data-testid={`net-ring-${ring.dir}`}>
      <figcaption>
        <strong>
          {vm} {ring.dir === 'tx' ? 'transmit' : 'receive'} ring
        </strong>{' '}
        ({n} slots{n > shown ? `, first ${shown} drawn` : ''})
      </figcaption>
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-label={`${ring.dir} ring`}>
        {slots}
        {hand(ring.availIdx, R - 30, '#e8d25a', `avail ${ring.availIdx}`)}
        {hand(ring.usedIdx, R - 60, '#b08cf0', `used ${ring.usedIdx}`)}
        <text className="net-center" x={SIZE / 2} y={SIZE / 2 + 30} textAnchor="middle">
          {ring.pending} waiting
        </text>
      </svg>
      <p className="net-group" data-testid="net-last-group">
        {ring.lastGroup.packets > 0
          ? `last group: ${ring.lastGroup.packets} packet${ring.lastGroup.packets > 1 ? 's' : ''}, trigger "${ring.lastGroup.trigger}"`
          : 'no group has left yet'}
      </p>
    </figure>
  );
}
