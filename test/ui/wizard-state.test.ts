import {describe, expect, it} from 'vitest';
import {commandFor, KEY_BINDINGS} from '../../src/ui/keys.js';
import {buildMembers, groupKeys, groupMembers, REVIEW_GROUP} from '../../src/ui/state/groups.js';
import {pickerChoices} from '../../src/ui/state/picker.js';
import {currentItems, initialState, plannedCounts, reduce, type Action, type WizardState} from '../../src/ui/state/wizard-state.js';
import {samplePlan} from '../helpers/ui.js';

const press = (state: WizardState, ...keys: Parameters<typeof key>[0][]) => keys.reduce((current, k) => reduce(current, key(k)), state);
function key(k: string | Partial<Extract<Action, {type: 'key'}>['key']>): Action {
  return {type: 'key', key: typeof k === 'string' ? {input: k} : {input: '', ...k}};
}

describe('the key table', () => {
  it('maps keys to commands per screen, and each command has help text', () => {
    expect(commandFor('track', {input: 'j'})).toBe('CURSOR_DOWN');
    expect(commandFor('track', {input: '', tab: true, shift: true})).toBe('PREV_TRACK');
    expect(commandFor('track', {input: 'r', ctrl: true})).toBe('REDO');
    expect(commandFor('overview', {input: 'r'})).toBe('WALK');
    expect(commandFor('confirm', {input: 'y'})).toBe('APPLY');
    expect(commandFor('overview', {input: 'y'})).toBeNull();
    expect(KEY_BINDINGS.every((binding) => binding.help.length > 0 && binding.keys.length > 0)).toBe(true);
  });
});

describe('review state', () => {
  const plan = samplePlan();
  const reviewIndex = groupKeys(plan).indexOf(REVIEW_GROUP);

  function openReview(): WizardState {
    let state = initialState(plan);
    for (let i = 0; i < reviewIndex; i++) state = press(state, {downArrow: true});
    return press(state, {return: true});
  }

  it('opens a group from the overview and moves the cursor with a window', () => {
    const state = press(initialState(plan, {rows: 12, columns: 80}), {downArrow: true}, {return: true});
    expect(state.screen).toBe('track');
    expect(currentItems(state)).toHaveLength(14);
    const down = press(state, {end: true});
    expect(down.cursor).toBe(13);
    expect(down.scroll).toBe(14 - 5);
    const up = press(down, {pageUp: true});
    expect(up.cursor).toBe(8);
    expect(press(up, {home: true})).toMatchObject({cursor: 0, scroll: 0});
  });

  it('selects with space, moves the selection with the picker number keys, and counts follow', () => {
    const state = press(openReview(), ' ', ' ', 'm');
    expect(state.selected.size).toBe(2);
    const choices = pickerChoices(state);
    expect(choices.at(-1)).toMatchObject({key: null, label: 'No track'});
    expect(choices[6]).toMatchObject({key: 'economy', hotkey: '7'});
    const moved = press(state, '7');
    expect(moved.picker).toBeNull();
    expect(moved.notice).toBe('Moved 2 to Economy. u undoes.');
    expect(plannedCounts(moved.review.plan).economy).toBe(10);
    expect(currentItems(moved)).toHaveLength(4);
  });

  it('type-to-filter in the picker, and n moves to no track', () => {
    const state = press(openReview(), 'm', 'v', 'i', 's');
    expect(pickerChoices(state).map((choice) => choice.label)).toEqual(['Visualization', 'No track']);
    const moved = press(state, {return: true});
    expect(plannedCounts(moved.review.plan).visualization).toBe(11);
    const none = press(moved, 'n');
    expect(none.review.plan.items.find((item) => item.id === 'WO-2026-121')).toMatchObject({plannedKey: null, source: 'manual'});
  });

  it('a selects everything the filter shows', () => {
    const state = press(openReview(), '/', 'v', 'm', {return: true}, 'a');
    expect(currentItems(state).map((item) => item.id)).toEqual(['WO-2026-121']);
    expect([...state.selected]).toEqual(['WO-2026-121']);
    const cleared = press(state, '/', {escape: true});
    expect(currentItems(cleared)).toHaveLength(6);
  });

  it('undo and redo work across tracks', () => {
    let state = press(openReview(), 'n');
    state = press(state, {leftArrow: true});
    state = press(press(state, {tab: true}), {tab: true}, {tab: true});
    expect(state.group).toBe(0);
    state = press(state, 'n');
    expect(plannedCounts(state.review.plan).foundation).toBe(6);
    state = press(state, 'u', 'u');
    expect(state.review.plan.items).toEqual(plan.items);
    state = press(state, {input: 'r', ctrl: true});
    expect(state.review.plan.items.find((item) => item.id === 'WO-2026-120')?.source).toBe('manual');
    expect(press(state, 'u', 'u', 'u').notice).toBe('Nothing to undo.');
  });

  it('the guided walk ends on the confirm screen; quitting with edits asks first', () => {
    let state = press(initialState(plan), 'r');
    for (let i = 0; i < groupKeys(plan).length; i++) state = press(state, {tab: true});
    expect(state.screen).toBe('confirm');
    const edited = press(openReview(), 'n', 'q');
    expect(edited.screen).toBe('overview');
    const asking = press(edited, 'q');
    expect(asking.overlay).toBe('quit');
    expect(press(asking, 'n').overlay).toBeNull();
    expect(press(asking, 'y').request).toEqual({type: 'exit'});
    expect(press(initialState(plan), 'q').request).toEqual({type: 'exit'});
  });

  it('groups carried over after moves, undo and redo equal a full rebuild', () => {
    let state = press(openReview(), ' ', ' ', 'm', '3');
    const expectSame = () => expect(groupMembers(state.review.plan)).toEqual(buildMembers(state.review.plan));
    expectSame();
    state = press(state, 'n', {leftArrow: true}, {end: true}, 'm', '1');
    expectSame();
    state = press(state, 'u', 'u');
    expectSame();
    state = press(state, {input: 'r', ctrl: true});
    expectSame();
    state = press(state, 'a', 'n');
    expectSame();
    expect(state.review.plan.items.filter((item) => item.source === 'manual').length).toBeGreaterThanOrEqual(5);
  });

  it('a resize re-lays out the window around the cursor', () => {
    const state = press(initialState(plan, {rows: 40, columns: 80}), {downArrow: true}, {return: true}, {end: true});
    expect(state.scroll).toBe(0);
    const small = reduce(state, {type: 'resize', rows: 12, columns: 60});
    expect(small.scroll).toBe(9);
    expect(small.cursor).toBe(13);
  });
});

describe('apply progress', () => {
  it('the rate and ETA follow recent throughput, and a pause shows no ETA', async () => {
    const {rateAndEta} = await import('../../src/ui/screens/apply-screen.js');
    let state = reduce(initialState(samplePlan(), {rows: 24, columns: 80}), {type: 'apply-started', counts: {}, now: 0});
    const assigned = (done: number) => ({type: 'assigned' as const, id: `WO-${done}`, fromKey: null, toKey: 'economy', done, total: 1000});
    state = reduce(state, {type: 'apply-events', events: [{type: 'start', changes: 1000, pending: 1000, alreadyDone: 0, tracksToCreate: 0}, assigned(10)], now: 30_000});
    // Slow for 30 s (10 WOs), then fast: 100 more in the last 5 s.
    state = reduce(state, {type: 'apply-events', events: [assigned(60)], now: 32_500});
    state = reduce(state, {type: 'apply-events', events: [assigned(110)], now: 35_000});
    const {rate, etaSeconds} = rateAndEta(state.apply!, 35_000);
    expect(rate).toBeCloseTo(20, 5);
    expect(etaSeconds).toBeCloseTo(890 / 20, 5);
    state = reduce(state, {type: 'apply-events', events: [{type: 'paused', reason: 'server unreachable', retryInMs: 2000}], now: 36_000});
    expect(rateAndEta(state.apply!, 36_000).etaSeconds).toBeNull();
  });
});
