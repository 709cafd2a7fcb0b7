import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EventRecord, observeEvents } from '../eventStream';
import { ringDistance } from '../hw/virtioRing';
import { ScenarioRun } from '../run';
import { findPreset } from '../scenario/presets';
import { parseScenario, resolveScenario } from '../scenario/validate';
import { network } from '.';
import { netScenario, runNet } from './fixtures';
import type { NetworkMechanism } from './mechanism';

const STRATS = ['per-packet', 'event-idx', 'timer', 'cluster'] as const;

const entryArb = fc.record({
  strategy: fc.constantFrom(...STRATS),
  direction: fc.constantFrom('tx', 'rx', 'both'),
  ringSize: fc.constantFrom(8, 32, 256),
  clusterPackets: fc.integer({ min: 1, max: 40 }),
  offload: fc.boolean(),
  traffic: fc.record({
    kind: fc.constantFrom('constant', 'bursty', 'imix', 'request-response'),
    packetsPerSec: fc.integer({ min: 2_000, max: 4_000_000 }),
    sizeBytes: fc.integer({ min: 64, max: 1518 }),
    flows: fc.integer({ min: 1, max: 5 }),
    onMs: fc.constantFrom(0.05, 0.2),
    offMs: fc.constantFrom(0, 0.1),
  }),
  durationMs: fc.constantFrom(0.2, 0.5, 1),
});

describe('network: every packet once, in order per flow, bytes intact', () => {
  it('holds for every strategy, checked by the receiver on the bytes', () => {
    fc.assert(
      fc.property(entryArb, fc.integer({ min: 1, max: 1000 }), (entry, seed) => {
        const { m } = runNet(entry, 2, seed);
        expect(m.problem).toBe('');
        expect(m.verified).toBe(true);
        expect(m.packetsDelivered + m.dropped.total).toBe(m.packetsSent);
        expect(m.packetsSent).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  it('the receiver notices a corrupted byte', () => {
    const scenario = resolveScenario(netScenario({ strategy: 'cluster', traffic: { kind: 'imix' }, durationMs: 0.2 }));
    const run = new ScenarioRun(scenario);
    const mech = run.instance<NetworkMechanism>(network) as NetworkMechanism;
    let flipped = false;
    run.sim.observer = (_i, _t, e) => {
      const nic = mech.runs[0].nic;
      if (!flipped && e.type === 'net.deliver' && nic.size > 0) {
        nic.words[(nic.head % nic.cap) * 384 + 10] ^= 1;
        flipped = true;
      }
    };
    run.runToEnd();
    expect(flipped).toBe(true);
    expect(mech.runs[0].tx?.checker.errors).toBeGreaterThan(0);
  });
});

describe('network: the event stream alone shows every packet once, in order per flow, with its bytes', () => {
  it('one net.deliver line per packet, for every strategy', () => {
    fc.assert(
      fc.property(entryArb, fc.integer({ min: 1, max: 1000 }), (entry, seed) => {
        const run = new ScenarioRun(resolveScenario(netScenario(entry, 2, seed)));
        const mech = run.instance<NetworkMechanism>(network) as NetworkMechanism;
        const records: EventRecord[] = [];
        observeEvents(run, (r) => records.push(r));
        run.runToEnd();
        const next = new Map<string, number>();
        let lines = 0;
        let bytes = 0;
        let bad = '';
        let last = { i: -1, tNs: -1 };
        for (const r of records) {
          if (r.i < last.i || r.tNs < last.tNs) bad = `line ${r.i} out of order`;
          last = r;
          if (r.type === 'net.flush' && !(typeof r.trigger === 'string' && (r.packets as number) > 0))
            bad = `flush ${r.i} without trigger or packets`;
          if (r.type !== 'net.deliver') continue;
          const key = `${r.dir}/${r.flow}`;
          // In order and never twice; a gap is a packet dropped on a full ring.
          if ((r.seq as number) < (next.get(key) ?? 0)) bad = `${key} seq ${r.seq} after ${next.get(key)}`;
          next.set(key, (r.seq as number) + 1);
          lines++;
          bytes += r.bytes as number;
        }
        const sides = mech.runs[0].sides;
        expect(bad).toBe('');
        expect(lines).toBe(sides.reduce((n, s) => n + s.stats.delivered, 0));
        expect(bytes).toBe(sides.reduce((n, s) => n + s.stats.bytesDelivered, 0));
        expect(sides.every((s) => s.checker.errors === 0)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});

describe('network: the wait bound and the ring indices', () => {
  it('no packet waits in the shared ring past maxWaitUs before its cluster goes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 500, max: 400_000 }),
        fc.integer({ min: 20, max: 2000 }),
        fc.integer({ min: 2, max: 64 }),
        fc.boolean(),
        (pps, maxWaitUs, clusterPackets, offload) => {
          const { m } = runNet({
            strategy: 'cluster',
            maxWaitUs,
            clusterPackets,
            offload,
            triggers: ['count', 'ring-full'],
            traffic: { kind: 'constant', packetsPerSec: pps, sizeBytes: 594 },
            durationMs: 3,
          });
          expect(m.verified).toBe(true);
          expect(m.waitUs.max).toBeLessThanOrEqual(maxWaitUs);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('indices never overtake, read from the ring bytes after every event', () => {
    fc.assert(
      fc.property(entryArb, (entry) => {
        const run = new ScenarioRun(resolveScenario(netScenario(entry)));
        const mech = run.instance<NetworkMechanism>(network) as NetworkMechanism;
        let bad = '';
        run.sim.observer = () => {
          for (const s of mech.runs[0].sides) {
            const avail = s.ring.availIdx;
            const used = s.ring.usedIdx;
            const inRing = ringDistance(avail, used);
            if (inRing > s.num) bad = `${s.dir}: avail ${avail} is ${inRing} ahead of used ${used}`;
            if (ringDistance(s.lastAvail, used) > inRing) bad = `${s.dir}: device's position passed avail`;
          }
        };
        run.runToEnd();
        expect(bad).toBe('');
      }),
      { numRuns: 25 },
    );
  });
});

describe('network: shapes', () => {
  const imix = { kind: 'imix', flows: 4 };
  it('cluster makes at most about a third of the exits of per-packet at line rate', () => {
    const pp = runNet({ strategy: 'per-packet', traffic: imix, durationMs: 1 }).m;
    const cl = runNet({ strategy: 'cluster', traffic: imix, durationMs: 1 }).m;
    expect(pp.exitsPerPacket).toBeCloseTo(1, 5);
    expect(cl.exitsPerPacket).toBeLessThanOrEqual(pp.exitsPerPacket / 3 + 0.01);
    expect(cl.throughputMbps).toBeGreaterThan(2 * pp.throughputMbps);
  });

  it('at a trickle the bound, not the count, sends the clusters', () => {
    const { m } = runNet({
      strategy: 'cluster',
      triggers: ['count', 'ring-full', 'exit'],
      traffic: { kind: 'constant', packetsPerSec: 1500, sizeBytes: 594 },
      durationMs: 20,
    });
    expect(m.triggers.bound).toBeGreaterThan(0);
    expect(m.triggers.count ?? 0).toBe(0);
  });

  it('exits per packet fall and latency rises as clusterPackets grows', () => {
    const sweep = [1, 2, 4, 8, 32].map(
      (clusterPackets) =>
        runNet({
          strategy: 'cluster',
          clusterPackets,
          traffic: { kind: 'imix', packetsPerSec: 300_000 },
          durationMs: 2,
        }).m,
    );
    for (let i = 1; i < sweep.length; i++) {
      expect(sweep[i].exitsPerPacket).toBeLessThan(sweep[i - 1].exitsPerPacket);
      expect(sweep[i].latencyUs.p99).toBeGreaterThan(sweep[i - 1].latencyUs.p99);
    }
  });

  it('event-idx suppresses most kicks at line rate, and both kinds are counted', () => {
    const { m } = runNet({ strategy: 'event-idx', traffic: imix, durationMs: 0.5 });
    expect(m.kicksSuppressed).toBeGreaterThan(m.kicks);
    expect(m.kicks + m.kicksSuppressed).toBe(m.packetsSent);
  });

  it('offload takes the exits off the vCPU', () => {
    const { m } = runNet({ strategy: 'cluster', offload: true, direction: 'both', traffic: imix, durationMs: 0.5 });
    expect(m.exitsPerPacket).toBe(0);
    expect(m.verified).toBe(true);
  });
});

describe('network: determinism and snapshots', () => {
  it('restoring a snapshot and running on gives the same trace hash and bytes', () => {
    fc.assert(
      fc.property(entryArb, fc.integer({ min: 1, max: 400 }), (entry, at) => {
        const scenario = resolveScenario(netScenario(entry));
        const fresh = new ScenarioRun(scenario).runToEnd();
        const run = new ScenarioRun(scenario);
        run.sim.runUntil({ eventIndex: at });
        const snap = run.sim.snapshot();
        run.runToEnd();
        const end1 = run.sim.trace.hex();
        run.sim.restore(snap);
        run.runToEnd();
        expect(run.sim.trace.hex()).toBe(end1);
        expect(end1).toBe(fresh.sim.trace.hex());
      }),
      { numRuns: 20 },
    );
  });
});

describe('network: scenario validation', () => {
  it('refuses a ring size that is not a power of two, naming the field', () => {
    const r = parseScenario(netScenario({ ringSize: 100 }));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors[0]).toEqual({
        path: 'networks[0].ringSize',
        message: 'must be a power of two (virtio split rings are)',
      });
  });

  it('refuses unknown keys and an unknown VM', () => {
    const r = parseScenario(netScenario({ burst: 3 }));
    expect(!r.ok && r.errors[0]).toEqual({ path: 'networks[0]', message: 'unknown field "burst"' });
    const s = netScenario({});
    (s.networks[0] as { vm: string }).vm = 'nope';
    const r2 = parseScenario(s);
    expect(!r2.ok && r2.errors[0]).toEqual({ path: 'networks[0].vm', message: 'no VM with id "nope"' });
  });

  it('every preset validates, runs to the end and verifies', () => {
    for (const p of network.presets) {
      const run = new ScenarioRun(resolveScenario(p.scenario)).runToEnd();
      const m = run.metrics().networks[0];
      expect(m.verified, p.id).toBe(true);
      expect(run.sim.eventIndex, p.id).toBeLessThan(200_000);
    }
  });
});

describe('latency histogram', () => {
  it('counts every delivered packet once, in bins that cover its percentiles', () => {
    for (const id of ['net-cluster-3', 'net-per-packet']) {
      const run = new ScenarioRun(resolveScenario(findPreset(id)?.scenario)).runToEnd();
      const m = run.metrics().networks[0];
      run.dispose();
      const bins = m.latencyHistogram;
      expect(bins.reduce((a, b) => a + b[2], 0)).toBe(m.packetsDelivered);
      for (let i = 1; i < bins.length; i++) expect(bins[i][0]).toBe(bins[i - 1][1]);
      expect(bins[bins.length - 1][1]).toBeGreaterThanOrEqual(m.latencyUs.max);
      expect(bins[0][0]).toBeLessThanOrEqual(m.latencyUs.p50);
    }
  });
});
