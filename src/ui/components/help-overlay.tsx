import {Box, Text} from 'ink';
import React from 'react';
import stringWidth from 'string-width';
import type {Screen} from '../keys.js';
import {lastDetailsScroll} from '../state/details-lines.js';
import {warningRoom, warningRows} from '../state/warning-rows.js';
import {helpPages} from '../state/help-pages.js';
import type {WizardState} from '../state/wizard-state.js';

/** Generated from the key table, so it always says what the keys do; pages when the terminal is short. */
export function HelpOverlay({screen, rows, columns, page = 0}: {screen: Screen; rows: number; columns: number; page?: number}) {
  const {pages, percent} = helpPages(screen, rows, columns);
  const shown = Math.min(page, pages.length - 1);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold wrap="truncate-end">Keys on this screen{pages.length > 1 ? ` (page ${shown + 1} of ${pages.length})` : ''}</Text>
      {pages[shown].map((line, index) => (
        <Text key={index} wrap="truncate-end">
          {line}
        </Text>
      ))}
      {percent ? <Text wrap="truncate-end">{percent}</Text> : null}
      <Text dimColor wrap="truncate-end">{pages.length > 1 ? footerLine(helpPageKeys(shown, pages.length), columns - 4) : 'Any key closes this help.'}</Text>
    </Box>
  );
}

/** The keys of a paged help, how to close it first (it must survive a narrow terminal); no "next" on the last page. */
export function helpPageKeys(page: number, count: number): string[] {
  return ['other keys close', ...(page < count - 1 ? ['↓ next'] : []), ...(page > 0 ? ['↑ back'] : [])];
}

/** The footer's keys for what is on screen now: the mode (picker, filter, overlay) first. */
export function footerItems(state: WizardState): string[] {
  if (state.typedYes !== null) return ['type yes, then Enter, to apply', 'Esc cancels'];
  if (state.overlay === 'quit') return ['y quits', 'n stays'];
  if (state.overlay === 'help') {
    const count = helpPages(state.screen, state.viewport.rows, state.viewport.columns).pages.length;
    if (count > 1) return helpPageKeys(Math.min(state.helpPage, count - 1), count);
  }
  // Details and warnings that are longer than their panel scroll, and say so.
  const scrolls = state.overlay === 'details' ? lastDetailsScroll(state) > 0 : state.overlay === 'warnings' && warningRows(state.warnings, state.viewport.columns).length > warningRoom(state.viewport.rows);
  if (scrolls) return ['other keys close', '↑↓ PgUp PgDn scroll'];
  if (state.overlay) return ['any key closes'];
  if (state.picker) return state.picker.query ? ['↑↓ choose', 'Enter picks', 'Backspace edits the filter', 'Esc cancels'] : ['↑↓ choose', 'Enter or 1-9/0 picks', 'type to filter', 'Esc cancels'];
  if (state.filterEditing) return ['type to filter', 'Enter keeps it', 'Esc clears it'];
  switch (state.screen) {
    case 'overview':
      return ['? help', '↑↓ choose', 'Enter open', 'c confirm', 'q quit', 'r review all', 'w warnings', '/ search'];
    case 'track':
      // Most needed first: a narrow footer keeps these and drops the rest (? lists them all).
      return ['? help', 'm move to', 'n no track', 'c confirm', 'q back', 'u undo', state.walking ? 'Tab next (past the last: confirm)' : 'Tab/→ next', 'Space select', '/ filter', 'Enter details', '↑↓ move'];
    case 'confirm':
      return state.applyPath.kind === 'none' ? ['↑↓ scroll', 's save plan (and the command that applies it)', 'b back', '? help'] : ['↑↓ scroll', 'y apply', 's save plan', 'b back', '? help'];
    case 'apply':
      return ['Ctrl-C stops (what landed is kept)'];
    case 'done':
      return ['q quit'];
  }
}

/** As many whole items as fit the width, never one cut in two; " · …" says when some were left out (? lists them all). */
export function footerLine(items: readonly string[], columns: number): string {
  const joined = (count: number) => items.slice(0, count).join(' · ');
  if (stringWidth(joined(items.length)) <= columns) return joined(items.length);
  let count = items.length - 1;
  while (count > 1 && stringWidth(`${joined(count)} · …`) > columns) count--;
  return `${joined(Math.max(1, count))} · …`;
}

export function KeyHints({state}: {state: WizardState}) {
  return <Text dimColor wrap="truncate-end">{footerLine(footerItems(state), state.viewport.columns)}</Text>;
}
