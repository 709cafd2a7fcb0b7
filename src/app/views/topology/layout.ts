import { type Box, lerp, type Point, roundedPath } from './geometry';
import { assignLanes, type Interval } from './lanes';

/**
 * Where hosts, VMs and links go, computed from the scenario alone (no DOM), so every scenario
 * within the limits gets a drawing with nothing on top of anything.
 *
 * Hosts sit in a grid of equal cells, filled row by row in a snake (a chain or ring of links
 * stays between neighbours). Between rows and columns run channels that hold no host; a link
 * that does not join two neighbours in a row leaves its host by the top or bottom edge, runs
 * along channels on a lane of its own and enters the other host, so it never crosses a third
 * host. Link labels sit on their lane, where no other label is.
 */

export interface VmInput {
  id: string;
  host: string;
  /** While the VM moves: where to, and how far along (0 at `host`, 1 at `to`). */
  moving?: { to: string; progress: number };
}

export interface LinkInput {
  a: string;
  b: string;
}

export interface LayoutInput {
  /** Width of the panel in CSS pixels. */
  width: number;
  hosts: readonly string[];
  vms: readonly VmInput[];
  links: readonly LinkInput[];
}

export interface HostLayout extends Box {
  id: string;
  row: number;
  col: number;
}

export interface VmLayout extends Box {
  id: string;
  host: string;
  /** The slot the VM will take on its destination while it moves; absent at rest. */
  target?: Box;
}

export interface LabelLayout {
  /** Anchor point (the text is centred on x) and the first line's baseline. */
  x: number;
  y: number;
  maxWidth: number;
  /** One line on a lane; two (setup above, rate below the line) in the gap between two neighbours. */
  lines: 1 | 2;
  /** The area the text may cover. */
  box: Box;
}

export interface LinkLayout {
  /** Index into the input links. */
  index: number;
  a: string;
  b: string;
  /** Axis-aligned polyline from one host's border to the other's; `d` draws it with rounded bends. */
  points: Point[];
  d: string;
  label: LabelLayout;
  /** A straight link whose gap is too narrow for its label: the label sits above the row, joined by this line. */
  leader?: [Point, Point];
}

export interface TopologyLayout {
  width: number;
  height: number;
  columns: number;
  hosts: HostLayout[];
  vms: VmLayout[];
  links: LinkLayout[];
}

/** Sizes in CSS pixels; the renderer draws text at these offsets. */
export const SIZES = {
  margin: 4,
  hostHead: 22,
  hostPad: 8,
  hostMinWidth: 150,
  hostMaxWidth: 300,
  /** An empty host is as tall as one holding a VM, so hosts do not jump when a VM leaves. */
  emptyHostBody: 34 + 8,
  vmHeight: 34,
  vmGap: 6,
  vmPreferredWidth: 112,
  /** A crowded host narrows its VMs down to this (the name still fits) rather than grow past `vmRows` rows. */
  vmMinWidth: 64,
  vmRows: 4,
  vmMaxWidth: 180,
  /** Horizontal channels: lanes apart (a label's height and a little), space below the last lane. */
  lane: 16,
  lanePad: 6,
  rowGap: 12,
  /** Vertical channels hold lines only. */
  verticalLane: 8,
  verticalPad: 8,
  minGap: 16,
  corner: 6,
  linkLabelWidth: 220,
  straightLabelWidth: 150,
  /** Narrower than this, a straight link's label goes above the row. */
  straightLabelMin: 110,
  maxInnerGap: 220,
  labelHeight: 13,
} as const;

const DEFAULT_WIDTH = 720;

type Kind = 'straight' | 'arc' | 'dogleg' | 'long';

interface Plan {
  link: number;
  /** Host indices: s is the upper (or, in one row, the left) end. */
  s: number;
  t: number;
  kind: Kind;
  /** Long routes: the vertical channel (0 left of the first column) and its lane. */
  v: number;
  vLane: number;
}

interface Cell {
  row: number;
  col: number;
}

/** Lays the scenario out on `columns` columns of hosts, by default the count that gives the shortest drawing. */
export function layoutTopology(input: LayoutInput, columns = chooseColumns(input)): TopologyLayout {
  const width = input.width > 0 ? input.width : DEFAULT_WIDTH;
  const cols = Math.min(Math.max(1, columns), Math.max(1, input.hosts.length));
  return layoutWithColumns(input, width, cols) ?? (layoutWithColumns(input, width, 1) as TopologyLayout);
}

/**
 * The column count whose layout is shortest (empty cells count a little against it). A moving
 * VM's progress changes no size, so callers may keep the answer while only progress changes.
 */
export function chooseColumns(input: LayoutInput): number {
  const width = input.width > 0 ? input.width : DEFAULT_WIDTH;
  let best = { columns: 1, score: Number.POSITIVE_INFINITY };
  for (let columns = 1; columns <= Math.max(1, input.hosts.length); columns++) {
    const layout = layoutWithColumns(input, width, columns);
    if (!layout) continue;
    const rows = Math.ceil(input.hosts.length / columns);
    const score = layout.height + 6 * (rows * columns - input.hosts.length);
    if (score < best.score) best = { columns, score };
  }
  // One column always lays out (wider than the panel if it must be).
  return best.columns;
}

function layoutWithColumns(input: LayoutInput, panelWidth: number, nc: number): TopologyLayout | null {
  const S = SIZES;
  const hostIndex = new Map(input.hosts.map((h, i) => [h, i]));
  const nr = Math.max(1, Math.ceil(input.hosts.length / nc));
  const cells: Cell[] = input.hosts.map((_, i) => {
    const row = Math.floor(i / nc);
    return { row, col: row % 2 === 0 ? i % nc : nc - 1 - (i % nc) };
  });

  const plans = planRoutes(input, hostIndex, cells, nc);

  // Vertical channels: lanes for the long routes' vertical runs, by the channel rows they span.
  const verticalLanes = new Array<number>(nc + 1).fill(0);
  for (let v = 0; v <= nc; v++) {
    const inChannel = plans.filter((p) => p.kind === 'long' && p.v === v);
    const { lanes, count } = assignLanes(
      inChannel.map((p) => ({ lo: cells[p.s].row + 1, hi: cells[p.t].row })),
      0,
    );
    inChannel.forEach((p, k) => {
      p.vLane = lanes[k];
    });
    verticalLanes[v] = count;
  }
  const straightGaps = new Set(
    plans.filter((p) => p.kind === 'straight').map((p) => Math.max(cells[p.s].col, cells[p.t].col)),
  );

  // VM slots: each host holds its VMs at rest and a slot for each VM on its way in.
  const slots: number[][] = input.hosts.map(() => []);
  const movingTo = input.vms.map((vm) => {
    const to = vm.moving ? hostIndex.get(vm.moving.to) : undefined;
    return to !== undefined && to !== hostIndex.get(vm.host) ? to : undefined;
  });
  input.vms.forEach((vm, i) => {
    const from = hostIndex.get(vm.host);
    if (from !== undefined) slots[from].push(i);
    const to = movingTo[i];
    if (to !== undefined) slots[to].push(i);
  });
  const mostSlots = Math.max(0, ...slots.map((s) => s.length));

  // Column widths: channels at their minimum, hosts as wide as fits, then room for labels.
  const base = verticalLanes.map((lanes, v) => {
    const forLanes = lanes > 0 ? 2 * S.verticalPad + (lanes - 1) * S.verticalLane : 0;
    return v === 0 || v === nc ? S.margin + forLanes : Math.max(S.minGap, forLanes);
  });
  const soft = base.map((b, v) => (straightGaps.has(v) ? Math.max(b, S.straightLabelWidth) : b));
  const hostCap = Math.max(S.hostMaxWidth, Math.ceil(mostSlots / 3) * (S.vmPreferredWidth + S.vmGap) + 2 * S.hostPad);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  let hostW = Math.min(hostCap, (panelWidth - sum(soft)) / nc);
  if (hostW < S.hostMinWidth) hostW = Math.min(hostCap, (panelWidth - sum(base)) / nc);
  if (hostW < S.hostMinWidth) {
    if (nc > 1) return null;
    hostW = S.hostMinWidth;
  }
  const gaps = spreadExtra(base, soft, Math.max(0, panelWidth - nc * hostW - sum(base)), nc);
  const colX: number[] = [];
  let x = gaps[0];
  for (let c = 0; c < nc; c++) {
    colX.push(x);
    x += hostW + gaps[c + 1];
  }
  // Rounding aside, the columns fill the panel exactly unless one host is wider than it.
  const width = x > panelWidth + 0.5 ? x : panelWidth;
  const channelX = (v: number): [number, number] => [v === 0 ? 0 : colX[v - 1] + hostW, v === nc ? width : colX[v]];
  const verticalLaneX = (v: number, lane: number) => {
    const [l, r] = channelX(v);
    return (l + r) / 2 - ((verticalLanes[v] - 1) * S.verticalLane) / 2 + lane * S.verticalLane;
  };

  // Host sizes: VMs in rows of as many as fit.
  const inner = hostW - 2 * S.hostPad;
  const fits = (w: number) => Math.max(1, Math.floor((inner + S.vmGap) / (w + S.vmGap)));
  const grids = slots.map((s) => {
    const perRow = Math.max(fits(S.vmPreferredWidth), Math.min(fits(S.vmMinWidth), Math.ceil(s.length / S.vmRows)));
    const vmW = Math.min(S.vmMaxWidth, (inner - (perRow - 1) * S.vmGap) / perRow);
    return { perRow, vmW, indent: S.hostPad + (inner - perRow * vmW - (perRow - 1) * S.vmGap) / 2 };
  });
  const hostH = slots.map((s, i) => {
    const rows = Math.ceil(s.length / grids[i].perRow);
    return S.hostHead + (rows > 0 ? rows * (S.vmHeight + S.vmGap) - S.vmGap + S.hostPad : S.emptyHostBody);
  });
  const rowH = new Array<number>(nr).fill(0);
  input.hosts.forEach((_, i) => {
    rowH[cells[i].row] = Math.max(rowH[cells[i].row], hostH[i]);
  });

  // Ports: where each routed link leaves or enters a host's top or bottom edge.
  const hostCenterX = (i: number) => colX[cells[i].col] + hostW / 2;
  const port = new Map<string, number>();
  const sides = new Map<string, { plan: Plan; toward: number; end: 's' | 't' }[]>();
  const addPort = (host: number, side: 'top' | 'bottom', plan: Plan, toward: number, end: 's' | 't') => {
    const key = `${host}:${side}`;
    const list = sides.get(key) ?? [];
    list.push({ plan, toward, end });
    sides.set(key, list);
  };
  for (const p of plans) {
    const longX = p.kind === 'long' ? verticalLaneX(p.v, p.vLane) : 0;
    if (p.kind === 'arc') {
      addPort(p.s, 'top', p, hostCenterX(p.t), 's');
      addPort(p.t, 'top', p, hostCenterX(p.s), 't');
    } else if (p.kind === 'dogleg' || p.kind === 'long') {
      addPort(p.s, 'bottom', p, p.kind === 'long' ? longX : hostCenterX(p.t), 's');
      addPort(p.t, 'top', p, p.kind === 'long' ? longX : hostCenterX(p.s), 't');
    }
  }
  for (const [key, list] of sides) {
    const host = Number(key.split(':')[0]);
    list.sort((a, b) => a.toward - b.toward || a.plan.link - b.plan.link);
    list.forEach((entry, k) => {
      port.set(`${entry.plan.link}:${entry.end}`, colX[cells[host].col] + (hostW * (k + 1)) / (list.length + 1));
    });
  }
  const portX = (p: Plan, end: 's' | 't') => port.get(`${p.link}:${end}`) as number;

  // Horizontal channels (0 above the first row): a lane per run, shared by runs far enough apart.
  interface Run {
    plan: Plan;
    channel: number;
    lo: number;
    hi: number;
    labelled: boolean;
    /** A label above a straight link: first on the lane nearest the row, so its leader meets no other label. */
    above: boolean;
    lane: number;
  }
  const gapOf = (p: Plan): [number, number] => {
    const left = Math.min(cells[p.s].col, cells[p.t].col);
    return [colX[left] + hostW, colX[left + 1]];
  };
  const labelAbove = (p: Plan) => {
    const [l, r] = gapOf(p);
    return r - l - 8 < S.straightLabelMin;
  };
  const runs: Run[] = [];
  const addRun = (plan: Plan, channel: number, x1: number, x2: number, labelled: boolean, above = false) =>
    runs.push({ plan, channel, lo: Math.min(x1, x2), hi: Math.max(x1, x2), labelled, above, lane: 0 });
  for (const p of plans) {
    const rs = cells[p.s].row;
    const rt = cells[p.t].row;
    if (p.kind === 'straight' && labelAbove(p)) {
      const [l, r] = gapOf(p);
      addRun(p, rs, (l + r) / 2, (l + r) / 2, true, true);
    }
    if (p.kind === 'arc') addRun(p, rs, portX(p, 's'), portX(p, 't'), true);
    if (p.kind === 'dogleg') addRun(p, rs + 1, portX(p, 's'), portX(p, 't'), true);
    if (p.kind === 'long') {
      const xv = verticalLaneX(p.v, p.vLane);
      addRun(p, rs + 1, portX(p, 's'), xv, true);
      addRun(p, rt, xv, portX(p, 't'), false);
    }
  }
  const labelWidth = Math.min(S.linkLabelWidth, width - 2 * S.margin);
  // Neighbouring gaps' centres are at least a host's width plus the narrowest gap apart: labels
  // narrower than a host (with their corners and spacing) all fit on the first lane.
  const widthOf = (run: Run) => (run.above ? Math.min(labelWidth, hostW + S.minGap - 2 * S.corner - 8) : labelWidth);
  const labelSpan = (run: Run): Interval => {
    const w = widthOf(run);
    const lo = Math.min(Math.max(S.margin, (run.lo + run.hi) / 2 - w / 2), width - S.margin - w);
    return { lo, hi: lo + w };
  };
  const laneCount = new Array<number>(nr + 1).fill(0);
  for (let k = 0; k <= nr; k++) {
    const inChannel = runs
      .filter((r) => r.channel === k)
      .sort((a, b) => Number(b.above) - Number(a.above) || a.hi - a.lo - (b.hi - b.lo) || a.plan.link - b.plan.link);
    const { lanes, count } = assignLanes(
      inChannel.map((r) => {
        const label = r.labelled ? labelSpan(r) : r;
        return { lo: Math.min(r.lo, label.lo) - S.corner, hi: Math.max(r.hi, label.hi) + S.corner };
      }),
      4,
    );
    inChannel.forEach((r, i) => {
      r.lane = lanes[i];
    });
    laneCount[k] = count;
  }

  // Rows and channels top to bottom.
  const channelH = laneCount.map((n, k) =>
    n > 0 ? n * S.lane + S.lanePad : k === 0 || k === nr ? S.margin : S.rowGap,
  );
  const rowY: number[] = [];
  const channelBottom: number[] = [];
  let y = 0;
  for (let r = 0; r < nr; r++) {
    y += channelH[r];
    channelBottom.push(y);
    rowY.push(y);
    y += rowH[r];
  }
  y += channelH[nr];
  channelBottom.push(y);
  const height = y;
  const laneY = (run: Run) => channelBottom[run.channel] - S.lanePad - run.lane * S.lane;

  const hosts: HostLayout[] = input.hosts.map((id, i) => ({
    id,
    row: cells[i].row,
    col: cells[i].col,
    x: colX[cells[i].col],
    y: rowY[cells[i].row],
    w: hostW,
    h: hostH[i],
  }));

  const slotBox = (host: number, vm: number): Box => {
    const k = slots[host].indexOf(vm);
    const h = hosts[host];
    const { perRow, vmW, indent: vmIndent } = grids[host];
    return {
      x: h.x + vmIndent + (k % perRow) * (vmW + S.vmGap),
      y: h.y + S.hostHead + Math.floor(k / perRow) * (S.vmHeight + S.vmGap),
      w: vmW,
      h: S.vmHeight,
    };
  };
  const vms: VmLayout[] = [];
  input.vms.forEach((vm, i) => {
    const from = hostIndex.get(vm.host);
    if (from === undefined) return;
    const rest = slotBox(from, i);
    const to = movingTo[i];
    if (to === undefined) {
      vms.push({ id: vm.id, host: vm.host, ...rest });
      return;
    }
    const target = slotBox(to, i);
    const progress = Math.min(1, Math.max(0, vm.moving?.progress ?? 0));
    const w = rest.w + (target.w - rest.w) * progress;
    vms.push({ id: vm.id, host: vm.host, ...lerp(rest, target, progress), w, h: S.vmHeight, target });
  });

  const runsOf = new Map<number, Run[]>();
  for (const r of runs) runsOf.set(r.plan.link, [...(runsOf.get(r.plan.link) ?? []), r]);
  const links: LinkLayout[] = plans.map((p) => {
    const [hs, ht] = [hosts[p.s], hosts[p.t]];
    let points: Point[];
    let label: LabelLayout;
    let leader: [Point, Point] | undefined;
    if (p.kind === 'straight' && labelAbove(p)) {
      const [l, r] = gapOf(p);
      const ly = hs.y + Math.min(hs.h, ht.h) / 2;
      const [left, right] = hs.x < ht.x ? [hs, ht] : [ht, hs];
      points = [
        { x: left.x + hostW, y: ly },
        { x: right.x, y: ly },
      ];
      const run = (runsOf.get(p.link) as Run[])[0];
      const y1 = laneY(run);
      const span = labelSpan(run);
      label = {
        x: (span.lo + span.hi) / 2,
        y: y1 - 3,
        maxWidth: span.hi - span.lo,
        lines: 1,
        box: { x: span.lo, y: y1 - 2 - S.labelHeight, w: span.hi - span.lo, h: S.labelHeight },
      };
      leader = [
        { x: (l + r) / 2, y: y1 - 2 },
        { x: (l + r) / 2, y: ly },
      ];
    } else if (p.kind === 'straight') {
      const [left, right] = hs.x < ht.x ? [hs, ht] : [ht, hs];
      const ly = left.y + Math.min(left.h, right.h) / 2;
      points = [
        { x: hs.x < ht.x ? hs.x + hostW : hs.x, y: ly },
        { x: hs.x < ht.x ? ht.x : ht.x + hostW, y: ly },
      ];
      const gapL = left.x + hostW;
      const gapW = right.x - gapL;
      label = {
        x: gapL + gapW / 2,
        y: ly - 4,
        maxWidth: Math.max(0, gapW - 8),
        lines: 2,
        box: { x: gapL + 4, y: ly - 4 - S.labelHeight, w: Math.max(0, gapW - 8), h: 2 * S.labelHeight + 6 },
      };
    } else {
      const [first, second] = runsOf.get(p.link) as Run[];
      const y1 = laneY(first);
      const xs = portX(p, 's');
      const xt = portX(p, 't');
      const top = (h: HostLayout) => h.y;
      const bottom = (h: HostLayout) => h.y + h.h;
      if (p.kind === 'arc') {
        points = [
          { x: xs, y: top(hs) },
          { x: xs, y: y1 },
          { x: xt, y: y1 },
          { x: xt, y: top(ht) },
        ];
      } else if (p.kind === 'dogleg') {
        points = [
          { x: xs, y: bottom(hs) },
          { x: xs, y: y1 },
          { x: xt, y: y1 },
          { x: xt, y: top(ht) },
        ];
      } else {
        const xv = verticalLaneX(p.v, p.vLane);
        const y2 = laneY(second);
        points = [
          { x: xs, y: bottom(hs) },
          { x: xs, y: y1 },
          { x: xv, y: y1 },
          { x: xv, y: y2 },
          { x: xt, y: y2 },
          { x: xt, y: top(ht) },
        ];
      }
      const span = labelSpan(first);
      label = {
        x: (span.lo + span.hi) / 2,
        y: y1 - 3,
        maxWidth: labelWidth,
        lines: 1,
        box: { x: span.lo, y: y1 - 2 - S.labelHeight, w: labelWidth, h: S.labelHeight },
      };
    }
    points = simplify(points);
    const link = input.links[p.link];
    return { index: p.link, a: link.a, b: link.b, points, d: roundedPath(points, S.corner), label, leader };
  });
  links.sort((a, b) => a.index - b.index);

  return { width, height, columns: nc, hosts, vms, links };
}

/** Which way each link goes: straight to a neighbour in its row, or along channels. */
function planRoutes(input: LayoutInput, hostIndex: Map<string, number>, cells: Cell[], nc: number): Plan[] {
  const plans: Plan[] = [];
  const straightPairs = new Set<string>();
  input.links.forEach((link, i) => {
    let s = hostIndex.get(link.a);
    let t = hostIndex.get(link.b);
    if (s === undefined || t === undefined || s === t) return;
    const [cs, ct] = [cells[s], cells[t]];
    if (cs.row > ct.row || (cs.row === ct.row && cs.col > ct.col)) [s, t] = [t, s];
    const [a, b] = [cells[s], cells[t]];
    let kind: Kind;
    if (a.row === b.row) {
      const pair = `${s}-${t}`;
      kind = b.col - a.col === 1 && !straightPairs.has(pair) ? 'straight' : 'arc';
      if (kind === 'straight') straightPairs.add(pair);
    } else kind = b.row === a.row + 1 ? 'dogleg' : 'long';
    // The long way down runs in the gap beside the upper host, on the side of the lower one.
    const v = a.col < b.col ? a.col + 1 : a.col > b.col ? a.col : a.col + 1 < nc ? a.col + 1 : a.col;
    plans.push({ link: i, s, t, kind, v, vLane: 0 });
  });
  return plans;
}

/**
 * Channel widths: each at least `base`; the room left over goes first to gaps that hold a
 * straight link's label (up to `soft`), then evenly to the inner gaps, the rest to both edges.
 */
function spreadExtra(base: number[], soft: number[], extra: number, nc: number): number[] {
  const gaps = base.slice();
  const need = soft.map((s, v) => s - base[v]);
  const totalNeed = need.reduce((a, b) => a + b, 0);
  const share = totalNeed > 0 ? Math.min(1, extra / totalNeed) : 0;
  need.forEach((n, v) => {
    gaps[v] += n * share;
  });
  let left = extra - totalNeed * share;
  if (nc > 1) {
    const each = left / (nc - 1);
    for (let v = 1; v < nc; v++) {
      const add = Math.max(0, Math.min(each, SIZES.maxInnerGap - gaps[v]));
      gaps[v] += add;
      left -= add;
    }
  }
  gaps[0] += left / 2;
  gaps[nc] += left / 2;
  return gaps;
}

/** Drops repeated points and points in the middle of a straight run. */
function simplify(points: Point[]): Point[] {
  const same = (a: Point, b: Point) => Math.abs(a.x - b.x) < 1e-9 && Math.abs(a.y - b.y) < 1e-9;
  const out: Point[] = [];
  for (const p of points) if (!out.length || !same(out[out.length - 1], p)) out.push(p);
  for (let i = out.length - 2; i > 0; i--) {
    const [a, b, c] = [out[i - 1], out[i], out[i + 1]];
    if ((a.x === b.x && b.x === c.x) || (a.y === b.y && b.y === c.y)) out.splice(i, 1);
  }
  return out;
}
