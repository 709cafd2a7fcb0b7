import { describe, expect, it } from 'vitest';
import { listTables, metricsTable, toCsv } from './exportTables';
import { ScenarioRun } from './run';
import { findPreset } from './scenario/presets';
import { resolveScenario } from './scenario/validate';

describe('export tables', () => {
  it('flattens metrics to one row per entry and keeps lists as their own tables', () => {
    const t = metricsTable([{ vm: 'a', n: 1, x: { bytes: 2 }, rounds: [{ r: 0 }] }]);
    expect(t).toEqual({ header: ['vm', 'n', 'x.bytes'], rows: [['a', '1', '2']] });
    expect(listTables([{ vm: 'a', rounds: [{ r: 0 }, { r: 1 }] }]).rounds).toEqual({
      header: ['vm', 'r'],
      rows: [
        ['a', '0'],
        ['a', '1'],
      ],
    });
  });

  it('quotes CSV fields that need it', () => {
    expect(toCsv({ header: ['a', 'b'], rows: [['x,y', 'say "hi"']] })).toBe('a,b\r\n"x,y","say ""hi"""\r\n');
  });

  it("a migration's figures export as one row, its rounds as a table of their own", () => {
    const run = new ScenarioRun(resolveScenario(findPreset('precopy-converges')?.scenario)).runToEnd();
    const metrics = run.metrics().migrations;
    run.dispose();
    const rounds = listTables(metrics).rounds;
    const bytes = rounds.header.indexOf('bytesSent');
    const sum = rounds.rows.reduce((a, r) => a + Number(r[bytes]), 0);
    expect(sum).toBeGreaterThan(0);
    expect(metricsTable(metrics).rows[0][metricsTable(metrics).header.indexOf('transferredBytes')]).toBe(
      String(metrics[0].transferredBytes),
    );
  });
});
