import {Box, Text} from 'ink';
import React from 'react';
import type {PickerChoice} from '../state/picker.js';
import {windowAround} from '../state/window.js';

export function TrackPicker({choices, query, cursor, count, height}: {choices: PickerChoice[]; query: string; cursor: number; count: number; height: number}) {
  const {start, end} = windowAround(choices.length, cursor, Math.max(3, height));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Move {count} work order{count === 1 ? '' : 's'} to… {query ? <Text>filter: {query} <Text dimColor>(Enter picks, Esc cancels)</Text></Text> : <Text dimColor>(type to filter, 1-9/0 to pick, Esc cancels)</Text>}</Text>
      {start > 0 ? <Text dimColor>  ↑ {start} more</Text> : null}
      {choices.slice(start, end).map((choice, offset) => (
        <Text key={choice.key ?? '@none'} inverse={start + offset === cursor}>
          {start + offset === cursor ? '›' : ' '}{choice.hotkey ?? ' '} {choice.label}
          {choice.hint ? ` (${choice.hint})` : ''}
        </Text>
      ))}
      {end < choices.length ? <Text dimColor>  ↓ {choices.length - end} more</Text> : null}
    </Box>
  );
}
