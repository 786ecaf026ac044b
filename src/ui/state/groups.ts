import {countByTrack, needsReview} from '../../plan/changes.js';
import type {Plan, PlanItem} from '../../plan/plan-types.js';

/** A list the user can review: a track (its key), Needs review, or No track. */
export type GroupKey = string;
export const REVIEW_GROUP = '@review';
export const NONE_GROUP = '@none';
/** Every WO at once: where `/` on the overview searches across all tracks. */
export const ALL_GROUP = '@all';

export function groupOf(item: PlanItem): GroupKey {
  return item.plannedKey ?? (needsReview(item) ? REVIEW_GROUP : NONE_GROUP);
}

export function groupKeys(plan: Plan): GroupKey[] {
  return [...plan.tracks.map((track) => track.key), REVIEW_GROUP, NONE_GROUP];
}

export function groupName(plan: Plan, key: GroupKey): string {
  if (key === REVIEW_GROUP) return 'Needs review';
  if (key === NONE_GROUP) return 'No track';
  if (key === ALL_GROUP) return 'All work orders';
  return plan.tracks.find((track) => track.key === key)?.name ?? key;
}

/** Every group's items in plan order: one pass over the plan. */
export function buildMembers(plan: Plan): Map<GroupKey, PlanItem[]> {
  const members = new Map<GroupKey, PlanItem[]>(groupKeys(plan).map((key) => [key, []]));
  for (const item of plan.items) {
    const key = groupOf(item);
    let list = members.get(key);
    if (!list) members.set(key, (list = []));
    list.push(item);
  }
  return members;
}

// Derived lists are cached per items array: cursor keys never pay for a pass over 10,000 WOs.
const membersCache = new WeakMap<readonly PlanItem[], Map<GroupKey, PlanItem[]>>();

export function groupMembers(plan: Plan): Map<GroupKey, PlanItem[]> {
  let members = membersCache.get(plan.items);
  if (!members) {
    members = buildMembers(plan);
    membersCache.set(plan.items, members);
  }
  return members;
}

/** Past this many moved items one full pass is cheaper than moving them one by one. */
const CARRY_LIMIT = 64;

/**
 * After an edit that replaced only the items in `ids`, derives the new groups from the old ones:
 * each moved item leaves one list and joins another at its plan position (binary search), so a
 * move costs a few copies of the lists it touches instead of a pass over the whole plan.
 */
export function carryMembers(before: Plan, after: Plan, ids: readonly string[], indexById: ReadonlyMap<string, number>): void {
  const previous = membersCache.get(before.items);
  if (!previous || membersCache.has(after.items) || before.items === after.items) return;
  if (ids.length > CARRY_LIMIT) return;
  const next = new Map(previous);
  const copied = new Set<GroupKey>();
  const writable = (key: GroupKey): PlanItem[] => {
    if (!copied.has(key)) {
      next.set(key, (next.get(key) ?? []).slice());
      copied.add(key);
    }
    return next.get(key)!;
  };
  // First position in `list` whose plan index is at least `index`.
  const position = (list: PlanItem[], index: number): number => {
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (indexById.get(list[middle].id)! < index) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  for (const id of new Set(ids)) {
    const index = indexById.get(id);
    if (index === undefined) continue;
    const source = writable(groupOf(before.items[index]));
    const at = position(source, index);
    if (source[at]?.id === id) source.splice(at, 1);
    const target = writable(groupOf(after.items[index]));
    target.splice(position(target, index), 0, after.items[index]);
  }
  membersCache.set(after.items, next);
}

let filterMemo: {list: readonly PlanItem[]; filter: string; result: PlanItem[]} | null = null;

export function matchesFilter(item: PlanItem, needle: string): boolean {
  return item.id.toLowerCase().includes(needle) || item.safeTitle.toLowerCase().includes(needle) || item.tags.some((tag) => tag.toLowerCase().includes(needle));
}

/** The items shown for a group under a filter (id, title or tag, case-insensitive). */
export function visibleItems(plan: Plan, key: GroupKey, filter: string): PlanItem[] {
  const list = key === ALL_GROUP ? plan.items : groupMembers(plan).get(key) ?? [];
  const needle = filter.trim().toLowerCase();
  if (!needle) return list;
  if (filterMemo && filterMemo.list === list && filterMemo.filter === needle) return filterMemo.result;
  const result = list.filter((item) => matchesFilter(item, needle));
  filterMemo = {list, filter: needle, result};
  return result;
}

/** Counts per group of the plan as it stands now (planned). */
export function plannedCounts(plan: Plan): Record<GroupKey, number> {
  const counts: Record<GroupKey, number> = {};
  for (const [key, list] of groupMembers(plan)) counts[key] = list.length;
  return counts;
}

/** The server's distribution when the plan was made, keyed like the groups. */
export function currentCounts(plan: Plan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [key, count] of countByTrack(plan.items).current) counts[key ?? NONE_GROUP] = count;
  return counts;
}
