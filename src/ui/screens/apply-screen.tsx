import {Box, Text} from 'ink';
import React from 'react';
import {sanitizeText} from '../../workorders/sanitize.js';
import {BarChart, type BarRow} from '../components/bar-chart.js';
import {NONE_GROUP, REVIEW_GROUP} from '../state/groups.js';
import {plannedCounts, RATE_WINDOW_MS, type ApplyView, type WizardState} from '../state/wizard-state.js';
import {accent, type Theme} from '../theme.js';

export function distributionRows(state: WizardState, counts: Record<string, number>): BarRow[] {
  const rows: BarRow[] = state.review.plan.tracks.map((track) => ({key: track.key, label: sanitizeText(track.name), count: counts[track.key] ?? 0, color: track.color}));
  rows.push({key: NONE_GROUP, label: 'No track', count: counts[NONE_GROUP] ?? 0, color: null});
  return rows;
}

/** The largest count of the final distribution: the chart's fixed scale while applying. */
export function finalScale(state: WizardState): number {
  const planned = plannedCounts(state.review.plan);
  const noTrack = (planned[NONE_GROUP] ?? 0) + (planned[REVIEW_GROUP] ?? 0);
  return Math.max(noTrack, ...state.review.plan.tracks.map((track) => planned[track.key] ?? 0));
}

function progressBar(done: number, total: number, width: number): string {
  // Before the engine says how many to send, the bar is empty, not full.
  const filled = total ? Math.round((done / total) * width) : 0;
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/** Rate over the recent window (so a slow start or an outage does not skew the ETA for long). */
export function rateAndEta(view: ApplyView, now: number): {rate: number; etaSeconds: number | null} {
  const first = view.samples.find((sample) => now - sample.at <= RATE_WINDOW_MS) ?? {at: view.startedAt, done: 0};
  const seconds = Math.max(0.001, (now - first.at) / 1000);
  const rate = seconds < 0.5 ? view.done / Math.max(0.001, (now - view.startedAt) / 1000) : (view.done - first.done) / seconds;
  const left = view.total - view.done;
  return {rate, etaSeconds: rate > 0 && !view.paused ? left / rate : null};
}

/** The chart's rows within `room` lines: all of them, or as many as fit beside a line that counts the rest. */
export function rowsWithin(rows: BarRow[], room: number): {shown: BarRow[]; hidden: number} {
  const shown = rows.length <= room ? rows : rows.slice(0, Math.max(0, room - 1));
  return {shown, hidden: rows.length - shown.length};
}

/** Lines around the screen's body: the title above, the notice and the key hints below. */
const FRAME_LINES = 3;
/** The screen's own lines besides the chart and the log: heading, progress, retries. */
const OWN_LINES = 3;

export function ApplyScreen({state, theme, now}: {state: WizardState; theme: Theme; now: number}) {
  const view = state.apply!;
  const {rate, etaSeconds} = rateAndEta(view, now);
  const width = Math.max(10, Math.min(40, state.viewport.columns - 40));
  // Never taller than the terminal: the chart comes first, the log takes what is left.
  const room = Math.max(1, state.viewport.rows - FRAME_LINES - OWN_LINES);
  const {shown: chartRows, hidden: hiddenRows} = rowsWithin(distributionRows(state, view.counts), room);
  const log = view.log.slice(Math.max(0, view.log.length - (room - chartRows.length - (hiddenRows ? 1 : 0))));
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">{view.stopping ? 'Stopping…' : view.paused ? 'Paused: the server is unreachable (Ctrl-C stops; running again resumes)' : 'Applying'}</Text>
      <BarChart rows={chartRows} width={state.viewport.columns} theme={theme} scaleMax={finalScale(state)} />
      {hiddenRows ? <Text dimColor wrap="truncate-end">{`… ${hiddenRows} more below (the report has them all)`}</Text> : null}
      <Text wrap="truncate-end">
        {progressBar(view.done, view.total, width)} {view.done}/{view.total} · {rate.toFixed(1)}/s · ETA {etaSeconds === null ? '—' : `${Math.ceil(etaSeconds)} s`}
        {view.alreadyDone ? ` · ${view.alreadyDone} already done` : ''}
      </Text>
      <Text color={view.failures.length ? accent(theme, 'error') : undefined} wrap="truncate-end">
        Retries: {view.retries} · Failed: {view.failures.length}
      </Text>
      {log.map((line, index) => (
        <Text key={index} dimColor wrap="truncate-end">
          {sanitizeText(line)}
        </Text>
      ))}
    </Box>
  );
}
