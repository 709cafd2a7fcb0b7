import type { ByteEstimate } from '../mechanismDefinition';
import { allMechanisms } from '../mechanisms';
import type { WorldScenario } from './fields';
import { formatSize } from './untrusted';
import type { FieldError } from './validate';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Bytes a run in a browser tab may allocate, keyframes included.
 *
 * Measured 2026-11-27 on this 24 GiB machine with Debian's Chromium 150.0.7871.100 (headless,
 * `--no-sandbox --disable-gpu`): a Worker on about:blank allocating 256 MiB ArrayBuffers
 * reached 16128 MiB (15.75 GiB) before `RangeError: Array buffer allocation failed`, with the
 * pages touched or not. The cap is per renderer process: after that worker, a second worker
 * and the page's main thread could allocate nothing more, so the whole tab shares it. The
 * largest single ArrayBuffer was 2145386496 bytes (2 GiB less 2 MiB, see
 * `TAB_LARGEST_BUFFER_BYTES`). The budget is about 70% of the 15.75 GiB, leaving room for the
 * JS heap, the buffer pool and the app.
 */
export const TAB_BUDGET_BYTES = 11 * GiB;

/** The largest single ArrayBuffer Chromium 150 allocated in the measurement above. */
export const TAB_LARGEST_BUFFER_BYTES = 2_145_386_496;

/** Bytes a run from the command line may allocate (Node has no per-process ArrayBuffer cap like a tab's). */
export const CLI_BUDGET_BYTES = 16 * GiB;

export const KEYFRAME_ITEM = 'time travel (keyframes)';

export interface ScenarioBytes {
  total: number;
  items: ByteEstimate[];
}

/**
 * What a run of `scenario` will allocate, item by item, worked out from the scenario alone
 * (nothing is allocated): each VM's memory and disk, each mechanism's own (`estimateBytes`),
 * and the keyframes time travel may keep.
 */
export function estimateScenarioBytes(scenario: WorldScenario, keyframeBudgetBytes: number): ScenarioBytes {
  const items: ByteEstimate[] = [];
  for (const vm of scenario.vms) {
    items.push({ item: `${vm.id}'s memory`, bytes: vm.memoryMiB * MiB });
    if (vm.diskMiB > 0) items.push({ item: `${vm.id}'s disk`, bytes: vm.diskMiB * MiB });
  }
  for (const def of allMechanisms()) items.push(...(def.estimateBytes?.(scenario) ?? []));
  if (keyframeBudgetBytes > 0) items.push({ item: KEYFRAME_ITEM, bytes: keyframeBudgetBytes });
  let total = 0;
  for (const i of items) total += i.bytes;
  return { total, items };
}

/**
 * Refuses a scenario whose run would allocate more than `budgetBytes`, with one message
 * naming the three biggest items: "this scenario needs about 17 GiB (vm1's memory 4096 MiB,
 * ...), over this tab's budget of 11 GiB". `budgetName` says whose budget it is.
 */
export function checkBudget(
  scenario: WorldScenario,
  budgetBytes: number,
  keyframeBudgetBytes: number,
  budgetName = "this tab's budget",
): FieldError[] {
  const { total, items } = estimateScenarioBytes(scenario, keyframeBudgetBytes);
  if (total <= budgetBytes) return [];
  const biggest = items
    .map((it, order) => ({ ...it, order }))
    .sort((a, b) => b.bytes - a.bytes || a.order - b.order)
    .slice(0, 3)
    .map((it) => `${it.item} ${formatMiB(it.bytes)}`);
  const more = items.length - biggest.length;
  const list = more > 0 ? `${biggest.join(', ')}, and ${more} more` : biggest.join(', ');
  return [
    {
      path: 'vms',
      message:
        `this scenario needs about ${formatGiB(total)} (${list}), over ${budgetName} of ${formatSize(budgetBytes)}; ` +
        'give the VMs less memory or smaller disks',
    },
  ];
}

function formatMiB(bytes: number): string {
  const n = bytes / MiB;
  if (n >= 10 || Number.isInteger(n)) return `${Math.round(n)} MiB`;
  return n >= 0.1 ? `${n.toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

function formatGiB(bytes: number): string {
  const n = bytes / GiB;
  return n >= 1 ? `${Number(n.toFixed(1))} GiB` : formatMiB(bytes);
}

/**
 * A tab holds each memory and disk in one ArrayBuffer, and Chromium's largest is just under
 * 2 GiB (TAB_LARGEST_BUFFER_BYTES): a VM past it is refused with the field named. Node (the CLI) takes more.
 */
export function checkLargestBuffer(scenario: WorldScenario, largestBytes = TAB_LARGEST_BUFFER_BYTES): FieldError[] {
  const limitMiB = Math.floor(largestBytes / 2 ** 20);
  const errors: FieldError[] = [];
  scenario.vms.forEach((vm, i) => {
    for (const field of ['memoryMiB', 'diskMiB'] as const) {
      if (vm[field] > limitMiB)
        errors.push({
          path: `vms[${i}].${field}`,
          message: `must be at most ${limitMiB} in the browser (one buffer per memory or disk; the command line takes up to 4096)`,
        });
    }
  });
  return errors;
}
