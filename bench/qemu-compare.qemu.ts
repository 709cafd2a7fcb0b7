/**
 * The QEMU half of bench/qemu-compare.ts: assemble the guest (bench/qemu-compare.asm), boot it
 * in two qemu-system-x86_64 processes under TCG on loopback, migrate with QMP and read
 * query-migrate. Needs Debian's qemu-system-x86 and nasm; nothing here runs in `npm test`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface QemuOptions {
  memoryMiB: number;
  pagesPerTick: number;
  ticksPerSecond: number;
  maxBandwidthMiBps: number;
  downtimeLimitMs: number;
  /** Give up (migrate_cancel) after this long. */
  timeoutMs: number;
  port: number;
}

export interface QemuFigures {
  /** The guest's write rate while it ran during the migration, from its own page counter. */
  guestPagesPerS: number;
  status: string;
  totalTimeMs: number;
  downtimeMs: number;
  setupTimeMs: number;
  transferredBytes: number;
  normalPages: number;
  duplicatePages: number;
  dirtySyncCount: number;
  dirtyPagesRate: number;
  mbps: number;
  expectedDowntimeMs: number;
}

const PIT_HZ = 1193182;

/** The guest image: the boot sector with its rate words patched (divisor, pages per tick). */
function buildGuest(dir: string, o: QemuOptions): string {
  const raw = join(dir, 'guest.bin');
  execFileSync('nasm', ['-f', 'bin', '-o', raw, join(HERE, 'qemu-compare.asm')]);
  const sector = readFileSync(raw);
  sector.writeUInt16LE(Math.round(PIT_HZ / o.ticksPerSecond), 506);
  sector.writeUInt16LE(o.pagesPerTick, 508);
  const img = join(dir, 'src.img');
  writeFileSync(img, sector);
  return img;
}

/** One QMP connection: commands answered in order, events ignored. */
class Qmp {
  private buffer = '';
  private waiting: ((reply: Record<string, unknown>) => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.buffer += text;
      for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (!line) continue;
        const msg = JSON.parse(line) as Record<string, unknown>;
        if ('return' in msg || 'error' in msg) this.waiting.shift()?.(msg);
      }
    });
  }

  static async open(path: string): Promise<Qmp> {
    for (let attempt = 0; ; attempt++) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = createConnection(path, () => resolve(s));
          s.once('error', reject);
        });
        const qmp = new Qmp(socket);
        await qmp.command('qmp_capabilities');
        return qmp;
      } catch (e) {
        if (attempt > 100) throw e;
        await sleep(50);
      }
    }
  }

  command(execute: string, args?: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this.waiting.push((reply) => (reply.error ? reject(new Error(JSON.stringify(reply.error))) : resolve(reply)));
      this.socket.write(`${JSON.stringify(args ? { execute, arguments: args } : { execute })}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function startQemu(img: string, qmpPath: string, memoryMiB: number, incoming?: string): ChildProcess {
  const args = [
    ...['-machine', 'pc,accel=tcg', '-m', String(memoryMiB), '-nodefaults', '-vga', 'none', '-display', 'none'],
    ...['-drive', `file=${img},format=raw,if=ide`, '-qmp', `unix:${qmpPath},server=on,wait=off`],
    ...(incoming ? ['-incoming', incoming] : []),
  ];
  return spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Boot the guest, let it fill its 64 MiB, migrate it with QMP, return query-migrate's figures. */
export async function runQemu(o: QemuOptions): Promise<QemuFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'vmlab-qemu-'));
  const srcImg = buildGuest(dir, o);
  const dstImg = join(dir, 'dst.img');
  copyFileSync(srcImg, dstImg);
  const uri = `tcp:127.0.0.1:${o.port}`;
  const src = startQemu(srcImg, join(dir, 'src.qmp'), o.memoryMiB);
  const dst = startQemu(dstImg, join(dir, 'dst.qmp'), o.memoryMiB, uri);
  try {
    const qmp = await Qmp.open(join(dir, 'src.qmp'));
    await sleep(1500); // boot, fill the sweep region, settle into the paced loop
    const counted = async () => {
      const text = (await qmp.command('human-monitor-command', { 'command-line': 'xp /1wx 0x500' })).return as string;
      return { n: Number.parseInt(text.split(':')[1], 16), t: performance.now() };
    };
    const a = await counted();
    await sleep(1000);
    const b = await counted();
    const idlePagesPerS = ((b.n - a.n) * 1000) / (b.t - a.t);
    await qmp.command('migrate-set-parameters', {
      'max-bandwidth': o.maxBandwidthMiBps * 1024 * 1024,
      'downtime-limit': o.downtimeLimitMs,
    });
    const atStart = await counted();
    await qmp.command('migrate', { uri });
    const started = Date.now();
    let last: Record<string, unknown> = {};
    // query-migrate drops dirty-pages-rate once completed: keep the last one seen while active.
    let dirtyPagesRate = 0;
    for (;;) {
      await sleep(100);
      last = (await qmp.command('query-migrate')).return as Record<string, unknown>;
      const status = last.status as string;
      const rate = (last.ram as Record<string, number> | undefined)?.['dirty-pages-rate'];
      if (rate) dirtyPagesRate = rate;
      if (status === 'completed' || status === 'failed' || status === 'cancelled') break;
      if (Date.now() - started > o.timeoutMs) {
        // Read the figures of a run that never converged before giving up on it.
        await qmp.command('migrate_cancel');
        break;
      }
    }
    // The rate the guest wrote at while it ran during the migration (its counter, frozen at the stop).
    const atEnd = await counted();
    qmp.close();
    const liveMs = last.status === 'completed' ? (last['total-time'] as number) - (last.downtime as number) : 0;
    const guestPagesPerS = liveMs > 0 ? ((atEnd.n - atStart.n) * 1000) / liveMs : idlePagesPerS;
    const ram = (last.ram ?? {}) as Record<string, number>;
    return {
      guestPagesPerS,
      status: last.status as string,
      totalTimeMs: (last['total-time'] as number) ?? Date.now() - started,
      downtimeMs: (last.downtime as number) ?? Number.NaN,
      setupTimeMs: (last['setup-time'] as number) ?? Number.NaN,
      transferredBytes: ram.transferred,
      normalPages: ram.normal,
      duplicatePages: ram.duplicate,
      dirtySyncCount: ram['dirty-sync-count'],
      dirtyPagesRate: ram['dirty-pages-rate'] || dirtyPagesRate,
      mbps: ram.mbps,
      expectedDowntimeMs: (last['expected-downtime'] as number) ?? Number.NaN,
    };
  } finally {
    src.kill('SIGKILL');
    dst.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
