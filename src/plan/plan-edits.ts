import type {Plan, PlanItem, PlacementSource} from './plan-types.js';

/** One user action in review: these WOs go to `toKey` (null: no track). */
export type Edit = {
  ids: string[];
  toKey: string | null;
  /** What each WO had before, so the edit can be undone exactly. */
  before: {plannedKey: string | null; source: PlacementSource; reason: string}[];
};

/** The plan being reviewed plus its whole history. Treat as immutable. */
export type ReviewState = {
  plan: Plan;
  indexById: ReadonlyMap<string, number>;
  past: readonly Edit[];
  future: readonly Edit[];
};

export function startReview(plan: Plan): ReviewState {
  return {plan, indexById: new Map(plan.items.map((item, index) => [item.id, index])), past: [], future: []};
}

function withPlacements(state: ReviewState, ids: readonly string[], placement: (item: PlanItem, position: number) => PlanItem): Plan {
  const items = state.plan.items.slice();
  ids.forEach((id, position) => {
    const index = state.indexById.get(id);
    if (index !== undefined) items[index] = placement(items[index], position);
  });
  return {...state.plan, items};
}

function trackLabel(plan: Plan, key: string | null): string {
  return key === null ? 'no track' : `"${plan.tracks.find((track) => track.key === key)?.name ?? key}"`;
}

/** Moves WOs to a track (or to none). A no-op move records nothing. */
export function moveItems(state: ReviewState, ids: readonly string[], toKey: string | null): ReviewState {
  const known = ids.filter((id) => {
    const index = state.indexById.get(id);
    if (index === undefined) return false;
    const item = state.plan.items[index];
    // Needs review → no track is a decision even though the planned track stays null.
    return item.plannedKey !== toKey || (toKey === null && item.source === 'uncategorized');
  });
  if (!known.length) return state;
  if (toKey !== null && !state.plan.tracks.some((track) => track.key === toKey)) {
    throw new Error(`Unknown track key ${toKey}`);
  }
  const before = known.map((id) => {
    const item = state.plan.items[state.indexById.get(id)!];
    return {plannedKey: item.plannedKey, source: item.source, reason: item.reason};
  });
  const reason = `moved to ${trackLabel(state.plan, toKey)} in review`;
  const plan = withPlacements(state, known, (item) => ({...item, plannedKey: toKey, source: 'manual', reason}));
  return {...state, plan, past: [...state.past, {ids: known, toKey, before}], future: []};
}

export function undo(state: ReviewState): ReviewState {
  const edit = state.past.at(-1);
  if (!edit) return state;
  const plan = withPlacements(state, edit.ids, (item, position) => ({...item, ...edit.before[position]}));
  return {...state, plan, past: state.past.slice(0, -1), future: [...state.future, edit]};
}

export function redo(state: ReviewState): ReviewState {
  const edit = state.future.at(-1);
  if (!edit) return state;
  const reason = `moved to ${trackLabel(state.plan, edit.toKey)} in review`;
  const plan = withPlacements(state, edit.ids, (item) => ({...item, plannedKey: edit.toKey, source: 'manual', reason}));
  return {...state, plan, past: [...state.past, edit], future: state.future.slice(0, -1)};
}

export function hasUnsavedEdits(state: ReviewState): boolean {
  return state.past.length > 0;
}
