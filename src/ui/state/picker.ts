import {sanitizeText} from '../../workorders/sanitize.js';
import {groupName} from './groups.js';
import type {WizardState} from './wizard-state.js';
import {currentItems} from './wizard-state.js';

export type PickerChoice = {key: string | null; label: string; hotkey: string | null; hint: string | null};

/**
 * Tracks offered by the move picker: the suggestion's candidates for the row under the cursor
 * first, then the other tracks in order, then No track (always there). The first ten get 1-9, 0.
 */
export function pickerChoices(state: WizardState): PickerChoice[] {
  const plan = state.review.plan;
  const item = currentItems(state)[state.cursor];
  const candidates = state.selected.size <= 1 ? item?.suggestion?.candidates ?? [] : [];
  const order: {key: string | null; hint: string | null}[] = [];
  const seen = new Set<string | null>();
  for (const candidate of candidates) {
    if (seen.has(candidate.key)) continue;
    seen.add(candidate.key);
    order.push({key: candidate.key, hint: `suggested ${Math.round(candidate.confidence * 100)}%`});
  }
  for (const track of plan.tracks) if (!seen.has(track.key)) order.push({key: track.key, hint: null});
  order.push({key: null, hint: null});
  const query = state.picker?.query.trim().toLowerCase() ?? '';
  const filtered = order
    .map((entry) => ({...entry, label: entry.key === null ? 'No track' : sanitizeText(groupName(plan, entry.key))}))
    .filter((entry) => !query || entry.label.toLowerCase().includes(query) || entry.key === null);
  return filtered.map((entry, index) => ({...entry, hotkey: index < 10 ? String((index + 1) % 10) : null}));
}
