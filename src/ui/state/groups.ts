import {needsReview} from '../../plan/changes.js';
import type {Plan, PlanItem} from '../../plan/plan-types.js';

/** A list the user can review: a track (its key), Needs review, or No track. */
export type GroupKey = string;
export const REVIEW_GROUP = '@review';
export const NONE_GROUP = '@none';

export function groupOf(item: PlanItem): GroupKey {
  return item.plannedKey ?? (needsReview(item) ? REVIEW_GROUP : NONE_GROUP);
}

export function groupKeys(plan: Plan): GroupKey[] {
  return [...plan.tracks.map((track) => track.key), REVIEW_GROUP, NONE_GROUP];
}

export function groupName(plan: Plan, key: GroupKey): string {
  if (key === REVIEW_GROUP) return 'Needs review';
  if (key === NONE_GROUP) return 'No track';
  return plan.tracks.find((track) => track.key === key)?.name ?? key;
}

// Derived lists are cached per items array: cursor keys never pay for a pass over 10,000 WOs.
const membersCache = new WeakMap<readonly PlanItem[], Map<GroupKey, PlanItem[]>>();

export function groupMembers(plan: Plan): Map<GroupKey, PlanItem[]> {
  let members = membersCache.get(plan.items);
  if (!members) {
    members = new Map(groupKeys(plan).map((key) => [key, []]));
    for (const item of plan.items) {
      const key = groupOf(item);
      let list = members.get(key);
      if (!list) members.set(key, (list = []));
      list.push(item);
    }
    membersCache.set(plan.items, members);
  }
  return members;
}

let filterMemo: {list: readonly PlanItem[]; filter: string; result: PlanItem[]} | null = null;

export function matchesFilter(item: PlanItem, needle: string): boolean {
  return item.id.toLowerCase().includes(needle) || item.safeTitle.toLowerCase().includes(needle) || item.tags.some((tag) => tag.toLowerCase().includes(needle));
}

/** The items shown for a group under a filter (id, title or tag, case-insensitive). */
export function visibleItems(plan: Plan, key: GroupKey, filter: string): PlanItem[] {
  const list = groupMembers(plan).get(key) ?? [];
  const needle = filter.trim().toLowerCase();
  if (!needle) return list;
  if (filterMemo && filterMemo.list === list && filterMemo.filter === needle) return filterMemo.result;
  const result = list.filter((item) => matchesFilter(item, needle));
  filterMemo = {list, filter: needle, result};
  return result;
}
