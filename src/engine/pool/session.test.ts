import { describe, expect, it } from 'vitest';
import { Session } from '../../worker/session';
import { findPreset } from '../scenario/presets';
import type { PoolMechanism } from './mechanism';

function open(id: string): Session {
  const r = Session.load(findPreset(id)?.scenario);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.session;
}

function poolOf(s: Session): PoolMechanism {
  return s.run.installed.find((m) => m.def.id === 'pool')?.instance as PoolMechanism;
}

/** Every extent's bytes as the pool file holds them, read back through the store. */
function poolBytes(s: Session): Uint8Array[] {
  const f = poolOf(s).pools[0].file;
  const out: Uint8Array[] = [];
  for (let e = 0; e < f.capacity; e++) {
    const b = new Uint8Array(f.extentBytes);
    f.store.read(e, 0, f.extentBytes, b);
    out.push(b);
  }
  return out;
}

describe('pool: stepping back lands where a fresh run stopped', () => {
  for (const id of ['pool-fills-compare', 'pool-reclaim']) {
    it(id, () => {
      const a = open(id);
      a.step(712);
      a.stepBack(4);
      a.step(1);
      a.stepBack(300);
      a.step(290);
      const b = open(id);
      b.seek(a.index);
      const fa = a.frame(false);
      const fb = b.frame(false);
      expect(fa.eventIndex).toBe(699);
      expect(fa.traceHash).toBe(fb.traceHash);
      expect(fa.metrics).toEqual(fb.metrics);
      expect(fa.labs).toEqual(fb.labs);
      const [ba, bb] = [poolBytes(a), poolBytes(b)];
      const differing = ba.flatMap((x, e) => (Buffer.from(x).equals(Buffer.from(bb[e])) ? [] : [e]));
      expect(differing, 'extents whose bytes differ').toEqual([]);
      a.runToEnd();
      b.runToEnd();
      expect(a.frame(false).traceHash).toBe(b.frame(false).traceHash);
      a.dispose();
      b.dispose();
    });
  }
});
