import { memo, useEffect } from 'react';
import { Breakpoints } from './controls/Breakpoints';
import { PlaybackControls } from './controls/PlaybackControls';
import { useKeyboard } from './controls/useKeyboard';
import { ExportMenu } from './export/ExportMenu';
import { ErrorBanner, Toast } from './header/ErrorBanner';
import { Header } from './header/Header';
import { HelpOverlay } from './header/HelpOverlay';
import { ScenarioEditor } from './header/ScenarioEditor';
import { LAB_UIS } from './labs';
import { LessonPicker } from './lessons/LessonPicker';
import { LessonPlayer } from './lessons/LessonPlayer';
import { openFromLocation } from './links';
import { Drawer, DrawerBar } from './presentation/Drawer';
import { setState, useStore } from './store/store';
import { useAddressBar } from './useAddressBar';
import { CompareView } from './views/compare/CompareView';
import { DetailsPanel, SelectionPanel } from './views/details/DetailsPanel';
import { EventLog } from './views/eventLog/EventLog';
import { Timeline } from './views/timeline/Timeline';
import { Topology } from './views/topology/Topology';

// Parts without props follow the store themselves: memoised, a new frame does not re-render them with the app.
const StaticHeader = memo(Header);
const StaticErrorBanner = memo(ErrorBanner);
const StaticLessonPicker = memo(LessonPicker);
const StaticSelectionPanel = memo(SelectionPanel);
const StaticBreakpoints = memo(Breakpoints);
const StaticHelpOverlay = memo(HelpOverlay);
const StaticScenarioEditor = memo(ScenarioEditor);
const StaticToast = memo(Toast);

/** `&embed=1` beside the link's data: the lab alone, for an iframe in slides (header and editor hidden). */
const EMBEDDED = /(^|[#&])embed=1(&|$)/.test(location.hash);
function embedded(): boolean {
  return EMBEDDED;
}

/** In compare, each variant runs to its end at once: there is nothing to play, so say where playing is. */
function CompareNote() {
  return (
    <section className="panel compare-note" data-testid="compare-note">
      <p>
        Compare runs every chosen variant to its end, side by side. To watch one run event by event, with play, step
        back and breakpoints, open <strong>Run</strong>.
      </p>
      <button type="button" onClick={() => setState({ view: 'lab' })}>
        Open Run
      </button>
    </section>
  );
}

export function App() {
  const frame = useStore((s) => s.frame);
  const scenario = useStore((s) => s.scenario);
  const view = useStore((s) => s.view);
  const lab = LAB_UIS[useStore((s) => s.lab)];
  const presenting = useStore((s) => s.presenting);
  const blanked = useStore((s) => s.blanked);
  useKeyboard();
  useAddressBar();
  useEffect(() => {
    openFromLocation();
    const onHash = () => {
      if (location.hash.includes('s=')) openFromLocation();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <div className={['app', presenting ? 'presenting' : '', embedded() ? 'embed' : ''].filter(Boolean).join(' ')}>
      <StaticHeader />
      <StaticErrorBanner />
      <main className={`layout view-${view}`}>
        <div className="main-column" data-export-root>
          {frame && scenario && (
            <section className="panel topology-panel">
              <Topology frame={frame} hosts={scenario.hosts.map((h) => h.id)} motions={lab?.vmMotions?.(frame)} />
            </section>
          )}
          <LessonPlayer />
          <Timeline />
          {view === 'compare' ? (
            <CompareView />
          ) : frame && lab ? (
            <lab.Main frame={frame} />
          ) : (
            <p className="muted">Loading…</p>
          )}
          <Drawer id="log">
            <EventLog />
          </Drawer>
        </div>
        <aside className="side-column">
          <a className="embed-open" href={location.href.replace(/&embed=1\b/, '')} target="_blank" rel="noopener">
            Open in vmlab ↗
          </a>
          <DrawerBar />
          {view === 'compare' ? (
            <CompareNote />
          ) : (
            <>
              <PlaybackControls />
              <StaticLessonPicker />
              <StaticSelectionPanel />
              {frame && lab && <lab.Side frame={frame} />}
              <Drawer id="breakpoints">
                <StaticBreakpoints />
              </Drawer>
            </>
          )}
          <Drawer id="details">
            <DetailsPanel />
            <ExportMenu />
          </Drawer>
        </aside>
      </main>
      {blanked && <div className="blank-screen" data-testid="blank" role="img" aria-label="screen blanked; press b" />}
      <StaticHelpOverlay />
      <StaticScenarioEditor />
      <StaticToast />
    </div>
  );
}
