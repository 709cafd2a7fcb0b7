import type { Nanos } from '../../kernel/clock';
import type { DeviceRun } from '../model';
import type { ConfigPort } from '../probe';
import type { DeviceConfig } from '../schema';

/** How the device's DMA reaches memory: copied by the device model, through the IOMMU, or raw. */
export type DmaRoute = 'copy' | 'iommu' | 'raw' | 'blocked';

/** What one I/O operation costs: VM exits, MMIO accesses that trapped, time to serve it. */
export interface IoCost {
  exits: number;
  mmioTrapped: number;
  serviceNs: Nanos;
}

/** One way of giving a VM a device: what the guest's config accesses reach, and what I/O costs. */
export interface DeviceStrategyImpl {
  label: string;
  /** The guest's config and MMIO accesses, acting on the run's spaces. */
  port(run: DeviceRun): ConfigPort;
  ioCost(run: DeviceRun, bytes: number): IoCost;
  dmaRoute(config: DeviceConfig): DmaRoute;
}

/** A posted MMIO write straight to the device (assumption: about 100 ns, no exit). */
export const DIRECT_MMIO_NS = 100;
/** The device model copies packet bytes at the measured memory-copy rate (10 GB/s, cost table). */
export const COPY_BYTES_PER_SECOND = 10e9;

export const transferTime = (bytes: number, bytesPerSecond: number): Nanos => Math.ceil((bytes * 1e9) / bytesPerSecond);
