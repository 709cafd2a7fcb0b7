import { useEffect } from 'react';
import { Breakpoints } from './controls/Breakpoints';
import { PlaybackControls } from './controls/PlaybackControls';
import { useKeyboard } from './controls/useKeyboard';
import { ErrorBanner, Toast } from './header/ErrorBanner';
import { Header } from './header/Header';
import { HelpOverlay } from './header/HelpOverlay';
import { ScenarioEditor } from './header/ScenarioEditor';
import { LAB_UIS } from './labs';
import { openFromLocation } from './links';
import { useStore } from './store/store';
import { CompareView } from './views/compare/CompareView';
import { DetailsPanel, SelectionPanel } from './views/details/DetailsPanel';
import { EventLog } from './views/eventLog/EventLog';
import { Timeline } from './views/timeline/Timeline';
import { Topology } from './views/topology/Topology';

export function App() {
  const frame = useStore((s) => s.frame);
  const scenario = useStore((s) => s.scenario);
  const view = useStore((s) => s.view);
  const lab = LAB_UIS[useStore((s) => s.lab)];
  useKeyboard();
  useEffect(() => {
    openFromLocation();
    const onHash = () => {
      if (location.hash.includes('s=')) openFromLocation();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <div className="app">
      <Header />
      <ErrorBanner />
      <main className={`layout view-${view}`}>
        <div className="main-column">
          {frame && scenario && (
            <section className="panel">
              <Topology frame={frame} hosts={scenario.hosts.map((h) => h.id)} />
            </section>
          )}
          <Timeline />
          {view === 'compare' ? (
            <CompareView />
          ) : frame && lab ? (
            <lab.Main frame={frame} />
          ) : (
            <p className="muted">Loading…</p>
          )}
          <EventLog />
        </div>
        <aside className="side-column">
          <PlaybackControls />
          <SelectionPanel />
          {frame && lab && <lab.Side frame={frame} />}
          <Breakpoints />
          <DetailsPanel />
        </aside>
      </main>
      <HelpOverlay />
      <ScenarioEditor />
      <Toast />
    </div>
  );
}
