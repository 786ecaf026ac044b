import {describe, expect, it} from 'vitest';
import {buildPlan} from '../../src/plan/build-plan.js';
import {computeChanges, countByTrack} from '../../src/plan/changes.js';
import {hasUnsavedEdits, moveItems, redo, startReview, undo} from '../../src/plan/plan-edits.js';
import {loadWorkOrdersFromFolder} from '../../src/workorders/local-loader.js';
import {SAMPLE_WORK_ORDERS, seedSpec} from '../helpers/fixtures.js';

const plan = buildPlan({spec: seedSpec(), workOrders: loadWorkOrdersFromFolder(SAMPLE_WORK_ORDERS).workOrders, serverTracks: [], project: 'p', api: null});
const planned = (state: ReturnType<typeof startReview>, id: string) => state.plan.items[state.indexById.get(id)!];

describe('moving WOs during review', () => {
  it('moves several WOs at once, updates counts, and marks them manual', () => {
    const start = startReview(plan);
    const moved = moveItems(start, ['WO-2026-120', 'WO-2026-121'], 'economy');
    expect(planned(moved, 'WO-2026-120')).toMatchObject({plannedKey: 'economy', source: 'manual', reason: 'moved to "Economy" in review'});
    expect(countByTrack(moved.plan.items).planned.get('economy')).toBe(10);
    expect(countByTrack(start.plan.items).planned.get('economy')).toBe(8);
    expect(computeChanges(moved.plan).assign).toBe(99);
    expect(start.plan.items[start.indexById.get('WO-2026-120')!].plannedKey).toBeNull();
    expect(hasUnsavedEdits(moved)).toBe(true);
  });

  it('undo restores exactly what was there, redo does it again, a new move clears redo', () => {
    const start = startReview(plan);
    const a = moveItems(start, ['WO-2026-020'], null);
    const b = moveItems(a, ['WO-2026-020', 'WO-2026-120'], 'visualization');
    const undone = undo(undo(b));
    expect(undone.plan.items).toEqual(start.plan.items);
    const redone = redo(undone);
    expect(planned(redone, 'WO-2026-020')).toMatchObject({plannedKey: null, source: 'manual'});
    expect(redo(redone).plan.items).toEqual(b.plan.items);
    const branched = moveItems(redone, ['WO-2026-121'], 'economy');
    expect(branched.future).toEqual([]);
    expect(redo(branched)).toBe(branched);
  });

  it('records nothing for a move that changes nothing, and rejects unknown tracks', () => {
    const start = startReview(plan);
    expect(moveItems(start, ['WO-2026-020'], 'runner reliability')).toBe(start);
    expect(moveItems(start, ['nope'], null)).toBe(start);
    expect(undo(start)).toBe(start);
    expect(() => moveItems(start, ['WO-2026-020'], 'nowhere')).toThrow('Unknown track key nowhere');
    // Needs review → No track is a decision, though the planned track stays null.
    const decided = moveItems(start, ['WO-2026-120'], null);
    expect(planned(decided, 'WO-2026-120')).toMatchObject({plannedKey: null, source: 'manual'});
    expect(moveItems(decided, ['WO-2026-120'], null)).toBe(decided);
  });
});
