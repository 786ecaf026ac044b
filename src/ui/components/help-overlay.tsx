import {Box, Text} from 'ink';
import React from 'react';
import {bindingsFor, type Screen} from '../keys.js';

/** Generated from the key table, so it always says what the keys do. */
export function HelpOverlay({screen}: {screen: Screen}) {
  const bindings = bindingsFor(screen);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Keys on this screen</Text>
      {bindings.map((binding) => (
        <Text key={`${binding.command}-${binding.label}`}>
          {binding.label.padEnd(12)} {binding.help}
        </Text>
      ))}
      <Text dimColor>Any key closes this help.</Text>
    </Box>
  );
}

/** One line of the most useful keys for the footer. */
export function KeyHints({screen}: {screen: Screen}) {
  const hints: Record<Screen, string> = {
    overview: '↑↓ choose · Enter open · r review all · c confirm · ? help · q quit',
    track: 'j/k move · Space select · m move to · n no track · u undo · / filter · Enter details · Tab next · ? help',
    confirm: 'y/Enter apply · s save plan · b back',
    apply: 'Ctrl-C stops (what landed is kept)',
    done: 'q quit',
  };
  return <Text dimColor>{hints[screen]}</Text>;
}
