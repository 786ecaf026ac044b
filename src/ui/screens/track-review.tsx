import {Box, Text} from 'ink';
import React from 'react';
import stringWidth from 'string-width';
import {changeOf} from '../../plan/changes.js';
import type {Plan, PlanItem} from '../../plan/plan-types.js';
import {sanitizeText} from '../../workorders/sanitize.js';
import {ALL_GROUP, groupKeys, groupName, groupOf, NONE_GROUP, REVIEW_GROUP} from '../state/groups.js';
import {currentGroupKey, currentItems, listHeight, type WizardState} from '../state/wizard-state.js';
import {cutToWidth} from '../state/wrap.js';
import {accent, trackColor, type Theme} from '../theme.js';

/** The narrowest the source column gets, and the title width it never takes from. */
const SOURCE_MIN = 14;
const TITLE_KEEPS = 40;
const widestName = new WeakMap<Plan['tracks'], number>();

/** The source column: wide enough for the longest track name and a percentage when the terminal has room. */
function sourceWidth(plan: Plan, columns: number): number {
  let widest = widestName.get(plan.tracks);
  if (widest === undefined) {
    widest = Math.max(stringWidth('Needs review'), ...plan.tracks.map((track) => stringWidth(sanitizeText(track.name))));
    widestName.set(plan.tracks, widest);
  }
  // "→ name" in search, "name 100%" in Needs review.
  return Math.max(SOURCE_MIN, Math.min(widest + 5, columns - 29 - TITLE_KEEPS));
}

function sourceLabel(item: PlanItem, plan: Plan, width: number): string {
  switch (item.source) {
    case 'suggested':
      return `suggested ${Math.round((item.suggestion?.confidence ?? 0) * 100)}%`;
    case 'manual':
      return 'moved';
    case 'uncategorized':
      // The guessed track and its confidence, both: a percentage alone says nothing.
      if (!item.suggestion) return 'uncategorized';
      {
        const percent = `${Math.round(item.suggestion.confidence * 100)}%`;
        const name = item.suggestion.key === '@none' ? 'no track' : sanitizeText(groupName(plan, item.suggestion.key));
        return `${fit(name, width - 1 - percent.length).trimEnd()} ${percent}`;
      }
    default:
      return item.source;
  }
}

/** Where search says a WO goes: its planned track, Needs review, or no track. */
function searchTarget(item: PlanItem, plan: Plan): string {
  const group = groupOf(item);
  return group === NONE_GROUP ? 'no track' : sanitizeText(groupName(plan, group));
}

/** Cut or pad to a display width: CJK and emoji take two columns, combining marks none. */
function fit(text: string, width: number): string {
  if (width <= 1) return '';
  const cut = cutToWidth(text, width);
  return cut + ' '.repeat(Math.max(0, width - stringWidth(cut)));
}

export function TrackReview({state, theme}: {state: WizardState; theme: Theme}) {
  const plan = state.review.plan;
  const key = currentGroupKey(state);
  const track = plan.tracks.find((candidate) => candidate.key === key);
  const items = currentItems(state);
  const height = listHeight(state);
  const window = items.slice(state.scroll, state.scroll + height);
  const columns = state.viewport.columns;
  const sourceColumn = sourceWidth(plan, columns);
  const titleWidth = Math.max(10, columns - 31 - sourceColumn);
  const narrow = columns < 60;
  const keepsSource = state.searchAll || key === REVIEW_GROUP;
  const groups = groupKeys(plan);
  const goal = track?.goal
    ? sanitizeText(track.goal)
    : key === REVIEW_GROUP
      ? 'Nothing places these yet: move each to a track or to no track.'
      : key === NONE_GROUP
        ? 'These stay on no track: the spec says so, or they were moved here.'
        : key === ALL_GROUP
          ? 'Every work order, on any track: type to search by id, title or tag.'
          : '';
  return (
    <Box flexDirection="column">
      {/* One line whatever the width: the list below counts on it. */}
      <Text wrap="truncate-end">
        <Text color={trackColor(theme, track?.color)} bold>
          {sanitizeText(groupName(plan, key))}
        </Text>
        {' '}
        {state.searchAll ? '(search)' : `(${state.group + 1}/${groups.length})`}{track && !track.existingId ? ' · new track' : ''} · {items.length ? `${state.cursor + 1}/${items.length}` : '0/0'}
        {state.selected.size ? ` · ${state.selected.size} selected` : ''}
      </Text>
      <Text dimColor wrap="truncate-end">{goal || ' '}</Text>
      {/* While typing, the end of a long filter (where the cursor is) stays in view. */}
      <Text color={state.filterEditing ? accent(theme, 'cursor') : undefined} wrap={state.filterEditing ? 'truncate-start' : 'truncate-end'}>
        {state.filterEditing ? `Filter: ${state.filter}▏ (Enter keeps, Esc clears)` : state.filter ? `Filter: ${state.filter} (/ edits, Esc clears)` : ' '}
      </Text>
      {window.length === 0 ? <Text dimColor>{state.filter ? 'Nothing matches the filter.' : 'No work orders here.'}</Text> : null}
      {window.map((item, offset) => {
        const index = state.scroll + offset;
        const isCursor = index === state.cursor;
        const selected = state.selected.has(item.id);
        // Rows that applying would change carry their sign: + assign, ~ move, - clear.
        const change = changeOf(item);
        const sign = change ? (change.kind === 'assign' ? '+' : change.kind === 'move' ? '~' : '-') : ' ';
        const head = `${isCursor ? '›' : ' '}${selected ? '●' : ' '}${sign} ${sanitizeText(item.id).padEnd(12)} `;
        // Narrow terminals keep the title and drop the status and source columns.
        const source = state.searchAll ? `→ ${searchTarget(item, plan)}` : sourceLabel(item, plan, sourceColumn);
        // Narrow terminals drop the status; the guess (Needs review) and where a found WO goes
        // (search) stay, as they are what is decided there.
        const line = !narrow
          ? `${head}${fit(sanitizeText(item.status), 10)} ${fit(source, sourceColumn)} ${fit(item.safeTitle, titleWidth)}`
          : keepsSource
            ? `${head}${fit(state.searchAll ? source : sourceLabel(item, plan, SOURCE_MIN), SOURCE_MIN)} ${fit(item.safeTitle, Math.max(4, columns - 19 - SOURCE_MIN))}`
            : `${head}${fit(item.safeTitle, Math.max(4, columns - 18))}`;
        return (
          <Text key={item.id} inverse={isCursor} color={selected ? accent(theme, 'cursor') : undefined} wrap="truncate-end">
            {line}
          </Text>
        );
      })}
      {/* Rows out of view are counted, so a short terminal never hides a WO without saying so. */}
      <Text dimColor wrap="truncate-end">
        {items.length > window.length ? `${state.scroll ? `↑ ${state.scroll} above · ` : ''}${items.length - state.scroll - window.length ? `↓ ${items.length - state.scroll - window.length} more` : 'end of list'}` : ' '}
      </Text>
    </Box>
  );
}
