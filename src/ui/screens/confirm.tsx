import {Box, Text} from 'ink';
import React from 'react';
import {computeChanges, sendsNothing} from '../../plan/changes.js';
import {CompactTable} from '../components/compact-table.js';
import {confirmLastStart, confirmLayout, confirmLines, confirmTableFits} from '../state/confirm-lines.js';
import {REVIEW_GROUP} from '../state/groups.js';
import {confirmRecordsDecisions, confirmTargetLines, confirmWindow, plannedCounts, type WizardState} from '../state/wizard-state.js';
import {accent, type Theme} from '../theme.js';
import {ApplyPathLine} from './overview.js';

/** Track rows (now → planned), then every change per WO; one scrolling body. Nothing is sent before `y`. */
export function Confirm({state, now, theme}: {state: WizardState; now: Record<string, number>; theme: Theme}) {
  const plan = state.review.plan;
  const planned = plannedCounts(plan);
  const changes = computeChanges(plan);
  const lines = confirmLines(plan);
  const nothing = sendsNothing(changes);
  // With nothing to send, one more line may say what y still does: the window gives it its row.
  const recordsDecisions = confirmRecordsDecisions(state);
  // The table's border and heading take four lines of the window when any row shows.
  const height = confirmWindow(state);
  const tableFits = confirmTableFits(state.viewport.columns);
  const start = Math.min(state.confirmScroll, confirmLastStart(lines, height, tableFits));
  const {rows, rest, end} = confirmLayout(lines, start, height, tableFits);
  // Said whenever a line is out of view, also when the table's frame is what pushes it out.
  const clipped = start > 0 || end < lines.length;
  const nameWidth = Math.max(8, Math.min(28, state.viewport.columns - 44));
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        Confirm: {changes.createTracks.length} tracks to create · {changes.assign} to assign · {changes.move} to move · {changes.clear} to clear · {changes.unchanged} unchanged
        {changes.deleteTracks.length ? ` · ${changes.deleteTracks.length} copies to merge` : ''}
      </Text>
      {rows.length ? <CompactTable data={rows.map((row) => ({...row, Track: row.Track.length > nameWidth ? `${row.Track.slice(0, nameWidth - 1)}…` : row.Track}))} /> : null}
      {rest.map((line, offset) =>
        line.kind === 'gap' ? (
          <Text key={offset}> </Text>
        ) : line.kind === 'heading' ? (
          <Text key={offset} bold wrap="truncate-end">
            {line.text}
          </Text>
        ) : line.kind === 'change' ? (
          <Text key={offset} wrap="truncate-end" color={line.sign === '-' ? accent(theme, 'warn') : undefined}>
            {line.sign} {line.text}
          </Text>
        ) : (
          // Too short for the table's borders: the row as one line.
          <Text key={offset} wrap="truncate-end">
            {line.row.Track}: {line.row.Now} → {line.row.Planned} ({line.row.Change}){line.row.Create ? ', new' : ''}
          </Text>
        ),
      )}
      <Text dimColor wrap="truncate-end">
        {clipped ? `Lines ${start + 1}–${end} of ${lines.length} (↑↓ PgUp PgDn scroll)` : planned[REVIEW_GROUP] ? '' : ' '}
        {planned[REVIEW_GROUP] ? `${clipped ? ' · ' : ''}${planned[REVIEW_GROUP]} still ${planned[REVIEW_GROUP] === 1 ? 'needs' : 'need'} review and stay${planned[REVIEW_GROUP] === 1 ? 's' : ''} on no track` : ''}
      </Text>
      {nothing ? (
        <Box flexDirection="column">
          <Text color={accent(theme, 'ok')}>Nothing to change: the server already matches the plan.</Text>
          {recordsDecisions ? <Text wrap="truncate-end">y records the review&apos;s decisions in the spec.</Text> : null}
        </Box>
      ) : state.applyPath.kind === 'none' ? (
        <ApplyPathLine state={state} theme={theme} />
      ) : (
        confirmTargetLines(state).map((line, index) => (
          <Text key={index} wrap="truncate-end">
            {line}
          </Text>
        ))
      )}
    </Box>
  );
}
