import {Box, Text} from 'ink';
import React from 'react';
import {sanitizeText} from '../../workorders/sanitize.js';
import {groupName} from '../state/groups.js';
import {currentItems, type WizardState} from '../state/wizard-state.js';
import {wrapLine} from '../state/wrap.js';

/** Everything about the WO under the cursor, including why it is where it is. */
export function Details({state}: {state: WizardState}) {
  const item = currentItems(state)[state.cursor];
  if (!item) return null;
  const plan = state.review.plan;
  const trackOf = (id: string) => {
    const index = state.review.indexById.get(id);
    if (index === undefined) return id.includes(':') ? 'other project' : 'not in this project';
    const key = plan.items[index].plannedKey;
    return key === null ? 'no track' : groupName(plan, key);
  };
  const suggestion = item.suggestion;
  const lines = [
    `Status: ${sanitizeText(item.status)}${item.recovered ? ' (front matter was broken; fields recovered)' : ''}`,
    `Now: ${item.currentKey ? sanitizeText(groupName(plan, item.currentKey)) : 'no track'} · Planned: ${item.plannedKey ? sanitizeText(groupName(plan, item.plannedKey)) : 'no track'}`,
    `Why: ${sanitizeText(item.reason)}`,
    ...(suggestion
      ? [`Suggestion: ${sanitizeText(groupName(plan, suggestion.key))} ${Math.round(suggestion.confidence * 100)}%${suggestion.runnerUp ? ` (runner-up ${sanitizeText(groupName(plan, suggestion.runnerUp.key))} ${Math.round(suggestion.runnerUp.confidence * 100)}%)` : ''} — ${sanitizeText(suggestion.reason)}`]
      : []),
    `Goal: ${item.goal ? sanitizeText(item.goal) : '—'}`,
    `Tags: ${item.tags.length ? item.tags.map(sanitizeText).join(', ') : '—'}`,
    `Depends on: ${item.dependsOn.length ? item.dependsOn.map((id) => `${sanitizeText(id)} (${sanitizeText(trackOf(id))})`).join(', ') : '—'}`,
  ];
  // Long lines wrap to the box (border and padding take 4 columns); never taller than the
  // terminal: the id and title first, then what fits.
  const wrapped = lines.flatMap((line) => wrapLine(line, state.viewport.columns - 4));
  const room = Math.max(1, state.viewport.rows - 8);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold wrap="truncate-end">
        {sanitizeText(item.id)}: {item.safeTitle}
      </Text>
      {wrapped.slice(0, room).map((line, index) => (
        <Text key={index} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">{wrapped.length > room ? `${wrapped.length - room} more line${wrapped.length - room === 1 ? '' : 's'} on a taller terminal · ` : ''}Any key closes.</Text>
    </Box>
  );
}
