import type {MappingDecision} from '../spec/spec-writer.js';
import {needsReview} from './changes.js';
import type {Plan} from './plan-types.js';

/**
 * What review decided against the spec: WOs moved (or accepted from a suggestion) to a spec track
 * or to no track, where the spec's mapping says otherwise or says nothing. Tracks that are not in
 * the spec's table cannot be named in its mapping, so moves there stay in the plan only.
 */
export function mappingDecisions(plan: Plan): MappingDecision[] {
  const specName = new Map(plan.tracks.filter((track) => track.inSpec).map((track) => [track.key, track.name]));
  const decisions: MappingDecision[] = [];
  for (const item of plan.items) {
    if (item.source !== 'manual' && item.source !== 'suggested') continue;
    if (needsReview(item)) continue;
    if (item.plannedKey !== null && !specName.has(item.plannedKey)) continue;
    if (item.mappedKey !== undefined && item.mappedKey === item.plannedKey) continue;
    decisions.push({id: item.id, title: item.title, track: item.plannedKey === null ? null : specName.get(item.plannedKey)!, ...(item.source === 'suggested' ? {suggested: true} : {})});
  }
  return decisions;
}
