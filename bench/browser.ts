/**
 * Browser benchmark: plays a 1 GiB VM's migration (262,144 pages per grid) in Chromium and
 * prints frame times (requestAnimationFrame intervals) and main-thread long tasks (a
 * PerformanceObserver), as JSON on stdout and a summary on stderr. Nothing passes or fails.
 * With `seeks`: scrubber seeks and step backs on the presets where memory churns most, timed
 * from the input to the frame painted (browserSeeks.ts).
 *
 *   npx tsx bench/browser.ts            (builds the app into /tmp/vmlab-dist-<port> and serves it)
 *   npx tsx bench/browser.ts seeks    (VMLAB_BENCH_SETTLE_MS=0: seek at once after End, not 3 s later)
 *   VMLAB_BENCH_PORT=4201 VMLAB_BENCH_SECONDS=10 npx tsx bench/browser.ts
 *   VMLAB_BENCH_NO_BUILD=1: serve the last build; VMLAB_BENCH_PROFILE=1: the main thread's busiest
 *   functions; VMLAB_BENCH_TRACE=1 (or a file to keep the trace in): its longest tasks, broken down.
 */
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { twoHostScenario } from '../src/engine/migration/fixtures';
import { encodeLink } from '../src/engine/scenario/linkCodec';
import { resolveScenario } from '../src/engine/scenario/validate';
import { benchSeeks } from './browserSeeks';

const port = Number(process.env.VMLAB_BENCH_PORT ?? 4201);
const seconds = Number(process.env.VMLAB_BENCH_SECONDS ?? 10);
const outDir = `/tmp/vmlab-dist-${port}`;
const shots = process.env.VMLAB_BENCH_SHOTS ?? '/tmp/travel-shots';

/** 1 GiB pre-copy with a hot set: every frame, thousands of cells change in both grids. */
function link(): string {
  const scenario = resolveScenario(
    twoHostScenario({
      memoryMiB: 1024,
      memoryFill: 0.9,
      bandwidthMiBps: 512,
      workload: { kind: 'hotset', dirtyMiBps: 64, hotFraction: 0.1, hotShare: 0.8 },
      migration: { strategy: 'precopy', maxRounds: 30 },
    }),
  );
  return encodeLink({ scenario, position: 0, lab: 'migration', view: 'lab', speed: 0.25 });
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : 0;
}

async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no server at ${url}`);
}

async function main(): Promise<void> {
  if (!process.env.VMLAB_BENCH_NO_BUILD) {
    execSync(`npx vite build --outDir ${outDir} --emptyOutDir`, { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const server: ChildProcess = spawn(
    'npx',
    ['vite', 'preview', '--outDir', outDir, '--port', String(port), '--strictPort'],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  const base = `http://localhost:${port}`;
  try {
    await waitForServer(base);
    const browser = await chromium.launch({
      ...(existsSync('/usr/bin/chromium') ? { executablePath: '/usr/bin/chromium' } : {}),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    if (process.argv.includes('seeks')) {
      await benchSeeks(page, base);
      await browser.close();
      return;
    }
    await grid(page, base, browser);
  } finally {
    if (server.pid) process.kill(-server.pid);
  }
}

/** Play the 1 GiB grid and time its frames. */
async function grid(page: Page, base: string, browser: Awaited<ReturnType<typeof chromium.launch>>): Promise<void> {
  {
    // As a string: tsx would wrap a function's inner closures in a helper the page does not have.
    await page.addInitScript(`
      window.__frames = [];
      window.__longTasks = [];
      window.__recording = false;
      window.__messages = 0;
      // Frames the app was sent while recording: how often the grids had something new to draw.
      const PageWorker = window.Worker;
      window.Worker = class extends PageWorker {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', (e) => {
            if (window.__recording && e.data?.type === 'frame') window.__messages++;
          });
        }
      };
      new PerformanceObserver((list) => {
        if (window.__recording) for (const e of list.getEntries()) window.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
      let last = 0;
      function tick(t) {
        if (window.__recording && last) window.__frames.push(t - last);
        last = t;
        requestAnimationFrame(tick);
      }
      requestAnimationFrame(tick);
    `);
    await page.goto(`${base}/${link()}`);
    await page.getByTestId('play').waitFor();
    await page.getByTestId('grid-source').waitFor();
    await page.waitForTimeout(1000);
    await page.getByTestId('play').click();
    await page.waitForTimeout(500);
    await page.evaluate('window.__recording = true');
    // VMLAB_BENCH_PROFILE=1: also print where the page's main thread spent its time.
    const cdp = process.env.VMLAB_BENCH_PROFILE ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    // VMLAB_BENCH_TRACE=1: also print the main thread's longest tasks and what each spent its time on.
    if (process.env.VMLAB_BENCH_TRACE) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await page.waitForTimeout(seconds * 1000);
    const { frames, longTasks, eventIndex, messages } = (await page.evaluate(`(() => {
      window.__recording = false;
      return {
        frames: window.__frames,
        longTasks: window.__longTasks,
        messages: window.__messages,
        eventIndex: document.querySelector('[data-testid="event-index"]')?.textContent,
      };
    })()`)) as { frames: number[]; longTasks: number[]; eventIndex: string; messages: number };
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      process.stderr.write(`${topFunctions(profile)}\n`);
    }
    if (process.env.VMLAB_BENCH_TRACE) {
      const trace = await browser.stopTracing();
      // A path (not 1) also keeps the trace, for chrome://tracing or the DevTools performance panel.
      if (process.env.VMLAB_BENCH_TRACE !== '1') writeFileSync(process.env.VMLAB_BENCH_TRACE, trace);
      process.stderr.write(`${longestTasks(trace)}\n`);
    }
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: `${shots}/grid-1gib-1440x900.png` });
    await browser.close();
    const result = {
      scenario: '1 GiB VM (262,144 pages a grid), pre-copy, hot set at 64 MiB/s over 512 MiB/s, played at 0.25x',
      seconds,
      frames: frames.length,
      frameP50Ms: round(percentile(frames, 50)),
      frameP95Ms: round(percentile(frames, 95)),
      frameP99Ms: round(percentile(frames, 99)),
      frameMaxMs: round(Math.max(0, ...frames)),
      longTasks: longTasks.length,
      longestTaskMs: round(Math.max(0, ...longTasks)),
      framesFromWorker: messages,
      reachedEvent: eventIndex,
      targets: { frameP95Ms: 16.7, longestTaskMs: 50 },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(
      `1 GiB grid in Chromium: frame p50 ${result.frameP50Ms} ms, p95 ${result.frameP95Ms} ms, p99 ${result.frameP99Ms} ms, max ${result.frameMaxMs} ms over ${result.frames} frames (${messages} from the worker, to event ${eventIndex}); ${result.longTasks} long tasks, longest ${result.longestTaskMs} ms (targets: p95 ≤ 16.7 ms, none over 50 ms)\n`,
    );
  }
}

/** Self time by function from a CPU profile, the largest first. */
function topFunctions(profile: {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const f = byId.get(samples[i])?.callFrame;
    const key = `${f?.functionName || '(anonymous)'} ${f?.url.split('/').pop()}:${f?.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0));
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`)
    .join('\n');
}

const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink'];

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { data?: { functionName?: string; url?: string } };
}

/** The renderer main thread's longest tasks, each with the events inside it that took the most time. */
function longestTasks(buffer: Buffer): string {
  const events = (JSON.parse(buffer.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && (e.args as { name?: string })?.name === 'CrRendererMain');
  const onMain = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur);
  const tasks = onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const total = (names: string[], cpu = false) =>
    onMain.filter((e) => names.includes(e.name)).reduce((sum, e) => sum + ((cpu ? e.tdur : e.dur) ?? 0), 0) / 1000;
  const cpu = (name: string) => `${name} ${total([name], true).toFixed(0)}`;
  const lines = [
    // Thread time, not wall time: on a loaded machine a task's wall time is mostly waiting for a core.
    `main thread busy ${total(['RunTask', 'ThreadControllerImpl::RunTask']).toFixed(0)} ms in tasks, of it on a core ${total(['RunTask', 'ThreadControllerImpl::RunTask'], true).toFixed(0)} ms: ${[
      'HandlePostMessage',
      'FireAnimationFrame',
      'UpdateLayoutTree',
      'Layout',
      'PrePaint',
      'Paint',
      'Commit',
      'MinorGC',
      'MajorGC',
    ]
      .map(cpu)
      .join(', ')}`,
  ];
  for (const task of [...tasks].sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0)).slice(0, 8)) {
    const end = task.ts + (task.dur ?? 0);
    const inside = new Map<string, number>();
    for (const e of onMain) {
      if (e === task || e.ts < task.ts || e.ts >= end) continue;
      const key = e.name === 'FunctionCall' ? `FunctionCall ${e.args?.data?.functionName ?? ''}` : e.name;
      inside.set(key, (inside.get(key) ?? 0) + (e.dur ?? 0));
    }
    const parts = [...inside]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([k, us]) => `${k} ${(us / 1000).toFixed(1)}`);
    lines.push(`task ${((task.dur ?? 0) / 1000).toFixed(1)} ms: ${parts.join(', ')}`);
  }
  return lines.join('\n');
}

export function round(x: number): number {
  return Math.round(x * 10) / 10;
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
