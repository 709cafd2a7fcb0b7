import { MiB, type Nanos, transferNs, usToNs } from '../kernel/clock';

/**
 * A network link between two hosts: bandwidth shared fairly among the transfers using
 * it at the moment each chunk starts, and a one-way latency.
 */
export class Link {
  readonly bytesPerSecond: number;
  readonly latencyNs: Nanos;
  up = true;
  activeFlows = 0;

  constructor(
    readonly id: string,
    readonly a: string,
    readonly b: string,
    bandwidthMiBps: number,
    latencyUs: number,
  ) {
    this.bytesPerSecond = bandwidthMiBps * MiB;
    this.latencyNs = usToNs(latencyUs);
  }

  connects(x: string, y: string): boolean {
    return (this.a === x && this.b === y) || (this.a === y && this.b === x);
  }

  /** The rate one flow gets now: an equal share, capped by the flow's own limit. */
  shareFor(capBytesPerSecond = Number.POSITIVE_INFINITY): number {
    return Math.min(this.bytesPerSecond / Math.max(1, this.activeFlows), capBytesPerSecond);
  }

  /** Serialization time of `bytes` for one flow at its current share. */
  sendTime(bytes: number, capBytesPerSecond?: number): Nanos {
    return transferNs(bytes, this.shareFor(capBytesPerSecond));
  }

  snapshot(): { up: boolean; activeFlows: number } {
    return { up: this.up, activeFlows: this.activeFlows };
  }

  restore(s: { up: boolean; activeFlows: number }): void {
    this.up = s.up;
    this.activeFlows = s.activeFlows;
  }
}
