import type {Change, ChangeSet, Plan, PlanItem} from './plan-types.js';

/** Every track the WO was on when the plan was made. */
export function currentIdsOf(item: PlanItem): string[] {
  return item.currentTrackIds ?? (item.currentTrackId ? [item.currentTrackId] : []);
}

export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}

export function changeOf(item: PlanItem): Change | null {
  if (item.restoreTrackIds) {
    if (sameIds(currentIdsOf(item), item.restoreTrackIds)) return null;
  } else if (item.currentKey === item.plannedKey && currentIdsOf(item).length <= 1) {
    // A WO on several tracks is a change even when its first track stays: it ends on one.
    return null;
  }
  const kind = item.currentKey === null && currentIdsOf(item).length === 0 ? 'assign' : item.plannedKey === null && !item.restoreTrackIds?.length ? 'clear' : 'move';
  return {id: item.id, kind, fromKey: item.currentKey, toKey: item.plannedKey};
}

/** Whether applying would send nothing at all. */
export function sendsNothing(changes: ChangeSet): boolean {
  return changes.createTracks.length + changes.changes.length + changes.deleteTracks.length === 0;
}

// Plans are immutable: the change set of an items array never changes, and screens that draw
// it on every key must not pay a pass over 10,000 WOs each time.
const changeCache = new WeakMap<readonly PlanItem[], {tracks: readonly Plan['tracks'][number][]; changes: ChangeSet}>();

/** What applying the plan would do to the server, derived from the items (cached per items array). */
export function computeChanges(plan: Pick<Plan, 'tracks' | 'items'>): ChangeSet {
  const cached = changeCache.get(plan.items);
  if (cached && cached.tracks === plan.tracks) return cached.changes;
  const changes = deriveChanges(plan);
  changeCache.set(plan.items, {tracks: plan.tracks, changes});
  return changes;
}

function deriveChanges(plan: Pick<Plan, 'tracks' | 'items'>): ChangeSet {
  const changes: Change[] = [];
  let assign = 0;
  let move = 0;
  let clear = 0;
  for (const item of plan.items) {
    const change = changeOf(item);
    if (!change) continue;
    changes.push(change);
    if (change.kind === 'assign') assign++;
    else if (change.kind === 'move') move++;
    else clear++;
  }
  return {
    createTracks: plan.tracks.filter((track) => track.existingId === null),
    deleteTracks: plan.tracks.filter((track) => track.duplicateOf !== undefined),
    changes,
    assign,
    move,
    clear,
    unchanged: plan.items.length - changes.length,
  };
}

/** Planned WO count per track key (null for no track), and now, in one pass. */
export function countByTrack(items: readonly PlanItem[]): {planned: Map<string | null, number>; current: Map<string | null, number>} {
  const planned = new Map<string | null, number>();
  const current = new Map<string | null, number>();
  for (const item of items) {
    planned.set(item.plannedKey, (planned.get(item.plannedKey) ?? 0) + 1);
    current.set(item.currentKey, (current.get(item.currentKey) ?? 0) + 1);
  }
  return {planned, current};
}

/** Items nobody has placed yet: no track planned, and not by an explicit decision. */
export function needsReview(item: PlanItem): boolean {
  return item.plannedKey === null && item.source === 'uncategorized';
}
