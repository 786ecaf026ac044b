import {sanitizeText} from '../../workorders/sanitize.js';
import {groupName} from './groups.js';
import {currentItems, type WizardState} from './wizard-state.js';
import {wrapLine} from './wrap.js';

/** The details box's border and padding take four columns. */
const BOX_COLUMNS = 4;

/**
 * The details of the WO under the cursor, wrapped to the box: the id and title (always shown)
 * and the body that scrolls under them. Null when no WO is under the cursor.
 */
export function detailsLines(state: WizardState): {title: string[]; body: string[]; room: number} | null {
  const item = currentItems(state)[state.cursor];
  if (!item) return null;
  const plan = state.review.plan;
  const width = state.viewport.columns - BOX_COLUMNS;
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
  // A title of three lines at most: the body needs the rest of a short terminal.
  const fullTitle = wrapLine(`${sanitizeText(item.id)}: ${item.safeTitle}`, width);
  const title = fullTitle.length > 3 ? [...fullTitle.slice(0, 2), `${fullTitle[2]!.slice(0, Math.max(0, width - 1))}…`] : fullTitle;
  const body = lines.flatMap((line) => wrapLine(line, width));
  // The app's title, notice and footer, the box's two borders and its last line.
  const room = Math.max(1, state.viewport.rows - 6 - title.length);
  return {title, body, room};
}

/** The first body line of the last window: scrolling stops there. */
export function lastDetailsScroll(state: WizardState): number {
  const lines = detailsLines(state);
  return lines ? Math.max(0, lines.body.length - lines.room) : 0;
}
