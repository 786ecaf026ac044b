import {fingerprintOf} from '../plan/build-plan.js';
import {changeOf, currentIdsOf, sameIds} from '../plan/changes.js';
import type {Plan, PlanItem} from '../plan/plan-types.js';
import {normalizeTrackName} from '../spec/spec-parser.js';
import {sanitizeText} from '../workorders/sanitize.js';
import type {TargetState} from './apply-target.js';

/** The fingerprint of a target's state, comparable with the one a plan was made from. */
export function fingerprintOfState(specHash: string, state: TargetState): string {
  return fingerprintOf(specHash, state.tracks, state.workOrders.map((wo) => ({id: wo.id, trackId: wo.trackIds[0] ?? null, trackIds: wo.trackIds})));
}

/** The track ids a WO should end on; undefined when its planned track has no id (not created). */
export function targetIdsOf(item: PlanItem, ids: ReadonlyMap<string, string>): string[] | undefined {
  if (item.restoreTrackIds) return item.restoreTrackIds;
  if (item.plannedKey === null) return [];
  const id = ids.get(item.plannedKey);
  return id === undefined ? undefined : [id];
}

/**
 * Checks that each resolved id is a track of the plan's name (or the very copy a duplicate entry
 * names) and that no two plan tracks resolve to one id. A 201, a journal line or a name match
 * that points elsewhere is refused here, not trusted.
 */
export function checkResolvedIds(plan: Plan, state: TargetState, ids: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const byId = new Map(state.tracks.map((track) => [track.id, track]));
  const owner = new Map<string, string>();
  for (const track of plan.tracks) {
    const id = ids.get(track.key);
    if (!id) continue;
    const server = byId.get(id);
    const name = `"${sanitizeText(track.name)}"`;
    if (!server) problems.push(`track ${name} resolves to ${sanitizeText(id)}, which the server does not have`);
    else if (!track.duplicateOf && plan.kind !== 'undo' && normalizeTrackName(server.name) !== track.key) problems.push(`track ${name} resolves to ${sanitizeText(id)}, which is named "${sanitizeText(server.name)}"`);
    const earlier = owner.get(id);
    if (earlier) problems.push(`tracks "${sanitizeText(earlier)}" and ${name} resolve to the same id ${sanitizeText(id)}`);
    owner.set(id, track.name);
  }
  return problems;
}

/** Compares the target with the plan: each WO's tracks, each track's name and count, no duplicates. */
export function verify(plan: Plan, state: TargetState, ids: ReadonlyMap<string, string>): string[] {
  const mismatches = checkResolvedIds(plan, state, ids);
  const serverIds = new Map(state.workOrders.map((wo) => [wo.id, wo.trackIds]));
  const nameById = new Map(state.tracks.map((track) => [track.id, track.name]));
  const label = (list: readonly string[]) => (list.length ? list.map((id) => `"${sanitizeText(nameById.get(id) ?? id)}"`).join(' and ') : 'no track');
  const expectedCount = new Map<string, number>();
  const count = (id: string) => expectedCount.set(id, (expectedCount.get(id) ?? 0) + 1);
  const planned = new Set(plan.items.map((item) => item.id));
  for (const item of plan.items) {
    const target = targetIdsOf(item, ids);
    target?.forEach(count);
    const now = serverIds.get(item.id);
    if (!now) {
      // A WO the server does not list (say, its front matter does not parse there) matters only
      // when the plan changes it.
      if (changeOf(item)) mismatches.push(`${sanitizeText(item.id)} is not in the project any more`);
      continue;
    }
    if (target === undefined) mismatches.push(`${sanitizeText(item.id)} should be on "${sanitizeText(item.plannedKey ?? '')}", which does not exist on the server`);
    else if (!sameIds(now, target)) mismatches.push(`${sanitizeText(item.id)} is on ${label(now)}, the plan says ${label(target)}`);
  }
  // WOs the plan did not know (added since) keep whatever tracks they have.
  for (const wo of state.workOrders) if (!planned.has(wo.id)) wo.trackIds.forEach(count);
  const countOnServer = new Map(state.tracks.map((track) => [track.id, track.workOrderCount]));
  for (const track of plan.tracks) {
    const id = ids.get(track.key);
    if (!id || !countOnServer.has(id)) continue;
    const expected = expectedCount.get(id) ?? 0;
    if (countOnServer.get(id) !== expected) mismatches.push(`track "${sanitizeText(track.name)}" has ${countOnServer.get(id)} work order${countOnServer.get(id) === 1 ? '' : 's'} on the server, the plan expects ${expected}`);
  }
  const byName = new Map<string, number>();
  for (const track of state.tracks) byName.set(normalizeTrackName(track.name), (byName.get(normalizeTrackName(track.name)) ?? 0) + 1);
  for (const track of plan.tracks) {
    const copies = byName.get(track.key) ?? 0;
    if (!track.duplicateOf && copies > 1) mismatches.push(`the server has ${copies} tracks named "${sanitizeText(track.name)}"`);
  }
  return mismatches;
}

/** What drifted on the target since the plan was made, in a way that matters to it. */
export function findDrift(plan: Plan, state: TargetState, ids: ReadonlyMap<string, string>, kind: 'api' | 'database' = 'api'): string[] {
  const current = new Map(state.workOrders.map((wo) => [wo.id, wo.trackIds]));
  const nameById = new Map(state.tracks.map((track) => [track.id, track.name]));
  const names = (list: readonly string[]) => (list.length ? list.map((id) => `"${sanitizeText(nameById.get(id) ?? id)}"`).join(' and ') : 'no track');
  const planNames = new Map(plan.tracks.filter((track) => track.existingId).map((track) => [track.existingId!, track.name]));
  const sawNames = (list: readonly string[]) => (list.length ? list.map((id) => `"${sanitizeText(planNames.get(id) ?? id)}"`).join(' and ') : 'no track');
  const drift: string[] = [];
  for (const item of plan.items) {
    const now = current.get(item.id);
    if (!now) {
      if (changeOf(item)) drift.push(kind === 'database' ? `${sanitizeText(item.id)} has no row in PCC's database now` : `${sanitizeText(item.id)} is no longer in the project`);
      continue;
    }
    const saw = currentIdsOf(item);
    const target = targetIdsOf(item, ids);
    if (sameIds(now, saw) || (target !== undefined && sameIds(now, target))) continue;
    drift.push(`${sanitizeText(item.id)} is now on ${names(now)} (the plan saw ${sawNames(saw)})`);
  }
  return drift;
}
