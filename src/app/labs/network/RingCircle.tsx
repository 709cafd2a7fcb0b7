import type { RingView } from '../../../engine/network/view';
import { inspect } from '../../store/workerClient';
import { useCellCursor } from '../useCellCursor';
import { flowColor } from './colors';

const SIZE = 320;
const R = 120;

/**
 * A ring as a circle of slots: a free buffer is hollow, a posted packet a disk coloured by its
 * flow, a taken one a square; avail and used indices as hands (solid and dashed). One tab stop:
 * arrow keys move round the slots, Enter inspects one.
 */
export function RingCircle({ ring, entry, vm }: { ring: RingView; entry: number; vm: string }) {
  const n = ring.num;
  const shown = Math.min(n, 256);
  const step = (2 * Math.PI) / shown;
  const slotR = Math.max(3, Math.min(12, (Math.PI * R) / shown - 1));
  const at = (i: number, r = R) => [SIZE / 2 + r * Math.sin(i * step), SIZE / 2 - r * Math.cos(i * step)];
  const inspectSlot = (i: number) => inspect({ mechanism: 'network', item: 'slot', entry, side: ring.dir, index: i });
  const keyboard = useCellCursor(shown, 1, inspectSlot);
  const hand = (pos: number, r: number, dashed: boolean, label: string) => {
    const [x, y] = at(pos % shown, r);
    return (
      <g className="net-hand">
        <line x1={SIZE / 2} y1={SIZE / 2} x2={x} y2={y} strokeWidth={3} strokeDasharray={dashed ? '6 4' : undefined} />
        <text x={x} y={y} dx={4}>
          {label}
        </text>
      </g>
    );
  };
  const slots = [];
  for (let i = 0; i < shown; i++) {
    const [x, y] = at(i);
    const st = ring.state[i];
    const title = slotText(ring, i);
    const onClick = () => inspectSlot(i);
    slots.push(
      st === 2 ? (
        // biome-ignore lint/a11y/noStaticElementInteractions: the ring, one tab stop, is the keyboard's way to a slot
        <rect
          key={i}
          className="net-slot net-slot-done"
          x={x - slotR * 0.85}
          y={y - slotR * 0.85}
          width={slotR * 1.7}
          height={slotR * 1.7}
          onClick={onClick}
        >
          <title>{title}</title>
        </rect>
      ) : (
        // biome-ignore lint/a11y/noStaticElementInteractions: the ring, one tab stop, is the keyboard's way to a slot
        <circle
          key={i}
          className={st === 0 ? 'net-slot net-slot-free' : 'net-slot'}
          cx={x}
          cy={y}
          r={st === 0 ? slotR * 0.8 : slotR}
          data-testid={st === 1 ? 'net-slot-pending' : undefined}
          style={st === 1 ? { fill: flowColor(ring.flow[i]) } : undefined}
          onClick={onClick}
        >
          <title>{title}</title>
        </circle>
      ),
    );
  }
  return (
    <figure className="net-ring" data-testid={`net-ring-${ring.dir}`} data-highlight={`ring:${ring.dir}`}>
      <figcaption>
        <strong>
          {vm} {ring.dir === 'tx' ? 'transmit' : 'receive'} ring
        </strong>{' '}
        ({n} slots{n > shown ? `, first ${shown} drawn` : ''})
      </figcaption>
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG drawing cannot be a fieldset */}
      <svg
        viewBox={`0 0 ${SIZE} ${SIZE}`}
        role="group"
        aria-label={`${ring.dir} ring: arrow keys move round the slots, Enter inspects one`}
        {...keyboard.props}
      >
        {slots}
        {keyboard.cursor !== null &&
          (() => {
            const [x, y] = at(keyboard.cursor);
            return <circle className="net-slot-cursor" cx={x} cy={y} r={slotR + 3} />;
          })()}
        {hand(ring.availIdx, R - 30, false, `avail ${ring.availIdx}`)}
        {hand(ring.usedIdx, R - 60, true, `used ${ring.usedIdx}`)}
        <text className="net-center" x={SIZE / 2} y={SIZE / 2 + 30} textAnchor="middle">
          {ring.pending} waiting
        </text>
      </svg>
      <p className="net-slot-said" aria-live="polite">
        {keyboard.cursor !== null ? slotText(ring, keyboard.cursor) : ''}
      </p>
      <p className="net-group" data-testid="net-last-group">
        {ring.lastGroup.packets > 0
          ? `last group: ${ring.lastGroup.packets} packet${ring.lastGroup.packets > 1 ? 's' : ''}, trigger "${ring.lastGroup.trigger}"`
          : 'no group has left yet'}
      </p>
    </figure>
  );
}

function slotText(ring: RingView, i: number): string {
  const st = ring.state[i];
  return `slot ${i}: ${st === 0 ? 'free buffer' : st === 2 ? 'taken, not yet returned' : `flow ${ring.flow[i]}, waiting`}`;
}
