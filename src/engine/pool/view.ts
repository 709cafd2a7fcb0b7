import type { PoolMechanism } from './mechanism';
import type { JobRecord, ShadowFailure } from './model';

/** One VM's temporary disk: its map as runs (logical extent, pool extent, length), flattened. */
export interface DiskView {
  vm: string;
  extents: number;
  runs: Int32Array;
  started: boolean;
}

/** One pool as a frame carries it. */
export interface PoolView {
  id: string;
  strategy: string;
  extentKiB: number;
  capacity: number;
  maxExtents: number;
  /** Owner (disk index) of each extent, -1 free. */
  owner: Int16Array;
  /** ExtentState of each extent. */
  state: Uint8Array;
  /** 1 where a free extent still holds another owner's old bytes (not visible to anyone). */
  stale: Uint8Array;
  disks: DiskView[];
  jobs: JobRecord[];
  shadow: ShadowFailure[];
  /** Triples: time (ms), extents used, sum of per-VM peaks so far (extents). */
  series: Float64Array;
  provisionedExtents: number;
  fairShareExtents: number;
}

export interface PoolLabView {
  pools: PoolView[];
}

export function poolView(mechanism: PoolMechanism): PoolLabView {
  return {
    pools: mechanism.pools.map((run) => {
      const f = run.file;
      const stale = new Uint8Array(f.maxExtents);
      for (let e = 0; e < f.capacity; e++) if (f.owner[e] < 0 && f.store.holds(e)) stale[e] = 1;
      const extentBytes = f.extentBytes;
      return {
        id: run.id,
        strategy: run.config.strategy,
        extentKiB: run.config.extentKiB,
        capacity: f.capacity,
        maxExtents: f.maxExtents,
        owner: f.owner.slice(),
        state: f.state.slice(),
        stale,
        disks: run.vms.map((v) => {
          const m = v.disk.map;
          const runs = new Int32Array(m.runs * 3);
          for (let i = 0; i < m.runs; i++) {
            runs[3 * i] = m.logical[i];
            runs[3 * i + 1] = m.pool[i];
            runs[3 * i + 2] = m.length[i];
          }
          return { vm: v.vm, extents: v.disk.extents, runs, started: v.s.started };
        }),
        jobs: run.c.jobs.map((j) => ({ ...j })),
        shadow: run.c.shadow.slice(),
        series: Float64Array.from(run.c.series),
        provisionedExtents: run.vms.reduce((n, v) => n + v.disk.extents, 0),
        fairShareExtents: Math.floor(run.fairShareBytes / extentBytes),
      };
    }),
  };
}
