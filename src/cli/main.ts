import { parseArgs } from 'node:util';
import { checkCompare, compareVariants } from '../engine/compare';
import { observeEvents } from '../engine/eventStream';
import { allMechanisms, mechanismById } from '../engine/mechanisms';
import { ScenarioRun } from '../engine/run';
import { CLI_BUDGET_BYTES } from '../engine/scenario/budget';
import type { Scenario } from '../engine/scenario/schema';
import { type FieldError, formatFieldError } from '../engine/scenario/validate';
import { resolveInput } from './resolveInput';
import { renderReport, renderSummary } from './table';

const USAGE = `usage: npm run -s sim -- <preset-id | scenario.json | link> [options]

  --json                 print one JSON object: traceHash, events, simTimeNs, finishReason, then one
                         array per mechanism (${allMechanisms()
                           .map((d) => `${d.key}[]`)
                           .join(', ')}), [] when the scenario does not use it
  --events               print every event of the run as JSON lines instead of the summary:
                         {"i", "tNs", "type", "mechanism", "subject", ...the event's fields}
  --print-scenario       print the resolved scenario (defaults filled in) instead of running it
  --compare [mech:]a,b   run the scenario once per variant of a mechanism (default: the first one the
                         scenario uses): ${allMechanisms()
                           .map((d) => `${d.id}:${d.variants.map((v) => v.id).join(',')}`)
                           .join('; ')}
  --help                 this text

Exit codes: 0 done, 2 bad input (the message names the field).`;

function fail(errors: FieldError[]): never {
  for (const e of errors) process.stderr.write(`vmlab: ${formatFieldError(e)}\n`);
  process.exit(2);
}

function parseCli(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      events: { type: 'boolean' },
      'print-scenario': { type: 'boolean' },
      compare: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** `checkpoint:remus,delta` or `precopy,postcopy` (the first mechanism the scenario uses). */
function parseCompare(arg: string, scenario: Scenario): { mechanism: string; variants: string[] } {
  const colon = arg.indexOf(':');
  if (colon >= 0)
    return {
      mechanism: arg.slice(0, colon),
      variants: arg
        .slice(colon + 1)
        .split(',')
        .filter(Boolean),
    };
  const sections = scenario as unknown as Record<string, unknown[]>;
  const used = allMechanisms().find((d) => (sections[d.key] ?? []).length > 0);
  return { mechanism: used?.id ?? allMechanisms()[0].id, variants: arg.split(',').filter(Boolean) };
}

/** Stream every event as a JSON line; stop quietly when the reader goes away (`| head`). */
function printEvents(scenario: Scenario): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const run = new ScenarioRun(scenario);
  let buffer: string[] = [];
  const flush = () => {
    if (buffer.length) process.stdout.write(`${buffer.join('\n')}\n`);
    buffer = [];
  };
  observeEvents(run, (record) => {
    buffer.push(JSON.stringify(record));
    if (buffer.length >= 4096) flush();
  });
  run.runToEnd();
  flush();
  run.dispose();
}

function main(argv: string[]): void {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (e) {
    fail([{ path: 'arguments', message: `${(e as Error).message} (see --help)` }]);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) fail([{ path: 'input', message: 'give exactly one preset id, scenario file or link' }]);
  const resolved = resolveInput(positionals[0]);
  if (!resolved.ok) fail(resolved.errors);
  const { scenario, source } = resolved;
  const json = values.json === true;

  if (values['print-scenario']) {
    process.stdout.write(`${JSON.stringify(scenario, null, 2)}\n`);
    return;
  }
  if (values.compare !== undefined) {
    const { mechanism, variants } = parseCompare(values.compare, scenario);
    const errors = checkCompare(scenario, mechanism, variants, CLI_BUDGET_BYTES);
    if (errors.length) fail(errors.map((e) => ({ ...e, path: e.path === 'compare' ? '--compare' : e.path })));
    const results = compareVariants(scenario, mechanism, variants);
    if (json) {
      process.stdout.write(`${JSON.stringify(results.map((r) => ({ mechanism, ...r })))}\n`);
      return;
    }
    const def = mechanismById(mechanism);
    if (!def) return;
    const entries = results.map((r) => (r.summary as unknown as Record<string, unknown[]>)[def.key][0]);
    process.stdout.write(
      `${renderReport(def.report, entries, { label: 'variant', values: results.map((r) => r.variant) })}\n`,
    );
    return;
  }
  if (values.events) {
    printEvents(scenario);
    return;
  }
  const run = new ScenarioRun(scenario).runToEnd();
  const summary = run.summary();
  run.dispose();
  process.stdout.write(json ? `${JSON.stringify(summary)}\n` : `${renderSummary(summary, source)}\n`);
}

main(process.argv.slice(2));
