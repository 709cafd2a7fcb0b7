import * as d3 from 'd3';
import { useEffect, useRef } from 'react';
import { formatBytes } from '../../../engine/kernel/clock';
import type { Frame } from '../../../worker/protocol';

const W = 720;
const H = 150;
const HOST_W = 220;
const HOST_H = 110;

/** Hosts as boxes, each VM inside the host it runs on, links with their live stream rate. */
export function Topology({ frame, hosts }: { frame: Frame; hosts: string[] }) {
  const ref = useRef<SVGSVGElement>(null);

  useEffect(() => {
    const svg = d3.select(ref.current);
    const x = d3
      .scalePoint<string>()
      .domain(hosts)
      .range([HOST_W / 2 + 10, W - HOST_W / 2 - 10])
      .padding(hosts.length === 1 ? 0.5 : 0);
    const hostX = (id: string) => x(id) ?? W / 2;

    const links = svg
      .selectAll<SVGGElement, Frame['links'][number]>('g.link')
      .data(frame.links, (l) => `${l.a}-${l.b}`)
      .join((enter) => {
        const g = enter.insert('g', ':first-child').attr('class', 'link');
        g.append('line');
        g.append('text').attr('class', 'link-label');
        g.append('text').attr('class', 'link-rate');
        return g;
      });
    links
      .select('line')
      .attr('x1', (l) => hostX(l.a) + HOST_W / 2)
      .attr('x2', (l) => hostX(l.b) - HOST_W / 2)
      .attr('y1', H / 2)
      .attr('y2', H / 2)
      .classed('down', (l) => !l.up)
      .classed('busy', (l) => l.currentBps > 0);
    links
      .select('text.link-label')
      .attr('x', (l) => (hostX(l.a) + hostX(l.b)) / 2)
      .attr('y', H / 2 - 10)
      .text((l) => `${l.bandwidthMiBps} MiB/s · ${l.latencyUs} µs${l.up ? '' : ' · DOWN'}`);
    links
      .select('text.link-rate')
      .attr('x', (l) => (hostX(l.a) + hostX(l.b)) / 2)
      .attr('y', H / 2 + 20)
      .text((l) => (l.currentBps > 0 ? `streaming ${formatBytes(l.currentBps)}/s →` : 'idle'));

    const hostGroups = svg
      .selectAll<SVGGElement, string>('g.host')
      .data(hosts, (h) => h)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'host');
        g.append('rect').attr('rx', 8);
        g.append('text').attr('class', 'host-label');
        return g;
      })
      .attr('transform', (h) => `translate(${hostX(h) - HOST_W / 2},${(H - HOST_H) / 2})`);
    hostGroups.select('rect').attr('width', HOST_W).attr('height', HOST_H);
    hostGroups
      .select('text.host-label')
      .attr('x', 10)
      .attr('y', 20)
      .text((h) => h);

    const vms = svg
      .selectAll<SVGGElement, Frame['vms'][number]>('g.vm')
      .data(frame.vms, (v) => v.id)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'vm');
        g.append('rect')
          .attr('rx', 5)
          .attr('width', HOST_W - 40)
          .attr('height', 44);
        g.append('text').attr('class', 'vm-label').attr('x', 10).attr('y', 18);
        g.append('text').attr('class', 'vm-state').attr('x', 10).attr('y', 35);
        return g;
      });
    vms.attr('transform', (v, i) => `translate(${hostX(v.host) - HOST_W / 2 + 20},${(H - HOST_H) / 2 + 34 + i * 50})`);
    vms.attr('class', (v) => `vm vm-${v.state}`);
    vms.select('text.vm-label').text((v) => `${v.id} · ${v.memoryMiB} MiB`);
    vms
      .select('text.vm-state')
      .text((v) => `${v.state}${v.throttlePct > 0 ? ` · vCPUs throttled ${v.throttlePct}%` : ''}`);
  }, [frame, hosts]);

  return <svg ref={ref} className="topology" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="hosts, VMs and links" />;
}
