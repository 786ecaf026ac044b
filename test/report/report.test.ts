import {describe, expect, it} from 'vitest';
import {buildPlan} from '../../src/plan/build-plan.js';
import {buildReport, renderMarkdown, RUN_FAILURE_ID} from '../../src/report/report.js';
import {moveItems, startReview} from '../../src/plan/plan-edits.js';
import {createSuggester} from '../../src/suggest/suggest.js';
import {hasUnsafeCharacters} from '../../src/workorders/sanitize.js';
import {loadWorkOrdersFromFolder} from '../../src/workorders/local-loader.js';
import {SAMPLE_WORK_ORDERS, seedSpec} from '../helpers/fixtures.js';

const plan = buildPlan({spec: seedSpec(), workOrders: loadWorkOrdersFromFolder(SAMPLE_WORK_ORDERS).workOrders, serverTracks: [{id: 'e', name: 'Economy'}], project: 'pcc', api: null});

describe('the report', () => {
  const report = buildReport(plan, {mode: 'dry-run', warnings: ['WO-2026-118.md:9: broken'], now: new Date('2026-01-01T00:00:00Z')});

  it('has the JSON fields with counts and ids', () => {
    expect(report.tracks).toHaveLength(11);
    expect(report.tracks[6]).toEqual({name: 'Economy', color: '#14B8A6', count: 8, workOrders: expect.arrayContaining(['WO-2026-037', 'WO-2026-111']), exists: true, inSpec: true});
    expect(report.tracks[0]).toMatchObject({name: 'Foundation', count: 7, exists: false});
    expect(report.none).toHaveLength(14);
    expect(report.needsReview).toEqual(['WO-2026-120', 'WO-2026-121', 'WO-2026-122', 'WO-2026-123', 'WO-2026-124', 'WO-2026-125']);
    expect(report.notInProject).toEqual([]);
    expect(report.notInMapping).toEqual(report.needsReview);
    expect(report.changes).toMatchObject({createTracks: 10, deleteTracks: 0, assign: 97, move: 0, clear: 0, unchanged: 20});
    expect(report.changes.items).toHaveLength(97);
    expect(report.changes.items.find((item) => item.id === 'WO-2026-037')).toEqual({id: 'WO-2026-037', title: expect.any(String), kind: 'assign', from: null, to: 'Economy', why: expect.stringContaining('listed under "Economy"')});
    expect(report.warnings).toEqual(['WO-2026-118.md:9: broken']);
    expect(report.totals).toEqual({workOrders: 117, tracks: 11, onTracks: 97, noTrack: 14, needsReview: 6});
  });

  it('renders markdown with every section and no raw escape sequences', () => {
    const markdown = renderMarkdown(report, plan);
    expect(markdown).toContain('- Changes: 10 tracks to create, 97 to assign, 0 to move, 0 to clear, 20 unchanged');
    expect(markdown).toContain('## Economy (8)');
    expect(markdown).toContain('- WO-2026-037: Cost metering');
    expect(markdown).toContain('## No track (14)');
    expect(markdown).toMatch(/- WO-2025-007: iMessage notifier — listed under "Uncategorized" in WO-2026-115 \(line \d+\)/);
    expect(markdown).toContain('## Needs review (6)');
    expect(markdown).toContain('- WO-2026-125: URGENT Run log viewer');
    expect(markdown).toContain('## Warnings (1)');
    expect(hasUnsafeCharacters(markdown.replace(/\n/g, ''))).toBe(false);
  });

  it('an apply that stopped, failed, crashed or was refused is titled as the done screen says, and its counts are called the plan\'s', () => {
    const outcome = {target: 'http://pcc (project pcc)', targetKind: 'api' as const, tracksCreated: [], tracksReused: [], tracksDeleted: [], applied: 16, resumed: 0, failed: [] as {id: string; error: string}[], retries: 0, stopped: true, verified: false, mismatches: ['WO-2026-025 is on no track, the plan says "Constitution"'], undoPlan: null, durationMs: 900};
    const render = (apply: typeof outcome & {refusal?: string; failed: {id: string; error: string}[]}) => renderMarkdown(buildReport(plan, {mode: 'applied', apply}), plan);
    const stopped = render(outcome);
    expect(stopped).toMatch(/^# Track assignment stopped before the end: pcc$/m);
    expect(stopped).toContain("**This run made 16 changes; the counts below are the plan's, not the target's. Apply the same plan again to finish: it resumes where this run ended.**");
    expect(stopped).toContain('## Distribution, as planned');
    const failed = render({...outcome, stopped: false, applied: 90, resumed: 5, failed: [{id: 'WO-2026-037', error: 'HTTP 500'}, {id: 'track Economy', error: 'HTTP 500'}]});
    expect(failed).toMatch(/^# Track assignment finished with problems: pcc$/m);
    expect(failed).toContain('**This run made 90 changes (5 more had been made by an earlier run); 2 failed (see Failed changes);');
    // Verified, yet something failed (say, the undo plan could not be written): not called applied.
    const verifiedWithFailure = render({...outcome, stopped: false, verified: true, mismatches: [], applied: 97, failed: [{id: 'the undo plan', error: 'EACCES'}]});
    expect(verifiedWithFailure).toMatch(/^# Track assignment finished with problems: pcc$/m);
    const crashed = render({...outcome, stopped: false, applied: 0, failed: [{id: RUN_FAILURE_ID, error: 'socket hang up'}]});
    expect(crashed).toContain("**The run ended with an error before it could verify, so what landed is not known; the counts below are the plan's, not the target's.");
    expect(crashed).not.toContain('This run made 0');
    const refused = render({...outcome, stopped: false, applied: 0, refusal: 'another run holds the lock'});
    expect(refused).toMatch(/^# Track assignment not applied: pcc$/m);
    expect(refused).toContain("**Nothing was changed; the counts below are the plan's.**");
    const verified = render({...outcome, stopped: false, applied: 97, verified: true, mismatches: []});
    expect(verified).toMatch(/^# Track assignment applied: pcc$/m);
    expect(verified).not.toContain('the counts below');
    expect(verified).toContain('\n## Distribution\n');
  });

  it('a guess the review settled says where the WO went, not "left for review"', () => {
    const suggested = buildPlan({spec: seedSpec(), workOrders: loadWorkOrdersFromFolder(SAMPLE_WORK_ORDERS).workOrders, serverTracks: [], project: 'pcc', api: null, suggest: createSuggester(), minConfidence: 0.99});
    const guessed = suggested.items.find((item) => item.suggestion && item.source === 'uncategorized')!;
    expect(guessed.reason).toMatch(/is below the bar of 99%$/);
    const reviewed = moveItems(startReview(suggested), [guessed.id], null).plan;
    const markdown = renderMarkdown(buildReport(reviewed, {mode: 'plan'}), reviewed);
    expect(markdown).toMatch(new RegExp(`- ${guessed.id} → .* \\d+% \\(decided in review: No track\\)`));
    expect(buildReport(reviewed, {mode: 'plan'}).suggested.find((entry) => entry.id === guessed.id)).toMatchObject({placed: false, decided: 'No track'});
    // Moved in review, or placed by the bar: the report says which.
    expect(markdown).toContain(`- ${guessed.id}: not in the spec → no track (moved in review)`);
    const placed = buildPlan({spec: seedSpec(), workOrders: loadWorkOrdersFromFolder(SAMPLE_WORK_ORDERS).workOrders, serverTracks: [], project: 'pcc', api: null, suggest: createSuggester(), minConfidence: 0.01});
    const above = placed.items.find((item) => item.source === 'suggested')!;
    expect(renderMarkdown(buildReport(placed, {mode: 'dry-run'}), placed)).toMatch(new RegExp(`- ${above.id}: not in the spec → .+ \\(suggested above the bar\\)`));

  });
});
