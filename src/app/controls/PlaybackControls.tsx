import type { Command } from '../../worker/protocol';
import { fmtSpeed, formatDuration } from '../format';
import { useStore } from '../store/store';
import { cancel, move, setSpeed, togglePlay } from '../store/workerClient';

export const SPEEDS = [0.001, 0.01, 0.1, 0.25, 1, 10, 100, Number.POSITIVE_INFINITY];

/** The buttons in order; `back` ones are disabled at event 0, the others once the run is over. */
const BUTTONS: { label: string; title: string; command: Command | 'play'; back?: boolean }[] = [
  { label: '|◀', title: 'Restart (Home)', command: { type: 'seek', eventIndex: 0 }, back: true },
  { label: '◀', title: 'Step back (←)', command: { type: 'stepBack', count: 1 }, back: true },
  { label: 'play', title: 'Play / pause (space)', command: 'play' },
  { label: '▶︎|', title: 'Step one event (→)', command: { type: 'step', count: 1 } },
  { label: '+100', title: 'Step 100 events', command: { type: 'step', count: 100 } },
  { label: '▶ phase', title: 'Next phase (Shift+→)', command: { type: 'nextPhase' } },
  { label: '▶▶|', title: 'Run to the end, or to the next breakpoint (End)', command: { type: 'runToEnd' } },
];

/** Play, step, step back, next phase, speed: the debugger's buttons. */
export function PlaybackControls() {
  const frame = useStore((s) => s.frame);
  const speed = useStore((s) => s.speed);
  const playing = frame?.playing ?? false;
  const finished = frame?.finished ?? false;
  const atStart = (frame?.eventIndex ?? 0) === 0;
  const busy = useStore((s) => s.busy);
  const loading = useStore((s) => s.loading);
  return (
    <section className="panel controls" aria-label="playback">
      <div className="buttons">
        {BUTTONS.map((b) =>
          b.command === 'play' ? (
            <button
              key="play"
              type="button"
              className="primary"
              onClick={togglePlay}
              disabled={!frame || finished || busy !== null}
              title={b.title}
              data-testid="play"
            >
              {playing ? '❙❙ Pause' : '▶ Play'}
            </button>
          ) : (
            <button
              key={b.label}
              type="button"
              onClick={() => move(b.command as Command)}
              disabled={!frame || busy !== null || (b.back ? atStart : finished)}
              title={b.title}
            >
              {b.label}
            </button>
          ),
        )}
      </div>
      <label className="speed">
        speed
        <select value={String(speed)} onChange={(e) => setSpeed(Number(e.target.value))} data-testid="speed">
          {SPEEDS.map((s) => (
            <option key={s} value={String(s)}>
              {fmtSpeed(s)}
            </option>
          ))}
        </select>
        <span className="muted">simulated seconds per second</span>
      </label>
      <p className="position">
        event <strong data-testid="event-index">{(frame?.eventIndex ?? 0).toLocaleString('en-US')}</strong> · t ={' '}
        <strong data-testid="sim-time">{formatDuration(frame?.timeNs ?? 0)}</strong>{' '}
        <span data-testid="run-status" className={finished ? 'done' : ''}>
          {!frame || loading ? 'loading…' : finished ? 'finished' : playing ? 'playing' : 'paused'}
        </span>
      </p>
      {busy && (
        <div className="busy" role="status" data-testid="busy">
          <span className="busy-spinner" aria-hidden="true" />
          <span data-testid="busy-label">
            {busy.label}
            {busy.progress !== null ? ` · ${Math.round(100 * busy.progress)}%` : '…'}
          </span>
          {busy.cancellable && (
            <button type="button" onClick={cancel} data-testid="cancel" title="Stop it where it got to (Esc)">
              Cancel
            </button>
          )}
        </div>
      )}
      {frame?.stopReason && frame.stopReason !== 'finished' && (
        <p className="stop-reason" data-testid="stop-reason">
          {frame.stopReason}
        </p>
      )}
    </section>
  );
}
