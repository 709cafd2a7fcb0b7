import { useMemo } from 'react';
import type { GridView } from '../../../worker/protocol';
import { useStore } from '../../store/store';
import { Legend } from './Legend';
import { MemoryGrid } from './MemoryGrid';
import { RoundChart } from './RoundChart';
import { RoundTable } from './RoundTable';

function countStates(grids: GridView[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const g of grids) {
    for (const arr of [g.source, g.destination]) for (const s of arr) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}

/** Source and destination memory of each migrating VM, the legend, the rounds. */
export function MigrationView() {
  const frame = useStore((s) => s.frame);
  const counts = useMemo(() => countStates(frame?.grids ?? []), [frame]);
  if (!frame) return <p className="muted">Loading…</p>;
  if (frame.grids.length === 0) return <p className="muted">This scenario has no migration.</p>;
  return (
    <div className="migration-view">
      {frame.grids.map((g, i) => {
        const m = frame.metrics[i];
        return (
          <section key={g.vm} className="panel">
            <div className="grids">
              <MemoryGrid
                title={`${g.vm} on ${g.from}`}
                subtitle={`source · ${(g.pages / 256).toLocaleString('en-US')} MiB`}
                states={g.source}
                testId="grid-source"
              />
              <MemoryGrid
                title={`copy on ${g.to}`}
                subtitle="destination"
                states={g.destination}
                testId="grid-destination"
              />
              <RoundChart rounds={m.rounds} />
            </div>
            <Legend counts={counts} />
            <RoundTable rounds={m.rounds} />
          </section>
        );
      })}
    </div>
  );
}
