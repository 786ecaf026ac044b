import {Box, Text} from 'ink';
import React from 'react';
import {detailsLines} from '../state/details-lines.js';
import type {WizardState} from '../state/wizard-state.js';

/** Everything about the WO under the cursor, including why it is where it is; the body scrolls. */
export function Details({state}: {state: WizardState}) {
  const lines = detailsLines(state);
  if (!lines) return null;
  const {title, body, room} = lines;
  const start = Math.min(state.detailsScroll, Math.max(0, body.length - room));
  const end = Math.min(body.length, start + room);
  const more = body.length > room ? `Lines ${start + 1}–${end} of ${body.length} (↑↓ scroll) · other keys close.` : 'Any key closes.';
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      {title.map((line, index) => (
        <Text key={`t${index}`} bold wrap="truncate-end">
          {line}
        </Text>
      ))}
      {body.slice(start, end).map((line, index) => (
        <Text key={index} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        {more}
      </Text>
    </Box>
  );
}
