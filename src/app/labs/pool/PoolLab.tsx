import type { PoolLabView, PoolMetrics } from '../../../engine/pool';
import type { Frame } from '../../../worker/protocol';
import { BlockMap, BlockMapLegend } from './BlockMap';
import { DiskStrips } from './DiskStrips';
import { JobsLegend, JobsTimeline } from './JobsTimeline';
import { UtilisationChart } from './UtilisationChart';

export function PoolLab({ frame }: { frame: Frame }) {
  const view = frame.labs.pool as PoolLabView | undefined;
  if (!view || view.pools.length === 0) return <p className="muted panel">This scenario has no pool.</p>;
  return (
    <div className="pool-view" data-testid="pool-lab">
      <h2 className="sr-only">Elastic pool</h2>
      {view.pools.map((p, entry) => (
        <div key={p.id} className="pool-entry">
          <section className="panel">
            <h3>
              Pool file {p.id}: {p.strategy}, {p.capacity} extents of {p.extentKiB} KiB
            </h3>
            <div className="pool-row">
              <BlockMap pool={p} entry={entry} />
              <BlockMapLegend pool={p} />
            </div>
          </section>
          <section className="panel">
            <h3>Temporary disks and their extent maps</h3>
            <DiskStrips pool={p} />
          </section>
          <section className="panel">
            <h3>Jobs per VM</h3>
            <JobsTimeline pool={p} nowNs={frame.timeNs} />
            <JobsLegend />
          </section>
          <section className="panel">
            <h3>Space over time on these jobs</h3>
            <UtilisationChart pool={p} nowNs={frame.timeNs} />
          </section>
        </div>
      ))}
    </div>
  );
}

export function PoolSide({ frame }: { frame: Frame }) {
  const metrics = (frame.metrics.pool ?? []) as PoolMetrics[];
  return (
    <>
      {metrics.map((m) => (
        <section className="panel" key={m.id} data-testid="pool-metrics">
          <h3>
            {m.id}: {m.strategy}
          </h3>
          <div className="metrics pool-metrics">
            <span>used / size</span>
            <span data-testid="pool-used">
              {m.usedMiB} / {m.sizeMiB} MiB ({m.utilisationPct.toFixed(0)}%)
            </span>
            <span>peak used</span>
            <span>{m.peakUsedMiB} MiB</span>
            <span>sum of VM peaks</span>
            <span>{m.sumOfVmPeaksMiB} MiB</span>
            <span>provisioned</span>
            <span>{m.provisionedMiB} MiB</span>
            <span>extents allocated / freed</span>
            <span>
              {m.extentsAllocated} / {m.extentsFreed}
            </span>
            <span>map entries</span>
            <span>{m.mapEntries}</span>
            <span>jobs completed / failed</span>
            <span data-testid="pool-jobs-figures">
              {m.jobsCompleted} / {m.jobsFailed}
            </span>
            <span>commands failed</span>
            <span>{m.commandsFailed}</span>
            <span>VMs not started</span>
            <span>{m.vmsNotStarted}</span>
            <span>queued</span>
            <span>{m.queuedMs.toFixed(0)} ms</span>
            <span>overhead per command</span>
            <span>{m.redirectOverheadUs.toFixed(1)} µs</span>
            <span>every read verified</span>
            <span data-testid="pool-verified">{m.verified ? 'yes' : 'NO'}</span>
            <span>isolation violations</span>
            <span>{m.isolationViolations}</span>
          </div>
          <table className="pool-vms">
            <thead>
              <tr>
                <th>vm</th>
                <th>used</th>
                <th>peak</th>
                <th>failed jobs</th>
              </tr>
            </thead>
            <tbody>
              {m.vms.map((v) => (
                <tr key={v.vm}>
                  <td>{v.vm}</td>
                  <td>{v.usedMiB} MiB</td>
                  <td>{v.peakMiB} MiB</td>
                  <td>{v.failedJobs}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}
