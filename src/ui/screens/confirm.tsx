import {CompactTable} from '../components/compact-table.js';
import {Box, Text} from 'ink';
import React from 'react';
import {computeChanges} from '../../plan/changes.js';
import {sanitizeText} from '../../workorders/sanitize.js';
import {NONE_GROUP, REVIEW_GROUP} from '../state/groups.js';
import {plannedCounts, type WizardState} from '../state/wizard-state.js';
import {accent, type Theme} from '../theme.js';
import {ApplyPathLine} from './overview.js';

/** One row per track, now → planned, and the totals. Nothing is sent before `y`. */
export function Confirm({state, now, theme}: {state: WizardState; now: Record<string, number>; theme: Theme}) {
  const plan = state.review.plan;
  const planned = plannedCounts(plan);
  const changes = computeChanges(plan);
  const rows = plan.tracks.map((track) => {
    const after = planned[track.key] ?? 0;
    const before = now[track.key] ?? 0;
    return {
      Track: sanitizeText(track.name).slice(0, 28),
      Now: before,
      Planned: after,
      Change: after === before ? '=' : `${after > before ? '+' : ''}${after - before}`,
      Create: track.existingId ? '' : 'yes',
    };
  });
  const noTrack = (planned[NONE_GROUP] ?? 0) + (planned[REVIEW_GROUP] ?? 0);
  const noTrackNow = now[NONE_GROUP] ?? 0;
  rows.push({Track: 'No track', Now: noTrackNow, Planned: noTrack, Change: noTrack === noTrackNow ? '=' : `${noTrack > noTrackNow ? '+' : ''}${noTrack - noTrackNow}`, Create: ''});
  const nothing = changes.createTracks.length + changes.changes.length === 0;
  // On a short terminal, tracks that do not change give way to those that do.
  const room = Math.max(3, state.viewport.rows - 12);
  let shown = rows;
  let hidden = 0;
  if (rows.length > room) {
    const changing = rows.filter((row) => row.Change !== '=' || row.Create);
    shown = changing.slice(0, room);
    hidden = rows.length - shown.length;
  }
  return (
    <Box flexDirection="column">
      <Text bold>Confirm the changes</Text>
      <CompactTable data={shown} />
      {hidden ? <Text dimColor>{hidden} more tracks without changes are not shown.</Text> : null}
      <Text>
        Tracks to create {changes.createTracks.length} · WOs to assign {changes.assign} · move {changes.move} · clear {changes.clear} · unchanged {changes.unchanged}
      </Text>
      {planned[REVIEW_GROUP] ? <Text color={accent(theme, 'warn')}>{planned[REVIEW_GROUP]} work orders still need review; they stay on no track.</Text> : null}
      {nothing ? <Text color={accent(theme, 'ok')}>Nothing to change: the server already matches the plan.</Text> : state.applyPath.kind === 'none' ? <ApplyPathLine state={state} theme={theme} /> : <Text>Nothing has been sent yet; y applies to {sanitizeText(state.applyPath.text)}.</Text>}
    </Box>
  );
}
