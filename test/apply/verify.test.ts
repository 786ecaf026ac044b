import {describe, expect, it} from 'vitest';
import type {TargetState} from '../../src/apply/apply-target.js';
import {verify} from '../../src/apply/verify.js';
import type {Plan, PlanItem, PlanTrack} from '../../src/plan/plan-types.js';
import type {TrackRecord} from '../../src/pcc/validate.js';

const track = (key: string, id: string | null, extra: Partial<PlanTrack> = {}): PlanTrack => ({key, name: key[0].toUpperCase() + key.slice(1), goal: null, description: null, color: null, icon: null, sortOrder: 1, existingId: id, inSpec: true, ...extra});
const item = (id: string, plannedKey: string | null): PlanItem => ({id, title: id, safeTitle: id, status: 'ready', goal: null, tags: [], dependsOn: [], currentTrackId: null, currentKey: null, plannedKey, source: 'mapping', reason: ''});
const server = (id: string, name: string, workOrderCount: number): TrackRecord => ({id, name, description: null, goal: null, color: null, icon: null, sortOrder: 1, workOrderCount});

function plan(): Plan {
  return {format: 'pcc-track-wizard/plan', version: 1, createdAt: 'now', project: 'p', api: null, spec: {id: 's', title: 's', source: 's', hash: 'h'}, fingerprint: 'f', tracks: [track('economy', null), track('chat', null)], items: [item('WO-1', 'economy'), item('WO-2', 'economy'), item('WO-3', 'chat')], notInProject: [], notInMapping: [], warnings: []};
}
const ids = new Map([['economy', 'e1'], ['chat', 'c1']]);
const good = (): TargetState => ({
  tracks: [server('e1', 'Economy', 2), server('c1', 'Chat', 1)],
  workOrders: [{id: 'WO-1', trackIds: ['e1']}, {id: 'WO-2', trackIds: ['e1']}, {id: 'WO-3', trackIds: ['c1']}],
});

describe('verification', () => {
  it('passes when every WO, count and name is as planned', () => {
    expect(verify(plan(), good(), ids)).toEqual([]);
  });

  it('reports a second track of a plan track\'s name', () => {
    const state = good();
    state.tracks.push(server('e2', 'economy ', 0));
    expect(verify(plan(), state, ids)).toEqual(['the server has 2 tracks named "Economy"']);
  });

  it("reports a track whose count is not the plan's, even when every listed WO is right", () => {
    const state = good();
    state.tracks[0].workOrderCount = 3;
    expect(verify(plan(), state, ids)).toEqual(['track "Economy" has 3 work orders on the server, the plan expects 2']);
  });

  it('reports an id that carries another name, and two plan tracks on one id', () => {
    const state = good();
    state.tracks[1].name = 'Chatter';
    expect(verify(plan(), state, ids)).toEqual(['track "Chat" resolves to c1, which is named "Chatter"']);
    const same = new Map([['economy', 'e1'], ['chat', 'e1']]);
    expect(verify(plan(), good(), same)).toEqual(expect.arrayContaining(['tracks "Economy" and "Chat" resolve to the same id e1']));
  });

  it('reports a WO on the wrong track, and one on two tracks where the plan wants one', () => {
    const state = good();
    state.workOrders[2].trackIds = ['e1'];
    state.workOrders[0].trackIds = ['e1', 'c1'];
    expect(verify(plan(), state, ids)).toEqual(expect.arrayContaining(['WO-3 is on "Economy", the plan says "Chat"', 'WO-1 is on "Economy" and "Chat", the plan says "Economy"']));
  });
});
