import {Box, Text, useApp, useInput, useStdout} from 'ink';
import React, {useEffect, useMemo, useReducer, useRef, useState} from 'react';
import type {ApplyEvent} from '../apply/apply-events.js';
import type {Plan} from '../plan/plan-types.js';
import {crashedOutcome} from '../report/report.js';
import {sanitizeText} from '../workorders/sanitize.js';
import {HelpOverlay, KeyHints} from './components/help-overlay.js';
import {TrackPicker} from './components/track-picker.js';
import {ApplyScreen} from './screens/apply-screen.js';
import {Confirm} from './screens/confirm.js';
import {Details} from './screens/details.js';
import {Done, type DoneFiles} from './screens/done.js';
import {currentCounts, Overview} from './screens/overview.js';
import {TrackReview} from './screens/track-review.js';
import {pickerChoices} from './state/picker.js';
import {splitKeys} from './keys.js';
import {initialState, MIN_COLUMNS, MIN_ROWS, reduce, tooSmall, type ApplyPathView, type WizardState} from './state/wizard-state.js';
import {warningRoom, warningRows} from './state/warning-rows.js';
import {accent, type Theme} from './theme.js';

export type WizardResult = {kind: 'quit'} | {kind: 'saved'; file: string} | {kind: 'applied'; ok: boolean};

export type AppProps = {
  plan: Plan;
  theme: Theme;
  title: string;
  /** Where applying goes, found before review without writing anything. */
  applyPath?: ApplyPathView;
  /** Runs the apply engine; resolves with where the report went. */
  startApply: (plan: Plan, onEvent: (event: ApplyEvent) => void, signal: AbortSignal) => Promise<DoneFiles>;
  savePlan: (plan: Plan) => string;
  onExit: (result: WizardResult) => void;
  /** Redraws during apply are batched at this interval (ms): ~20 per second. */
  frameMs?: number;
  /** On the alternate screen: clear it on resize, so no stale line of a larger layout stays. */
  fullScreen?: boolean;
  /** Warnings (WO files PCC cannot see, load problems, the plan's own): `w` shows them. */
  warnings?: readonly string[];
};

export function App({plan, theme, title, applyPath, startApply, savePlan, onExit, frameMs = 50, fullScreen = false, warnings = []}: AppProps) {
  const {exit} = useApp();
  const {stdout} = useStdout();
  const [state, dispatch] = useReducer(reduce, plan, (initial) => initialState(initial, {rows: stdout.rows || 24, columns: stdout.columns || 80}, applyPath, warnings));
  const [files, setFiles] = useState<DoneFiles | null>(null);
  const [clock, setClock] = useState(Date.now());
  const controller = useRef<AbortController | null>(null);
  const pending = useRef<ApplyEvent[]>([]);
  // The server's distribution before anything is applied: fixed for the session, so it depends on
  // the plan it started from only.
  const now = useMemo(() => currentCounts(plan), [plan]);

  useInput((input, key) => {
    for (const press of splitKeys({...key, input})) dispatch({type: 'key', key: press});
  });

  useEffect(() => {
    const onResize = () => {
      if (fullScreen) stdout.write('\u001B[2J\u001B[H');
      dispatch({type: 'resize', rows: stdout.rows || 24, columns: stdout.columns || 80});
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fullScreen]);

  useEffect(() => {
    const request = state.request;
    if (!request) return;
    dispatch({type: 'request-done'});
    if (request.type === 'exit') {
      const outcome = state.apply?.outcome;
      onExit(outcome ? {kind: 'applied', ok: outcome.verified && !outcome.failed.length && !outcome.stopped} : {kind: 'quit'});
      exit();
    } else if (request.type === 'save') {
      const file = savePlan(state.review.plan);
      onExit({kind: 'saved', file});
      exit();
    } else if (request.type === 'stop-apply') {
      controller.current?.abort();
    } else if (request.type === 'apply') {
      const abort = new AbortController();
      controller.current = abort;
      dispatch({type: 'apply-started', counts: now, now: Date.now()});
      // Events pile up between frames and are drawn together, so rendering never slows the apply.
      const timer = setInterval(() => {
        setClock(Date.now());
        if (pending.current.length) dispatch({type: 'apply-events', events: pending.current.splice(0), now: Date.now()});
      }, frameMs);
      startApply(state.review.plan, (event) => pending.current.push(event), abort.signal)
        .then(setFiles)
        .catch((error: Error) => {
          pending.current.push({
            type: 'finished',
            // Not known to be a refusal: some changes may have landed; the plan resumes.
            outcome: crashedOutcome('', error.message),
          });
        })
        .finally(() => {
          clearInterval(timer);
          dispatch({type: 'apply-events', events: pending.current.splice(0), now: Date.now()});
        });
    }
    // Runs once per request; the state it reads is the one that made the request.
  }, [state.request]);

  let body: React.ReactNode;
  if (state.overlay === 'help') body = <HelpOverlay screen={state.screen} rows={state.viewport.rows} columns={state.viewport.columns} page={state.helpPage} />;
  else if (state.overlay === 'warnings') body = <Warnings state={state} />;
  else if (state.overlay === 'details') body = <Details state={state} />;
  else if (state.overlay === 'quit') {
    body = (
      <Box borderStyle="round" paddingX={1}>
        <Text>{quitQuestion(state)}</Text>
      </Box>
    );
  } else if (state.picker) {
    body = <TrackPicker choices={pickerChoices(state)} query={state.picker.query} cursor={state.picker.cursor} count={state.selected.size || 1} height={state.viewport.rows - 6} />;
  } else if (state.screen === 'overview') body = <Overview state={state} theme={theme} now={now} />;
  else if (state.screen === 'track') body = <TrackReview state={state} theme={theme} />;
  else if (state.screen === 'confirm') body = <Confirm state={state} now={now} theme={theme} />;
  else if (state.screen === 'apply') body = <ApplyScreen state={state} theme={theme} now={clock} />;
  else body = <Done state={state} theme={theme} files={files} />;

  // Below this size no screen fits: one short sentence instead of frames that overflow (and the
  // quit question, the one thing keys answer there besides Ctrl-C). The screen comes back once the
  // terminal grows.
  if (tooSmall(state.viewport)) {
    return (
      <Box flexDirection="column" width={state.viewport.columns} minHeight={fullScreen ? state.viewport.rows : undefined}>
        <Text wrap="wrap">
          {`The terminal is ${state.viewport.columns}x${state.viewport.rows}; pcc-track-wizard needs at least ${MIN_COLUMNS}x${MIN_ROWS}. Make it larger${state.screen === 'apply' && !state.apply?.outcome && !state.apply?.stopping ? ' (applying goes on)' : ''}.`}
        </Text>
        {state.overlay === 'quit' ? <Text wrap="wrap">{quitQuestion(state)}</Text> : null}
      </Box>
    );
  }

  // Full screen, every frame is at least the terminal's height: Ink then redraws the whole screen
  // on any resize, also one that changes the height only (a frame that did not change is not
  // redrawn). A minimum, not a fixed height: a fixed one would squeeze an overlong screen's lines
  // onto each other instead of letting it scroll.
  return (
    <Box flexDirection="column" width={state.viewport.columns} minHeight={fullScreen ? state.viewport.rows : undefined}>
      <Text bold wrap="truncate-end">
        pcc-track-wizard · {sanitizeText(title)}
      </Text>
      {body}
      {fullScreen ? <Box flexGrow={1} /> : null}
      <Text color={accent(theme, 'warn')} wrap="truncate-end">
        {state.notice ?? ' '}
      </Text>
      <KeyHints state={state} />
    </Box>
  );
}

/** What quitting asks, with the number of WOs whose moves it would drop. */
function quitQuestion(state: WizardState): string {
  const moved = movedCount(state);
  return `${moved ? `Quit and drop the moves of ${moved} work order${moved === 1 ? '' : 's'}?` : 'Quit without applying?'} y quits · n stays`;
}

/** Work orders the session moved (and has not undone), however many edits that took. */
function movedCount(state: {review: {past: readonly {ids: readonly string[]}[]}}): number {
  return new Set(state.review.past.flatMap((edit) => edit.ids)).size;
}

/** The warnings, wrapped to the width (each names a file and what to do); longer than the panel, they scroll. */
function Warnings({state}: {state: WizardState}) {
  const lines = state.warnings;
  const rows = warningRows(lines, state.viewport.columns);
  const room = warningRoom(state.viewport.rows);
  const start = Math.min(state.warningsScroll, Math.max(0, rows.length - room));
  const end = Math.min(rows.length, start + room);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Warnings ({lines.length})</Text>
      {lines.length ? null : <Text>None: every work order file was read cleanly.</Text>}
      {rows.slice(start, end).map((line, index) => (
        <Text key={index} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">{rows.length > room ? `Lines ${start + 1}–${end} of ${rows.length} (↑↓ scroll) · other keys close.` : 'Any key closes.'}</Text>
    </Box>
  );
}
