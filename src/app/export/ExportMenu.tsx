import { listTables, metricsTable, toCsv } from '../../engine/exportTables';
import { mechanismById } from '../../engine/mechanisms';
import { getState, setState, useStore } from '../store/store';
import { requestExport } from '../store/workerClient';
import { standaloneSvg } from './chartSvg';
import { download } from './download';
import { labPng } from './labPng';

const stamp = () => {
  const { frame, lab } = getState();
  return `vmlab-${lab}-${frame?.eventIndex ?? 0}`;
};

/** Everything a handout or a notebook needs, from the run on screen. */
export function ExportMenu() {
  const frame = useStore((s) => s.frame);
  const scenario = useStore((s) => s.scenario);
  const lab = useStore((s) => s.lab);
  if (!frame || !scenario) return null;
  const def = mechanismById(lab);
  const metrics = frame.metrics[lab] ?? [];
  const lists = listTables(metrics);
  const items: { label: string; testId: string; run: () => void | Promise<void> }[] = [
    {
      label: 'PNG of the lab view',
      testId: 'export-png',
      run: async () => {
        const root = document.querySelector<HTMLElement>('[data-export-root]');
        if (root) download(`${stamp()}.png`, await labPng(root));
      },
    },
    {
      label: 'SVG of each chart',
      testId: 'export-svg',
      run: () => {
        const svgs = [...document.querySelectorAll<SVGSVGElement>('[data-export-root] svg')].filter(
          (s) => s.getBoundingClientRect().width > 40,
        );
        svgs.forEach((svg, i) => {
          download(`${stamp()}-chart-${i + 1}.svg`, standaloneSvg(svg), 'image/svg+xml');
        });
        if (svgs.length === 0) setState({ toast: 'This view has no chart to save.' });
      },
    },
    {
      label: `${def?.label ?? 'metrics'}: CSV`,
      testId: 'export-metrics-csv',
      run: () => download(`${stamp()}-metrics.csv`, toCsv(metricsTable(metrics)), 'text/csv'),
    },
    {
      label: 'metrics: JSON',
      testId: 'export-metrics-json',
      run: () => download(`${stamp()}-metrics.json`, JSON.stringify(frame.metrics, null, 2), 'application/json'),
    },
    ...Object.entries(lists).map(([name, table]) => ({
      label: `${name} table: CSV`,
      testId: `export-${name}-csv`,
      run: () => download(`${stamp()}-${name}.csv`, toCsv(table), 'text/csv'),
    })),
    {
      label: 'narrated log: CSV',
      testId: 'export-log-csv',
      run: () => requestExport('log', (text) => download(`${stamp()}-log.csv`, text, 'text/csv')),
    },
    {
      label: 'every event: JSON lines',
      testId: 'export-events',
      run: () => requestExport('events', (text) => download(`vmlab-${lab}-events.jsonl`, text, 'application/x-ndjson')),
    },
    {
      label: 'scenario: JSON',
      testId: 'export-scenario',
      run: () => download(`vmlab-${lab}-scenario.json`, `${JSON.stringify(scenario, null, 2)}\n`, 'application/json'),
    },
  ];
  return (
    <details className="panel export-menu">
      <summary>Export</summary>
      <ul>
        {items.map((it) => (
          <li key={it.testId}>
            <button type="button" className="link" onClick={() => void it.run()} data-testid={it.testId}>
              {it.label}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
