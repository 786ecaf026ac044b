import {Box, Text} from 'ink';
import React from 'react';
import stringWidth from 'string-width';
import {bindingsFor, type Screen} from '../keys.js';
import type {WizardState} from '../state/wizard-state.js';

/** Generated from the key table, so it always says what the keys do. Two columns when tall. */
export function HelpOverlay({screen, rows, columns}: {screen: Screen; rows: number; columns: number}) {
  const lines = bindingsFor(screen).map((binding) => ({key: `${binding.command}-${binding.label}`, label: binding.label, help: binding.help}));
  // Header, notice and footer lines, the border, the title and the closing line, and the note if any.
  const layout = (chrome: number) => {
    const fitsOneColumn = lines.length + chrome <= rows || columns < 70;
    // Never taller than the terminal: what does not fit is counted, not pushed off the top.
    const half = Math.min(Math.max(1, rows - chrome), fitsOneColumn ? lines.length : Math.ceil(lines.length / 2));
    return {fitsOneColumn, half, hidden: Math.max(0, lines.length - (fitsOneColumn ? half : half * 2))};
  };
  // Lists show each guess with a percentage: said once, where the keys are, only when every key
  // still fits with it.
  const withNote = layout(8);
  const percent = screen === 'track' && withNote.hidden === 0 ? 'n%: about n in 100 such guesses were right here.' : null;
  const {fitsOneColumn, half, hidden} = percent ? withNote : layout(7);
  const helpWidth = fitsOneColumn ? columns - 18 : Math.floor((columns - 6) / 2) - 13;
  const cell = (line: (typeof lines)[number] | undefined) => (line ? `${line.label.padEnd(12)}${line.help.length > helpWidth ? `${line.help.slice(0, helpWidth - 1)}…` : line.help.padEnd(helpWidth)}` : '');
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Keys on this screen</Text>
      {lines.slice(0, half).map((line, index) => (
        <Text key={line.key} wrap="truncate-end">
          {cell(line)}
          {fitsOneColumn ? '' : ` ${cell(lines[half + index])}`}
        </Text>
      ))}
      {percent ? <Text wrap="truncate-end">{percent}</Text> : null}
      <Text dimColor wrap="truncate-end">{hidden ? `${hidden} more keys on a taller terminal · ` : ''}Any key closes this help.</Text>
    </Box>
  );
}

/** The footer's keys for what is on screen now: the mode (picker, filter, overlay) first. */
export function footerItems(state: Pick<WizardState, 'screen' | 'picker' | 'filterEditing' | 'overlay' | 'typedYes' | 'walking' | 'applyPath'>): string[] {
  if (state.typedYes !== null) return ['type yes, then Enter, to apply', 'Esc cancels'];
  if (state.overlay === 'quit') return ['y quits', 'n stays'];
  if (state.overlay) return ['any key closes'];
  if (state.picker) return ['↑↓ choose', 'Enter or 1-9/0 picks', 'type to filter', 'Esc cancels'];
  if (state.filterEditing) return ['type to filter', 'Enter keeps it', 'Esc clears it'];
  switch (state.screen) {
    case 'overview':
      return ['? help', '↑↓ choose', 'Enter open', 'c confirm', 'q quit', 'r review all', 'w warnings', '/ search'];
    case 'track':
      return ['? help', '↑↓ move', 'Space select', 'm move to', 'n no track', 'u undo', '/ filter', state.walking ? 'Tab next (past the last: confirm)' : 'Tab/→ next', 'Enter details', 'c confirm', 'q back'];
    case 'confirm':
      return state.applyPath.kind === 'none' ? ['↑↓ scroll', 's save plan (and the command that applies it)', 'b back'] : ['↑↓ scroll', 'y apply', 's save plan', 'b back'];
    case 'apply':
      return ['Ctrl-C stops (what landed is kept)'];
    case 'done':
      return ['q quit'];
  }
}

/** One line: as many whole items as fit the width, never an item cut in two. */
export function KeyHints({state}: {state: Parameters<typeof footerItems>[0] & Pick<WizardState, 'viewport'>}) {
  const items = footerItems(state);
  let line = '';
  for (const item of items) {
    const next = line ? `${line} · ${item}` : item;
    if (stringWidth(next) > state.viewport.columns && line) break;
    line = next;
  }
  return <Text dimColor wrap="truncate-end">{line}</Text>;
}
