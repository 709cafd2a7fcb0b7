import { useStore } from '../../store/store';
import { MemoryGrid } from './MemoryGrid';
import { DESTINATION_STATES, SOURCE_STATES } from './pageColors';
import { RoundChart } from './RoundChart';
import { RoundTable } from './RoundTable';

/** Source and destination memory of each migrating VM, each with its legend, and the rounds. */
export function MigrationView() {
  const frame = useStore((s) => s.frame);
  if (!frame) return <p className="muted">Loading…</p>;
  if (frame.grids.length === 0) return <p className="muted">This scenario has no migration.</p>;
  return (
    <div className="migration-view">
      {frame.grids.map((g, i) => {
        const m = frame.metrics[i];
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
                testId="grid-source"
              />
              <MemoryGrid
                title={moved ? `${g.vm} on ${g.to}` : `copy on ${g.to}`}
                subtitle={
                  moved ? `destination · ${vm?.state === 'running' ? 'running' : vm?.state} here` : 'destination'
                }
                states={g.destination}
                legendStates={DESTINATION_STATES}
                testId="grid-destination"
              />
              <RoundChart rounds={m.rounds} />
            </div>
            <RoundTable rounds={m.rounds} />
          </section>
        );
      })}
    </div>
  );
}
