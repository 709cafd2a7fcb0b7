/** A physical host: its CPUs and the VMs it runs. */
export class Host {
  constructor(
    readonly id: string,
    readonly cpus: number,
  ) {}
}
