import { type CheckpointMetrics, STRATEGY_LABELS } from '../../../engine/checkpoint';
import { fmtInt, fmtMs, formatBytes } from '../../format';

/** A protected VM's figures. */
export function MetricsPanel({ m }: { m: CheckpointMetrics }) {
  const rows: [string, string, string?][] = [
    ['status', m.status],
    ['epochs', fmtInt(m.epochs)],
    ['stun mean / p99 / max', `${fmtMs(m.stunMs.mean)} / ${fmtMs(m.stunMs.p99)} / ${fmtMs(m.stunMs.max)}`],
    [
      'slowdown',
      `${m.slowdownPct.toFixed(2)}%`,
      'time the VM did no work because of checkpointing, of the protected time',
    ],
    ['bytes per epoch', `${formatBytes(Math.round(m.bytesPerEpoch.mean))} (max ${formatBytes(m.bytesPerEpoch.max)})`],
    ['pages per epoch', m.pagesPerEpoch.toFixed(0)],
    ['whole pages / diffs', `${fmtInt(m.fullPages)} / ${fmtInt(m.deltaPages)}`],
    [
      'sent while running',
      fmtInt(m.pagesSentWhileRunning),
      'pages sent before their epoch’s stun (the patent’s early send)',
    ],
    ['bytes saved', `${m.bytesSavedPct.toFixed(1)}%`, 'against sending every page of each checkpoint whole'],
    [
      'output delay p50 / p99',
      `${fmtMs(m.outputDelayMs.p50)} / ${fmtMs(m.outputDelayMs.p99)}`,
      'how long a response waited in the output buffer',
    ],
    ['responses released', fmtInt(m.packetsReleased)],
    ['held now', fmtInt(m.packetsHeldNow)],
    [
      'verified checkpoints',
      fmtInt(m.verifiedCheckpoints),
      'commits after which the backup equalled the primary at the stun',
    ],
  ];
  if (m.status === 'failed-over') {
    rows.push(['failover', fmtMs(m.failoverMs), 'from the failure to the VM running on the backup']);
    rows.push(['acknowledged bytes lost', fmtInt(m.lostAckedBytes)]);
    rows.push([
      'responses lost',
      fmtInt(m.responsesLostOnFailover),
      'responses a client saw that the backup does not know',
    ]);
  }
  return (
    <section className="panel metrics" aria-label={`metrics of ${m.vm}`}>
      <h3>
        {m.vm}: {STRATEGY_LABELS[m.strategy as keyof typeof STRATEGY_LABELS]} → {m.backup}
      </h3>
      <p className={`status ck-status-${m.status}`} data-testid="checkpoint-metrics-status">
        {m.status}
        {m.mismatchedPages === 0 && m.verifiedFailover !== false
          ? ' · verified byte-equal ✓'
          : ` · ${fmtInt(m.mismatchedPages)} pages DIFFER ✗`}
      </p>
      {m.note && <p className="note">{m.note}</p>}
      <dl>
        {rows.map(([k, v, hint]) => (
          <div key={k} title={hint}>
            <dt>{k}</dt>
            <dd data-metric={k}>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
