import { formatBytes } from '../kernel/clock';
import type { Report } from '../mechanismDefinition';
import type { CheckpointMetrics } from './metrics';

const ms = (v: number) => `${v.toFixed(v >= 100 ? 0 : 2)} ms`;

/** How the CLI prints protected VMs: one row each. */
export const CHECKPOINT_REPORT: Report<CheckpointMetrics> = {
  columns: [
    { label: 'vm', value: (m) => m.vm },
    { label: 'strategy', value: (m) => m.strategy },
    { label: 'status', value: (m) => m.status },
    { label: 'epochs', value: (m) => String(m.epochs) },
    { label: 'stun mean', value: (m) => ms(m.stunMs.mean) },
    { label: 'stun p99', value: (m) => ms(m.stunMs.p99) },
    { label: 'slowdown', value: (m) => `${m.slowdownPct.toFixed(2)}%` },
    { label: 'bytes/epoch', value: (m) => formatBytes(Math.round(m.bytesPerEpoch.mean)) },
    { label: 'saved', value: (m) => `${m.bytesSavedPct.toFixed(1)}%` },
    { label: 'early pages', value: (m) => String(m.pagesSentWhileRunning) },
    { label: 'output p99', value: (m) => ms(m.outputDelayMs.p99) },
    { label: 'lost resp.', value: (m) => String(m.responsesLostOnFailover) },
    {
      label: 'verified',
      value: (m) =>
        m.mismatchedPages === 0 && m.verifiedFailover !== false
          ? `yes (${m.verifiedCheckpoints})`
          : `NO (${m.mismatchedPages} pages differ)`,
    },
  ],
  note: (m) =>
    m.status === 'failed-over'
      ? `${m.vm} failed over in ${ms(m.failoverMs)} from checkpoint ${m.committed}; acknowledged bytes lost: ${m.lostAckedBytes}`
      : m.note || undefined,
};
