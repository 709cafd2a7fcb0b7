import { Prng } from '../kernel/prng';
import type { NetworkConfig } from './schema';

/** IMIX 7:4:1 of 64/594/1518-byte frames (mean 361.8 B). */
export const IMIX_SIZES = [64, 594, 1518] as const;
/** Preamble, start delimiter and inter-frame gap: 20 bytes of wire time per frame. */
export const WIRE_OVERHEAD_BYTES = 20;

export function wireNs(bytes: number, lineRateGbps: number): number {
  return Math.ceil(((bytes + WIRE_OVERHEAD_BYTES) * 8) / lineRateGbps);
}

export interface SourceState {
  prng: number[];
  count: number;
  lastNs: number;
  lastSize: number;
  buf: { t: number[]; size: number[] };
}

/**
 * A deterministic packet source: the time each packet is offered, its flow (round robin)
 * and size. Packets come out in order; `peek(k)` looks k ahead without taking them.
 */
export class TrafficSource {
  private readonly prng: Prng;
  private count = 0;
  private lastNs = -1;
  private lastSize = 0;
  /** Generated, not yet taken (a short lookahead). */
  private t: number[] = [];
  private size: number[] = [];
  private head = 0;
  readonly endNs: number;
  private readonly t0: number;

  constructor(
    private readonly cfg: NetworkConfig,
    seed: number,
    name: string,
    /** The line serialises a remote sender (receive); the guest's sends are paced by its vCPU. */
    private readonly lineLimited: boolean,
  ) {
    this.prng = Prng.stream(seed, name);
    this.endNs = Math.round(cfg.durationMs * 1e6);
    this.t0 = 1000;
  }

  /** How many packets have been taken (= the next packet's number). */
  get taken(): number {
    return this.count - (this.t.length - this.head);
  }

  flowOf(n: number): number {
    return n % this.cfg.traffic.flows;
  }

  seqOf(n: number): number {
    return Math.floor(n / this.cfg.traffic.flows);
  }

  /** Time of the packet k ahead (0: the next), or Infinity past the end of the traffic. */
  peekTime(k = 0): number {
    while (this.t.length - this.head <= k) if (!this.generate()) return Number.POSITIVE_INFINITY;
    return this.t[this.head + k];
  }

  peekSize(k = 0): number {
    this.peekTime(k);
    return this.size[this.head + k];
  }

  take(): void {
    this.head++;
    if (this.head >= 8192) {
      this.t = this.t.slice(this.head);
      this.size = this.size.slice(this.head);
      this.head = 0;
    }
  }

  private generate(): boolean {
    const tr = this.cfg.traffic;
    const size = tr.kind === 'imix' ? this.imixSize() : tr.sizeBytes;
    const lineGap = wireNs(this.lastSize || size, this.cfg.lineRateGbps);
    let t: number;
    if (tr.packetsPerSec === undefined) t = this.lastNs < 0 ? this.t0 : this.lastNs + lineGap;
    else {
      const gap = 1e9 / tr.packetsPerSec;
      let nominal = this.t0 + Math.round(this.count * gap);
      if (tr.kind === 'bursty') {
        // The rate holds during on-periods; off-periods are skipped over.
        const onNs = tr.onMs * 1e6;
        const perOn = Math.max(1, Math.floor(onNs / gap));
        const period = Math.floor(this.count / perOn);
        nominal = this.t0 + period * Math.round((tr.onMs + tr.offMs) * 1e6) + Math.round((this.count % perOn) * gap);
      }
      t = this.lastNs < 0 ? nominal : Math.max(nominal, this.lineLimited ? this.lastNs + lineGap : this.lastNs);
    }
    if (t >= this.endNs) return false;
    this.t.push(t);
    this.size.push(size);
    this.lastNs = t;
    this.lastSize = size;
    this.count++;
    return true;
  }

  private imixSize(): number {
    const r = this.prng.nextInt(12);
    return r < 7 ? IMIX_SIZES[0] : r < 11 ? IMIX_SIZES[1] : IMIX_SIZES[2];
  }

  snapshot(): SourceState {
    return {
      prng: this.prng.getState(),
      count: this.count,
      lastNs: this.lastNs,
      lastSize: this.lastSize,
      buf: { t: this.t.slice(this.head), size: this.size.slice(this.head) },
    };
  }

  restore(s: SourceState): void {
    this.prng.setState(s.prng);
    this.count = s.count;
    this.lastNs = s.lastNs;
    this.lastSize = s.lastSize;
    this.t = s.buf.t.slice();
    this.size = s.buf.size.slice();
    this.head = 0;
  }
}
