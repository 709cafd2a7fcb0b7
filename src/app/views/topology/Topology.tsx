import { useEffect, useMemo, useRef, useState } from 'react';
import { formatBytes } from '../../../engine/kernel/clock';
import type { Frame, LinkView, VmView } from '../../../worker/protocol';
import type { Box } from './geometry';
import { chooseColumns, type LinkLayout, layoutTopology, SIZES, type VmInput } from './layout';
import { fitText } from './text';

/** A VM on its way to another host: how far along, 0 to 1 (a lab says so; frames do not yet). */
export interface VmMotion {
  vm: string;
  to: string;
  progress: number;
}

const LINK_FONT = 11;
const HOST_FONT = 12;
const VM_FONT = 11;
const VM_STATE_FONT = 10;
const TEXT_PAD = 6;

/** Hosts as boxes, each VM inside the host it runs on, links between their own hosts with their live rate. */
export function Topology({
  frame,
  hosts,
  motions = [],
}: {
  frame: Frame;
  hosts: string[];
  motions?: readonly VmMotion[];
}) {
  const [ref, panelWidth] = usePanelWidth();
  const vmInputs: VmInput[] = frame.vms.map((vm) => {
    const motion = motions.find((m) => m.vm === vm.id);
    return motion ? { id: vm.id, host: vm.host, moving: { to: motion.to, progress: motion.progress } } : vm;
  });
  const shape = JSON.stringify([
    panelWidth,
    hosts,
    vmInputs.map((v) => [v.id, v.host, v.moving?.to]),
    frame.links.map((l) => [l.a, l.b]),
  ]);
  const progress = JSON.stringify(vmInputs.map((v) => v.moving?.progress));
  const input = { width: panelWidth, hosts, vms: vmInputs, links: frame.links };
  // The column count depends on the shape only: kept while a VM's progress changes (it tries every count).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the shape key holds everything chooseColumns reads
  const columns = useMemo(() => chooseColumns(input), [shape]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the keys hold everything the layout reads
  const layout = useMemo(() => layoutTopology(input, columns), [shape, progress, columns]);

  return (
    <div ref={ref} className="topology-frame">
      {panelWidth > 0 && (
        <svg
          className="topology"
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="img"
          aria-label="hosts, VMs and links"
          data-testid="topology"
        >
          <g className="links">
            {layout.links.map((l) => (
              <LinkShape key={l.index} layout={l} link={frame.links[l.index]} />
            ))}
          </g>
          {layout.hosts.map((h) => (
            <g key={h.id} className="host" data-host={h.id}>
              <title>{h.id}</title>
              <rect x={h.x} y={h.y} width={h.w} height={h.h} rx={8} />
              <text className="host-label" x={h.x + SIZES.hostPad} y={h.y + 15}>
                {fitText(h.id, h.w - 2 * SIZES.hostPad, HOST_FONT, true)}
              </text>
            </g>
          ))}
          {layout.vms.map((box) =>
            box.target ? <TargetSlot key={`${box.id}-target`} id={box.id} box={box.target} /> : null,
          )}
          {layout.vms.map((box) => (
            <VmShape key={box.id} vm={frame.vms.find((v) => v.id === box.id) as VmView} box={box} />
          ))}
        </svg>
      )}
    </div>
  );
}

function VmShape({ vm, box }: { vm: VmView; box: Box }) {
  const inner = box.w - 2 * TEXT_PAD;
  const full = `${vm.id} · ${vm.memoryMiB} MiB`;
  const name = fitText(full, inner, VM_FONT, true) === full ? full : fitText(vm.id, inner, VM_FONT, true);
  const throttled = vm.throttlePct > 0;
  const longState = `${vm.state}${throttled ? ` · vCPUs throttled ${vm.throttlePct}%` : ''}`;
  const shortState = `${vm.state}${throttled ? ` · throttled ${vm.throttlePct}%` : ''}`;
  const state =
    fitText(longState, inner, VM_STATE_FONT) === longState ? longState : fitText(shortState, inner, VM_STATE_FONT);
  return (
    <g
      className={`vm vm-${vm.state}`}
      data-vm={vm.id}
      data-host-id={vm.host}
      style={{ transform: `translate(${box.x}px, ${box.y}px)` }}
    >
      <title>{`${full} · ${longState}`}</title>
      <rect width={box.w} height={box.h} rx={5} />
      <text className="vm-label" x={TEXT_PAD} y={14}>
        {name}
      </text>
      <text className="vm-state" x={TEXT_PAD} y={27}>
        {state}
      </text>
    </g>
  );
}

/** Where a moving VM is going: the slot it will take on its destination. */
function TargetSlot({ id, box }: { id: string; box: Box }) {
  return <rect className="vm-target" data-vm-target={id} x={box.x} y={box.y} width={box.w} height={box.h} rx={5} />;
}

const FLOW_STEPS: React.CSSProperties = { animationTimingFunction: 'steps(8)' };

function LinkShape({ layout, link }: { layout: LinkLayout; link: LinkView }) {
  const busy = link.currentBps > 0;
  const setup = `${link.bandwidthMiBps} MiB/s · ${link.latencyUs} µs${link.up ? '' : ' · DOWN'}`;
  const rate = busy ? `streaming ${formatBytes(link.currentBps)}/s` : 'idle';
  const { label } = layout;
  const cut = (text: string) => fitText(text, label.maxWidth, LINK_FONT);
  return (
    <g className={`link${busy ? ' link-busy' : ''}${link.up ? '' : ' down'}`} data-link={`${link.a}-${link.b}`}>
      <title>{`${link.a} ↔ ${link.b} · ${setup} · ${rate}`}</title>
      {/* The flowing dashes repaint the page each time they move: in eight steps a cycle, not every frame. */}
      <path className="link-line" d={layout.d} style={busy ? FLOW_STEPS : undefined} />
      {layout.leader && (
        <line
          className="link-leader"
          x1={layout.leader[0].x}
          y1={layout.leader[0].y}
          x2={layout.leader[1].x}
          y2={layout.leader[1].y}
        />
      )}
      {label.lines === 2 ? (
        <>
          <text className="link-label" x={label.x} y={label.y}>
            {cut(setup)}
          </text>
          <text className="link-rate" x={label.x} y={label.y + 16}>
            {cut(rate)}
          </text>
        </>
      ) : (
        <OneLineLabel x={label.x} y={label.y} setup={setup} rate={busy ? ` · ${rate}` : ''} cut={cut} />
      )}
    </g>
  );
}

/** Setup and, while busy, the rate in the accent colour, cut as one line. */
function OneLineLabel(props: { x: number; y: number; setup: string; rate: string; cut: (text: string) => string }) {
  const text = props.cut(props.setup + props.rate);
  const setupPart = text.startsWith(props.setup) ? props.setup : text;
  return (
    <text className="link-label" x={props.x} y={props.y}>
      {setupPart}
      {text.length > setupPart.length && <tspan className="link-rate">{text.slice(setupPart.length)}</tspan>}
    </text>
  );
}

/** The width of the element `ref` is put on, kept current as the window resizes (0 until measured). */
function usePanelWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.floor(el.clientWidth));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
