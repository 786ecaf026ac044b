import {Box, Text} from 'ink';
import React from 'react';
import type {PickerChoice} from '../state/picker.js';
import {windowAround} from '../state/window.js';

export function TrackPicker({choices, query, cursor, count, height}: {choices: PickerChoice[]; query: string; cursor: number; count: number; height: number}) {
  // Every row it has: all the choices when they fit, else a window with a line for what is above or below.
  const room = Math.max(3, height);
  let size = choices.length <= room ? choices.length : room - 1;
  let {start, end} = windowAround(choices.length, cursor, size);
  if (size + (start > 0 ? 1 : 0) + (end < choices.length ? 1 : 0) > room) {
    size = room - 2;
    ({start, end} = windowAround(choices.length, cursor, size));
  }
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold wrap="truncate-end">Move {count} work order{count === 1 ? '' : 's'} to… {query ? <Text>filter: {query} <Text dimColor>(Enter picks, Esc cancels)</Text></Text> : <Text dimColor>(type to filter, 1-9/0 to pick, Esc cancels)</Text>}</Text>
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
