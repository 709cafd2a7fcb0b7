import type { MigrationMetrics, MigrationView } from '../../../engine/migration';
import type { Frame } from '../../../worker/protocol';
import { inspect } from '../../store/workerClient';
import { MemoryGrid } from './MemoryGrid';
import { DESTINATION_STATES, SOURCE_STATES } from './pageColors';
import { RoundChart } from './RoundChart';
import { RoundTable } from './RoundTable';

/** Source and destination memory of each migrating VM, each with its legend, and the rounds. */
export function MigrationLab({ frame }: { frame: Frame }) {
  const view = frame.labs.migration as MigrationView | undefined;
  const metrics = (frame.metrics.migration ?? []) as MigrationMetrics[];
  if (!view || view.grids.length === 0) return <p className="muted panel">This scenario has no migration.</p>;
  return (
    <div className="migration-view">
      <h2 className="sr-only">Live migration</h2>
      {view.grids.map((g, i) => {
        const m = metrics[i];
        const select = (side: 'source' | 'destination') => (page: number) =>
          inspect({ mechanism: 'migration', item: 'page', entry: i, side, index: page });
        const size = `${(g.pages / 256).toLocaleString('en-US')} MiB`;
        // Once the VM runs on the destination, the source's memory is the reference it is checked against.
        const vm = frame.vms.find((v) => v.id === g.vm);
        const moved = vm?.host === g.to;
        return (
          <section key={g.vm} className="panel">
            <div className="grids">
              <MemoryGrid
                title={moved ? `${g.vm} left ${g.from}` : `${g.vm} on ${g.from}`}
                subtitle={moved ? `reference · mirrors writes made on ${g.to}` : `source · ${size}`}
                states={g.source}
                legendStates={SOURCE_STATES}
                onSelect={select('source')}
                testId="grid-source"
              />
              <MemoryGrid
                title={moved ? `${g.vm} on ${g.to}` : `copy on ${g.to}`}
                subtitle={
                  moved ? `destination · ${vm?.state === 'running' ? 'running' : vm?.state} here` : 'destination'
                }
                states={g.destination}
                legendStates={DESTINATION_STATES}
                onSelect={select('destination')}
                testId="grid-destination"
              />
              <RoundChart
                rounds={m.rounds}
                verdicts={m.strategy === 'precopy' ? m.roundVerdicts : []}
                limitMs={m.downtimeLimitMs}
              />
            </div>
            <RoundTable rounds={m.rounds} verdicts={m.strategy === 'precopy' ? m.roundVerdicts : []} />
          </section>
        );
      })}
    </div>
  );
}
