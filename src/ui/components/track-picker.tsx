import {Box, Text} from 'ink';
import React from 'react';
import type {PickerChoice} from '../state/picker.js';

export function TrackPicker({choices, query, cursor, count}: {choices: PickerChoice[]; query: string; cursor: number; count: number}) {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Move {count} work order{count === 1 ? '' : 's'} to… {query ? <Text>filter: {query}</Text> : <Text dimColor>(type to filter, 1-9/0 to pick, Esc cancels)</Text>}</Text>
      {choices.map((choice, index) => (
        <Text key={choice.key ?? '@none'} inverse={index === cursor}>
          {choice.hotkey ?? ' '} {choice.label}
          {choice.hint ? ` (${choice.hint})` : ''}
        </Text>
      ))}
    </Box>
  );
}
