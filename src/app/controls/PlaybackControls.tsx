import { fmtSpeed, formatDuration } from '../format';
import { useStore } from '../store/store';
import { send, setSpeed, togglePlay } from '../store/workerClient';

export const SPEEDS = [0.001, 0.01, 0.1, 1, 10, 100, Number.POSITIVE_INFINITY];

/** Play, step, step back, next phase, speed: the debugger's buttons. */
export function PlaybackControls() {
  const frame = useStore((s) => s.frame);
  const speed = useStore((s) => s.speed);
  const playing = frame?.playing ?? false;
  const finished = frame?.finished ?? false;
  const atStart = (frame?.eventIndex ?? 0) === 0;
  return (
    <section className="panel controls" aria-label="playback">
      <div className="buttons">
        <button
          type="button"
          onClick={() => send({ type: 'seek', eventIndex: 0 })}
          disabled={!frame || atStart}
          title="Restart (Home)"
        >
          |◀
        </button>
        <button
          type="button"
          onClick={() => send({ type: 'stepBack', count: 1 })}
          disabled={!frame || atStart}
          title="Step back (←)"
        >
          ◀
        </button>
        <button
          type="button"
          className="primary"
          onClick={togglePlay}
          disabled={!frame || finished}
          title="Play / pause (space)"
          data-testid="play"
        >
          {playing ? '❙❙ Pause' : '▶ Play'}
        </button>
        <button
          type="button"
          onClick={() => send({ type: 'step', count: 1 })}
          disabled={!frame || finished}
          title="Step one event (→)"
        >
          ▶︎|
        </button>
        <button
          type="button"
          onClick={() => send({ type: 'step', count: 100 })}
          disabled={!frame || finished}
          title="Step 100 events"
        >
          +100
        </button>
        <button
          type="button"
          onClick={() => send({ type: 'nextPhase' })}
          disabled={!frame || finished}
          title="Next phase (Shift+→)"
        >
          ▶ phase
        </button>
        <button
          type="button"
          onClick={() => send({ type: 'runToEnd' })}
          disabled={!frame || finished}
          title="Run to the end (End)"
        >
          ▶▶|
        </button>
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
          {!frame ? 'loading…' : finished ? 'finished' : playing ? 'playing' : 'paused'}
        </span>
      </p>
      {frame?.stopReason && frame.stopReason !== 'finished' && (
        <p className="stop-reason" data-testid="stop-reason">
          {frame.stopReason}
        </p>
      )}
    </section>
  );
}
