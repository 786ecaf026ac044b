import {Box, Text} from 'ink';
import React from 'react';
import {trackColor, type Theme} from '../theme.js';

export type BarRow = {key: string; label: string; count: number; color: string | null; note?: string; highlighted?: boolean};

/** Horizontal bars scaled to the widest count; the count is always printed beside the bar. */
/**
 * `scaleMax` fixes the scale (the apply screen uses the final distribution, so bars grow toward
 * their planned length); a count past it draws a full bar ending in `»`.
 */
export function BarChart({rows, width, theme, scaleMax}: {rows: BarRow[]; width: number; theme: Theme; scaleMax?: number}) {
  const labelWidth = Math.min(26, Math.max(8, ...rows.map((row) => row.label.length)));
  const max = Math.max(1, scaleMax ?? Math.max(...rows.map((row) => row.count)));
  const fixed = 1 + labelWidth + 7 + 1;
  // Marker, label, count and note must fit beside the longest bar on one line; on a narrow
  // terminal the notes go first.
  const wantedNotes = Math.max(0, ...rows.map((row) => (row.note ? row.note.length + 1 : 0)));
  const showNotes = width - fixed - wantedNotes >= 8;
  const barWidth = Math.max(4, width - fixed - (showNotes ? wantedNotes : 0));
  return (
    <Box flexDirection="column">
      {rows.map((row) => {
        const over = row.count > max;
        const length = row.count > 0 ? Math.max(1, Math.round((Math.min(row.count, max) / max) * barWidth)) - (over ? 1 : 0) : 0;
        const label = row.label.length > labelWidth ? `${row.label.slice(0, labelWidth - 1)}…` : row.label.padEnd(labelWidth);
        return (
          <Box key={row.key}>
            <Text inverse={row.highlighted}>{row.highlighted ? '›' : ' '}</Text>
            <Text color={trackColor(theme, row.color)} bold={row.highlighted}>{label}</Text>
            <Text> {String(row.count).padStart(5)} </Text>
            <Text color={trackColor(theme, row.color)}>{'█'.repeat(length)}{over ? '»' : ''}</Text>
            {row.note && showNotes ? <Text dimColor> {row.note}</Text> : null}
          </Box>
        );
      })}
    </Box>
  );
}
