import { DestinationSink, LocalSink } from '../world/sinks';
import type { MigrationRun } from './model';

/**
 * Route the guest's writes for the migration's stage. A function of the run's state alone,
 * so a restore can redo it:
 * - before switchover the guest writes on the source; under hybrid a write to a
 *   write-protected page records the page as modified and lifts the protection;
 * - once it runs on the destination, writes land there and are mirrored into the source's
 *   copy (the reference the destination is verified against); a demand-paged strategy faults
 *   on a page that has not arrived.
 * Either way an in-flight chunk still reading the page from source memory copies it first.
 */
export function routeGuestWrites(run: MigrationRun, onRemoteFault: (page: number) => void): void {
  const vm = run.vm;
  const s = run.s;
  const beforeWrite = (p: number) => run.captureBeforeWrite(p);
  const onDestination = run.resumedRemotely;
  if (onDestination) {
    vm.memSink = new DestinationSink(
      run.dest,
      vm.memory,
      run.demandPaged ? (p) => run.present.get(p) : undefined,
      onRemoteFault,
      beforeWrite,
    );
    if (run.localStorage && run.destDisk && vm.disk) vm.diskSink = new DestinationSink(run.destDisk, vm.disk);
    return;
  }
  const hybridActive = run.strategy === 'hybrid' && !run.terminal && s.stage !== 'waiting' && s.stage !== 'setup';
  const onProtected = hybridActive
    ? (p: number) => {
        run.modified.set(p);
        vm.memory.writeProtect.clear(p);
        run.s.wpFaults++; // run.s, not s: a restore replaces the scalars
      }
    : undefined;
  vm.memSink = new LocalSink(vm.memory, onProtected, beforeWrite);
  if (vm.disk) vm.diskSink = new LocalSink(vm.disk);
}
