import {currentIdsOf, sameIds} from '../plan/changes.js';
import type {Plan, PlanItem} from '../plan/plan-types.js';
import type {TargetState} from './apply-target.js';
import {fingerprintOfState, targetIdsOf} from './verify.js';

/**
 * A plan that puts every WO this run changed back on the exact tracks it had before the first
 * run of the plan sent its change (`before`, from the journal; else what the plan saw). It only
 * restores: it names tracks by id and never creates one.
 */
export function makeUndoPlan(plan: Plan, state: TargetState, ids: ReadonlyMap<string, string>, tracksCreated: string[], before: ReadonlyMap<string, string[]> = new Map()): Plan {
  const serverIds = new Map(state.workOrders.map((wo) => [wo.id, wo.trackIds]));
  const existing = new Set(state.tracks.map((track) => track.id));
  const tracks = plan.tracks
    .map((track) => ({...track, existingId: ids.get(track.key) ?? track.existingId, duplicateOf: undefined}))
    .filter((track) => track.existingId !== null && existing.has(track.existingId));
  const keyById = new Map(tracks.map((track) => [track.existingId!, track.key]));
  const warnings: string[] = [];
  const items: PlanItem[] = [];
  for (const item of plan.items) {
    const target = targetIdsOf(item, ids);
    const now = serverIds.get(item.id);
    // Only what a run of this plan wrote (the journal knows those): a WO someone else put where
    // the plan wanted it is theirs.
    if (!before.has(item.id) || target === undefined || !now || !sameIds(now, target)) continue;
    // A copy of a track name that the run merged away: its WOs go back to the copy that stayed.
    const mergedInto = (id: string) => {
      const copy = plan.tracks.find((track) => track.existingId === id && track.duplicateOf);
      return copy ? ids.get(copy.duplicateOf!) ?? id : id;
    };
    const previous = [...new Set((before.get(item.id) ?? currentIdsOf(item)).map((id) => (existing.has(id) ? id : mergedInto(id))))];
    if (sameIds(previous, now)) continue;
    const restore = previous.filter((id) => existing.has(id));
    if (restore.length < previous.length) warnings.push(`${item.id} was on a track that no longer exists; undo leaves it on ${restore.length ? 'the others' : 'no track'}.`);
    items.push({
      ...item,
      currentTrackId: target[0] ?? null,
      currentTrackIds: target,
      currentKey: target.length ? keyById.get(target[0]) ?? null : null,
      plannedKey: restore.length ? keyById.get(restore[0]) ?? null : null,
      restoreTrackIds: restore,
      source: 'manual',
      reason: `undo: back to where it was before the plan of ${plan.createdAt}`,
      suggestion: undefined,
    });
  }
  if (tracksCreated.length) warnings.push(`Tracks created by the run stay in place (delete them in PCC if needed): ${tracksCreated.join(', ')}.`);
  return {
    ...plan,
    kind: 'undo',
    createdAt: new Date().toISOString(),
    fingerprint: fingerprintOfState(plan.spec.hash, state),
    tracks,
    items,
    notInProject: [],
    notInMapping: [],
    warnings,
  };
}
