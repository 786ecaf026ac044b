import {Box, Text} from 'ink';
import React from 'react';
import {sanitizeText} from '../../workorders/sanitize.js';
import {groupName} from '../state/groups.js';
import {currentItems, type WizardState} from '../state/wizard-state.js';

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
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>
        {sanitizeText(item.id)}: {item.safeTitle}
      </Text>
      <Text>Status: {sanitizeText(item.status)}{item.recovered ? ' (front matter was broken; fields recovered)' : ''}</Text>
      <Text>Goal: {item.goal ? sanitizeText(item.goal) : '—'}</Text>
      <Text>Tags: {item.tags.length ? item.tags.map(sanitizeText).join(', ') : '—'}</Text>
      <Text>Depends on: {item.dependsOn.length ? item.dependsOn.map((id) => `${sanitizeText(id)} (${sanitizeText(trackOf(id))})`).join(', ') : '—'}</Text>
      <Text>Now: {item.currentKey ? sanitizeText(groupName(plan, item.currentKey)) : 'no track'} · Planned: {item.plannedKey ? sanitizeText(groupName(plan, item.plannedKey)) : 'no track'}</Text>
      <Text>Why: {sanitizeText(item.reason)}</Text>
      {suggestion ? (
        <Text>
          Suggestion: {sanitizeText(groupName(plan, suggestion.key))} {Math.round(suggestion.confidence * 100)}% — {sanitizeText(suggestion.reason)}
          {suggestion.runnerUp ? `; runner-up ${sanitizeText(groupName(plan, suggestion.runnerUp.key))} ${Math.round(suggestion.runnerUp.confidence * 100)}%` : ''}
        </Text>
      ) : null}
      <Text dimColor>Any key closes.</Text>
    </Box>
  );
}
