import { parseArgs } from 'node:util';
import { formatBytes } from '../engine/kernel/clock';
import { type RunSummary, ScenarioRun } from '../engine/run';
import { type Scenario, type Strategy, StrategySchema } from '../engine/scenario/schema';
import { type FieldError, formatFieldError } from '../engine/scenario/validate';
import { resolveInput } from './resolveInput';
import { renderSummary, renderTable } from './table';

const USAGE = `usage: npm run -s sim -- <preset-id | scenario.json | link> [options]

  --json                 print one JSON object (traceHash, events, simTimeNs, migrations[])
  --print-scenario       print the resolved scenario (defaults filled in) instead of running it
  --compare a,b,...      run the first migration once per strategy (stopcopy, precopy, postcopy, hybrid)
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
      'print-scenario': { type: 'boolean' },
      compare: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function run(scenario: Scenario): RunSummary {
  const r = new ScenarioRun(scenario).runToEnd();
  const summary = r.summary();
  r.dispose();
  return summary;
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
    const strategies = values.compare.split(',').filter(Boolean);
    const bad = strategies.find((s) => !StrategySchema.safeParse(s).success);
    if (strategies.length === 0 || bad !== undefined) {
      fail([
        {
          path: '--compare',
          message: `expected strategies among ${StrategySchema.options.join(', ')}${bad ? ` (got "${bad}")` : ''}`,
        },
      ]);
    }
    if (scenario.migrations.length === 0)
      fail([{ path: 'migrations', message: 'the scenario has no migration to compare' }]);
    const results = (strategies as Strategy[]).map((strategy) => ({
      strategy,
      summary: run({ ...scenario, migrations: [{ ...scenario.migrations[0], strategy }] }),
    }));
    if (json) {
      process.stdout.write(`${JSON.stringify(results)}\n`);
      return;
    }
    const rows = results.map(({ strategy, summary }) => {
      const m = summary.migrations[0];
      return [
        strategy,
        m.status,
        `${m.totalTimeMs.toFixed(1)} ms`,
        `${m.downtimeMs.toFixed(2)} ms`,
        formatBytes(m.transferredBytes),
        String(m.rounds.length),
        String(m.postcopyRequests),
        `${m.postcopyStallMs.toFixed(1)} ms`,
        m.verified ? 'yes' : 'NO',
      ];
    });
    process.stdout.write(
      `${renderTable(['strategy', 'status', 'total', 'downtime', 'transferred', 'rounds', 'faults', 'stall', 'verified'], rows)}\n`,
    );
    return;
  }
  const summary = run(scenario);
  process.stdout.write(json ? `${JSON.stringify(summary)}\n` : `${renderSummary(summary, source)}\n`);
}

main(process.argv.slice(2));
