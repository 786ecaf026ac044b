import {Box, Text} from 'ink';
import React from 'react';
import {computeChanges} from '../../plan/changes.js';
import {sanitizeText} from '../../workorders/sanitize.js';
import {BarChart, type BarRow} from '../components/bar-chart.js';
import {groupKeys, groupName, NONE_GROUP, REVIEW_GROUP} from '../state/groups.js';
import {applyPathExtraLines, plannedCounts, type WizardState} from '../state/wizard-state.js';
import {accent, type Theme} from '../theme.js';
import {windowAround} from '../state/window.js';

export {currentCounts} from '../state/groups.js';

export function Overview({state, theme, now}: {state: WizardState; theme: Theme; now: Record<string, number>}) {
  const plan = state.review.plan;
  const planned = plannedCounts(plan);
  const changes = computeChanges(plan);
  const rows: BarRow[] = groupKeys(plan).map((key, index) => {
    const track = plan.tracks.find((candidate) => candidate.key === key);
    const count = planned[key] ?? 0;
    const before = key === REVIEW_GROUP ? 0 : now[key] ?? 0;
    // Needs review stays on no track when applied: "No track" compares both with now, as the confirm table does.
    const delta = (key === NONE_GROUP ? count + (planned[REVIEW_GROUP] ?? 0) : count) - before;
    const notes = [track && !track.existingId ? 'new' : '', key !== REVIEW_GROUP && delta ? `${delta > 0 ? '+' : ''}${delta} vs now` : '', key === REVIEW_GROUP && count ? 'needs a decision' : ''].filter(Boolean);
    return {key, label: sanitizeText(groupName(plan, key)), count, color: track?.color ?? null, note: notes.join(', '), highlighted: index === state.overviewCursor};
  });
  // Many tracks: show the rows around the cursor, so the screen never outgrows the terminal.
  const {start, end} = windowAround(rows.length, state.overviewCursor, Math.max(3, state.viewport.rows - 7 - applyPathExtraLines(state)));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {plan.items.length} WOs: {changes.createTracks.length} new tracks, {changes.assign} to assign, {changes.move} to move, {changes.clear} to clear, {changes.unchanged} unchanged
      </Text>
      <ApplyPathLine state={state} theme={theme} />
      <Box marginTop={1}>
        <BarChart rows={rows.slice(start, end)} width={state.viewport.columns} theme={theme} scaleMax={Math.max(...rows.map((row) => row.count))} />
      </Box>
      {end - start < rows.length ? <Text dimColor>{start ? `↑ ${start} above · ` : ''}{end < rows.length ? `↓ ${rows.length - end} more` : 'end of list'}</Text> : null}
    </Box>
  );
}

/** Which apply path this session has: said before review, on the overview and the confirm screen. */
export function ApplyPathLine({state, theme}: {state: WizardState; theme: Theme}) {
  const path = state.applyPath;
  // One line each, so the list below keeps the height it was given; the full text is in the report.
  if (path.kind === 'none') return <Text color={accent(theme, 'warn')}>Cannot apply from here: {sanitizeText(path.text)}</Text>;
  return <Text dimColor wrap="truncate-end">Applies to {sanitizeText(path.text)}</Text>;
}
