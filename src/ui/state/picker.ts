import {sanitizeText} from '../../workorders/sanitize.js';
import {groupKeys, groupName, NONE_GROUP} from './groups.js';
import type {WizardState} from './wizard-state.js';
import {currentItems} from './wizard-state.js';

export type PickerChoice = {key: string | null; label: string; hotkey: string | null; hint: string | null; confidence: number | null};

/**
 * Tracks offered by the move picker, in the plan's order so a track keeps its number for every WO
 * of the list, without the list's own track; the suggestion's candidates are marked, not moved.
 * No track is always there (unless that is where the WOs are). Unfiltered, the first ten get 1-9, 0.
 */
export function pickerChoices(state: WizardState): PickerChoice[] {
  const plan = state.review.plan;
  // The WO that moves: the one selected, or the one under the cursor when none is.
  const selectedId = state.selected.size === 1 ? [...state.selected][0] : null;
  const selectedIndex = selectedId === null ? undefined : state.review.indexById.get(selectedId);
  const item = selectedIndex !== undefined ? plan.items[selectedIndex] : state.selected.size === 0 ? currentItems(state)[state.cursor] : undefined;
  const here = state.screen === 'track' && !state.searchAll ? groupKeys(plan)[state.group] : undefined;
  const candidates = item?.suggestion?.candidates ?? [];
  const marked = (key: string | null) => {
    const candidate = candidates.find((entry) => entry.key === (key ?? NONE_GROUP));
    return {hint: candidate ? `suggested ${Math.round(candidate.confidence * 100)}%` : null, confidence: candidate?.confidence ?? null};
  };
  const order: {key: string | null; hint: string | null; confidence: number | null}[] = [];
  for (const track of plan.tracks) if (track.key !== here && !track.duplicateOf) order.push({key: track.key, ...marked(track.key)});
  if (here !== NONE_GROUP) order.push({key: null, ...marked(null)});
  const query = state.picker?.query.trim().toLowerCase() ?? '';
  const filtered = order
    .map((entry) => ({...entry, label: entry.key === null ? 'No track' : sanitizeText(groupName(plan, entry.key))}))
    .filter((entry) => !query || entry.label.toLowerCase().includes(query) || entry.key === null);
  // While a filter is typed, digits go into it: the rows have no numbers then.
  return filtered.map((entry, index) => ({...entry, hotkey: !query && index < 10 ? String((index + 1) % 10) : null}));
}
