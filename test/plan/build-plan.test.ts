import {describe, expect, it} from 'vitest';
import {buildPlan, fingerprintOf} from '../../src/plan/build-plan.js';
import {computeChanges, needsReview} from '../../src/plan/changes.js';
import {parsePlan, PlanFileError, serializePlan} from '../../src/plan/plan-file.js';
import {loadWorkOrdersFromFolder} from '../../src/workorders/local-loader.js';
import type {WorkOrder} from '../../src/workorders/work-order.js';
import {SAMPLE_WORK_ORDERS, seedSpec} from '../helpers/fixtures.js';

const spec = seedSpec();
const {workOrders: samples} = loadWorkOrdersFromFolder(SAMPLE_WORK_ORDERS);

function withTracks(assign: Record<string, string>): WorkOrder[] {
  return samples.map((wo) => ({...wo, trackId: assign[wo.id] ?? null}));
}

describe('planning the sample project against the seed', () => {
  const plan = buildPlan({spec, workOrders: samples, serverTracks: [], project: 'p', api: null});
  const item = (id: string) => plan.items.find((candidate) => candidate.id === id)!;

  it('gives every WO exactly one placement with its source', () => {
    expect(plan.items).toHaveLength(117);
    expect(new Set(plan.items.map((i) => i.id)).size).toBe(117);
    expect(item('WO-2026-020')).toMatchObject({plannedKey: 'runner reliability', source: 'mapping', reason: expect.stringMatching(/^listed under "Runner Reliability" in WO-2026-115 \(line \d+\)$/)});
    expect(item('WO-2025-007')).toMatchObject({plannedKey: null, source: 'mapping', mappedKey: null});
    expect(item('WO-2026-120')).toMatchObject({plannedKey: null, source: 'uncategorized'});
    expect(needsReview(item('WO-2026-120'))).toBe(true);
    expect(needsReview(item('WO-2025-007'))).toBe(false);
  });

  it('lists WOs outside the mapping and mapped WOs missing from the project', () => {
    expect(plan.notInMapping).toEqual(['WO-2026-120', 'WO-2026-121', 'WO-2026-122', 'WO-2026-123', 'WO-2026-124', 'WO-2026-125']);
    const partial = buildPlan({spec, workOrders: samples.filter((wo) => wo.id !== 'WO-2026-037'), serverTracks: [], project: 'p', api: null});
    expect(partial.notInProject).toEqual([{id: 'WO-2026-037', title: 'Cost metering', trackKey: 'economy', line: expect.any(Number)}]);
  });

  it('computes the change set against an empty server', () => {
    const changes = computeChanges(plan);
    expect(changes.createTracks).toHaveLength(11);
    expect({assign: changes.assign, move: changes.move, clear: changes.clear, unchanged: changes.unchanged}).toEqual({assign: 97, move: 0, clear: 0, unchanged: 20});
  });

  it('round-trips through JSON and refuses other files', () => {
    expect(parsePlan(serializePlan(plan), 'plan.json')).toEqual(plan);
    expect(() => parsePlan('{"format":"other"}', 'x.json')).toThrow(PlanFileError);
    expect(() => parsePlan('not json', 'x.json')).toThrow(/x\.json is not valid JSON/);
    expect(() => parsePlan(JSON.stringify({...plan, version: 9}), 'x.json')).toThrow(/format version 9/);
  });
});

describe('existing tracks and assignments on the server', () => {
  const serverTracks = [
    {id: 't-econ', name: '  economy ', color: '#000000'},
    {id: 't-extra', name: 'Ops', sortOrder: 3},
  ];

  it('reuses tracks by name, case-insensitively and trimmed, and keeps extra server tracks', () => {
    const plan = buildPlan({spec, workOrders: samples, serverTracks, project: 'p', api: null});
    expect(plan.tracks.filter((track) => track.key === 'economy')).toEqual([expect.objectContaining({name: 'Economy', existingId: 't-econ', inSpec: true})]);
    expect(plan.tracks.at(-1)).toMatchObject({key: 'ops', existingId: 't-extra', inSpec: false});
    expect(computeChanges(plan).createTracks.map((track) => track.name)).not.toContain('Economy');
    expect(computeChanges(plan).createTracks).toHaveLength(10);
  });

  it('keeps a WO already on a track, warns when the spec disagrees, and follows the spec when asked', () => {
    const workOrders = withTracks({'WO-2026-037': 't-extra', 'WO-2026-120': 't-econ', 'WO-2026-101': 't-econ'});
    const plan = buildPlan({spec, workOrders, serverTracks, project: 'p', api: null});
    const item = (id: string) => plan.items.find((candidate) => candidate.id === id)!;
    expect(item('WO-2026-037')).toMatchObject({currentKey: 'ops', plannedKey: 'ops', source: 'kept'});
    expect(item('WO-2026-120')).toMatchObject({currentKey: 'economy', plannedKey: 'economy', source: 'kept'});
    expect(item('WO-2026-101')).toMatchObject({plannedKey: 'economy', source: 'mapping'});
    expect(plan.warnings).toEqual([expect.stringContaining('WO-2026-037 is on "Ops" on the server but WO-2026-115 maps it to "Economy"')]);
    const strict = buildPlan({spec, workOrders, serverTracks, project: 'p', api: null, preferSpec: true});
    expect(strict.items.find((candidate) => candidate.id === 'WO-2026-037')).toMatchObject({plannedKey: 'economy', source: 'mapping'});
    expect(computeChanges(strict).move).toBe(1);
  });

  it('warns about a WO pointing at a track the server does not list', () => {
    const plan = buildPlan({spec, workOrders: withTracks({'WO-2026-120': 'ghost'}), serverTracks, project: 'p', api: null});
    expect(plan.items.find((candidate) => candidate.id === 'WO-2026-120')?.currentKey).toBeNull();
    expect(plan.warnings).toContain('WO-2026-120 points at track ghost, which the server does not list; it is treated as having no track.');
  });

  it('fingerprints change when an assignment or a track changes', () => {
    const base = fingerprintOf('h', serverTracks, withTracks({}));
    expect(fingerprintOf('h', serverTracks, withTracks({}))).toBe(base);
    expect(fingerprintOf('h', serverTracks, withTracks({'WO-2026-001': 't-econ'}))).not.toBe(base);
    expect(fingerprintOf('h', [...serverTracks, {id: 'new', name: 'New'}], withTracks({}))).not.toBe(base);
    expect(fingerprintOf('other', serverTracks, withTracks({}))).not.toBe(base);
  });
});

describe('suggestions', () => {
  it('places confident ones and leaves weak ones in review with their guess', () => {
    const plan = buildPlan({
      spec,
      workOrders: samples,
      serverTracks: [],
      project: 'p',
      api: null,
      minConfidence: 0.6,
      suggest: (items) => {
        const uncovered = items.filter((candidate) => candidate.source === 'uncategorized').map((candidate) => candidate.id);
        expect(uncovered).toHaveLength(6);
        return new Map([
          ['WO-2026-120', {key: 'economy', confidence: 0.9, reason: 'tags cost', runnerUp: null, candidates: []}],
          ['WO-2026-124', {key: 'foundation', confidence: 0.3, reason: 'weak', runnerUp: null, candidates: []}],
          // Never overrides the mapping.
          ['WO-2026-037', {key: 'foundation', confidence: 1, reason: 'x', runnerUp: null, candidates: []}],
        ]);
      },
    });
    const item = (id: string) => plan.items.find((candidate) => candidate.id === id)!;
    expect(item('WO-2026-120')).toMatchObject({plannedKey: 'economy', source: 'suggested', reason: 'suggested (90%): tags cost'});
    expect(item('WO-2026-124')).toMatchObject({plannedKey: null, source: 'uncategorized', suggestion: {key: 'foundation'}});
    expect(item('WO-2026-037')).toMatchObject({plannedKey: 'economy', source: 'mapping'});
  });
});
