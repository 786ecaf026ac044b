import {Box, Text} from 'ink';
import React from 'react';
import {bindingsFor, type Screen} from '../keys.js';

/** Generated from the key table, so it always says what the keys do. Two columns when tall. */
export function HelpOverlay({screen, rows, columns}: {screen: Screen; rows: number; columns: number}) {
  const lines = bindingsFor(screen).map((binding) => ({key: `${binding.command}-${binding.label}`, label: binding.label, help: binding.help}));
  // Header, notice and footer lines, the border, the title and the closing line.
  const fitsOneColumn = lines.length + 7 <= rows || columns < 70;
  // Never taller than the terminal: what does not fit is counted, not pushed off the top.
  const room = Math.max(1, rows - 7);
  const half = Math.min(room, fitsOneColumn ? lines.length : Math.ceil(lines.length / 2));
  const hidden = Math.max(0, lines.length - (fitsOneColumn ? half : half * 2));
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
      <Text dimColor wrap="truncate-end">{hidden ? `${hidden} more keys on a taller terminal · ` : ''}Any key closes this help.</Text>
    </Box>
  );
}

/** One line of the most useful keys for the footer. */
export function KeyHints({screen, canApply = true}: {screen: Screen; canApply?: boolean}) {
  const hints: Record<Screen, string> = {
    overview: '↑↓ choose · Enter open · r review all · c confirm · ? help · q quit',
    track: '↑↓ move · Space select · m move to · n no track · u undo · / filter · ? help',
    confirm: canApply ? 'y apply · s save plan · b back' : 's save plan (and the command that applies it) · b back',
    apply: 'Ctrl-C stops (what landed is kept)',
    done: 'q quit',
  };
  return <Text dimColor>{hints[screen]}</Text>;
}
