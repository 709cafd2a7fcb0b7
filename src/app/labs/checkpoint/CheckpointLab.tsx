import {
  BACKUP_STATE_INFO,
  type CheckpointMetrics,
  type CheckpointView,
  PRIMARY_STATE_INFO,
  STRATEGY_LABELS,
} from '../../../engine/checkpoint';
import type { Frame } from '../../../worker/protocol';
import { fmtMs } from '../../format';
import { inspect } from '../../store/workerClient';
import { BytesChart } from './BytesChart';
import { BACKUP_COLORS, BACKUP_PATTERNS, HEAT_COLORS, HEAT_PATTERNS, PRIMARY_COLORS, PRIMARY_PATTERNS } from './colors';
import { EpochLanes } from './EpochLanes';
import { FailButton } from './FailButton';
import { OutputQueue } from './OutputQueue';
import { PageGrid } from './PageGrid';

const HEAT_LEGEND = Array.from({ length: 9 }, (_, n) => ({
  id: n,
  name: n === 0 ? '0' : n === 8 ? '8 of 8' : String(n),
  meaning: `dirtied in ${n} of the last 8 epochs${n <= 1 ? ': rarely re-dirtied, sent while the VM runs' : ''}`,
}));

/** The primary and the backup side by side, the epoch lanes, the output buffer and the bytes of each checkpoint. */
export function CheckpointLab({ frame }: { frame: Frame }) {
  const view = frame.labs.checkpoint as CheckpointView | undefined;
  const metrics = (frame.metrics.checkpoint ?? []) as CheckpointMetrics[];
  if (!view || view.entries.length === 0) return <p className="muted panel">This scenario has no checkpointed VM.</p>;
  return (
    <div className="ck-view">
      <h2 className="sr-only">Checkpointing</h2>
      {view.entries.map((e, i) => {
        const m = metrics[i];
        const select = (side: 'primary' | 'backup') => (page: number) =>
          inspect({ mechanism: 'checkpoint', item: 'page', entry: i, side, index: page });
        const size = `${(e.pages / 256).toLocaleString('en-US')} MiB`;
        const failed = e.failNs >= 0;
        return (
          <section key={e.vm} className="panel ck-entry">
            <header className="ck-head">
              <p className={`status ck-status-${e.status}`} data-testid="checkpoint-status">
                {e.vm}: {STRATEGY_LABELS[e.strategy as keyof typeof STRATEGY_LABELS]} · {e.status} · epoch {e.epochMs}{' '}
                ms · checkpoint {e.committed} committed
                {m && m.mismatchedPages === 0 ? ' · backup verified byte-equal at every commit ✓' : ''}
                {m?.status === 'failed-over' &&
                  ` · failed over in ${fmtMs(m.failoverMs)}, ${m.responsesLostOnFailover} responses lost`}
              </p>
              <FailButton
                host={e.primary}
                nowNs={view.nowNs}
                eventIndex={frame.eventIndex}
                disabled={failed || e.status !== 'protecting' || frame.finished}
              />
            </header>
            <div className="ck-grids">
              <PageGrid
                title={`${e.vm} on ${e.primary}`}
                subtitle={`primary · ${size}`}
                states={e.primaryStates}
                colors={PRIMARY_COLORS}
                patterns={PRIMARY_PATTERNS}
                legend={PRIMARY_STATE_INFO}
                onSelect={select('primary')}
                testId="grid-primary"
              />
              <PageGrid
                title={`backup on ${e.backup}`}
                subtitle="the second buffer"
                states={e.backupStates}
                colors={BACKUP_COLORS}
                patterns={BACKUP_PATTERNS}
                legend={BACKUP_STATE_INFO}
                onSelect={select('backup')}
                testId="grid-backup"
              />
              {e.heat && (
                <PageGrid
                  title="modification history"
                  subtitle="epochs dirtied, of the last 8"
                  states={e.heat}
                  colors={HEAT_COLORS}
                  patterns={HEAT_PATTERNS}
                  legend={HEAT_LEGEND}
                  onSelect={select('primary')}
                  testId="grid-history"
                />
              )}
            </div>
            <EpochLanes
              epochs={e.epochs}
              nowNs={view.nowNs}
              epochMs={e.epochMs}
              failNs={e.failNs}
              detectNs={e.detectNs}
            />
            <div className="ck-bottom">
              <OutputQueue entry={e} m={m} />
              <BytesChart epochs={e.epochs} />
            </div>
          </section>
        );
      })}
    </div>
  );
}
