import {render} from 'ink-testing-library';
import React from 'react';
import {stripVTControlCharacters} from 'node:util';
import {describe, expect, it} from 'vitest';
import type {ApplyEvent} from '../../src/apply/apply-events.js';
import type {Plan} from '../../src/plan/plan-types.js';
import {App, type WizardResult} from '../../src/ui/app.js';
import {KEY_BINDINGS} from '../../src/ui/keys.js';
import {buildPlan} from '../../src/plan/build-plan.js';
import {loadWorkOrdersFromFolder} from '../../src/workorders/local-loader.js';
import {SAMPLE_WORK_ORDERS, seedSpec} from '../helpers/fixtures.js';
import {KEYS, renderInTerminal, samplePlan, waitFor} from '../helpers/ui.js';

const theme = {color: false};
/** The last frame without style codes (FORCE_COLOR keeps bold and inverse in the frames). */
const text = (view: {lastFrame: () => string | undefined}) => stripVTControlCharacters(view.lastFrame() ?? '');

function renderApp(overrides: Partial<React.ComponentProps<typeof App>> = {}) {
  const results: WizardResult[] = [];
  const saved: Plan[] = [];
  const view = render(
    <App
      plan={samplePlan()}
      theme={theme}
      title="demo · WO-2026-115"
      startApply={async () => ({report: 'r.md', reportJson: 'r.json', planFile: 'p.json'})}
      savePlan={(plan) => {
        saved.push(plan);
        return 'out/plan.json';
      }}
      onExit={(result) => results.push(result)}
      {...overrides}
    />,
  );
  return {...view, results, saved};
}

async function type(view: ReturnType<typeof render>, ...inputs: string[]) {
  for (const input of inputs) {
    const before = view.frames.length;
    view.stdin.write(input);
    // Each key is processed before the next is sent, as a person types.
    await waitFor(() => expect(view.frames.length).toBeGreaterThanOrEqual(before));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the wizard screens', () => {
  it('the overview shows every track with counts, the chart, Needs review and No track', async () => {
    const view = renderApp();
    await waitFor(() => expect(text(view)).toContain('117 WOs: 11 new tracks, 97 to assign, 0 to move, 0 to clear, 20 unchanged'));
    const frame = text(view);
    expect(frame).toMatch(/›Foundation\s+7 █+ new, \+7 vs now/);
    expect(frame).toMatch(/Autonomous Orchestration\s+21 █+/);
    expect(frame).toMatch(/Needs review\s+6 █+ needs a decision/);
    // The same number as the confirm table: Needs review stays on no track.
    expect(frame).toMatch(/No track\s+14 █+ -97 vs now/);
    view.unmount();
  });

  it('reviews Needs review: select two, move them to Economy, the overview follows, undo restores', async () => {
    const view = renderApp();
    await waitFor(() => expect(text(view)).toContain('Foundation'));
    await type(view, KEYS.end, KEYS.up, KEYS.enter);
    await waitFor(() => expect(text(view)).toContain('Needs review (12/13) · 1/6'));
    expect(text(view)).toMatch(/› {3}WO-2026-120 +backlog +uncategorized +Cost dashboard per track/);
    await type(view, ' ', ' ');
    await waitFor(() => expect(text(view)).toContain('3/6 · 2 selected'));
    expect(text(view)).toMatch(/ ●  WO-2026-120/);
    await type(view, 'm');
    await waitFor(() => expect(text(view)).toContain('Move 2 work orders to…'));
    expect(text(view)).toContain('7 Economy');
    await type(view, '7');
    await waitFor(() => expect(text(view)).toContain('Moved 2 to Economy. u undoes.'));
    // The cursor stays on the WO it was on (WO-2026-122), now the first row.
    expect(text(view)).toContain('Needs review (12/13) · 1/4');
    expect(text(view)).toMatch(/› {3}WO-2026-122 /);
    await type(view, 'q');
    await waitFor(() => expect(text(view)).toMatch(/Economy\s+10 █+ new, \+10 vs now/));
    expect(text(view)).toMatch(/Needs review\s+4 /);
    await type(view, 'u');
    await waitFor(() => expect(text(view)).toMatch(/Economy\s+8 █+/));
    await type(view, KEYS.ctrlR);
    await waitFor(() => expect(text(view)).toMatch(/Economy\s+10 █+/));
    view.unmount();
  });

  it('filter by tag, details with the reason, and the help overlay lists every key', async () => {
    const view = renderApp();
    await waitFor(() => expect(text(view)).toContain('Foundation'));
    await type(view, KEYS.down, KEYS.down, KEYS.enter, '/', 'g', 'c', 'p');
    await waitFor(() => expect(text(view)).toContain('Filter: gcp▏'));
    expect(text(view)).toContain('VM Isolation (3/13) · new track · 1/2');
    await type(view, KEYS.enter, KEYS.enter);
    await waitFor(() => expect(text(view)).toContain('WO-2026-038: VM scaffolding'));
    expect(text(view)).toMatch(/Why: listed under "VM Isolation" in WO-2026-115 \(line \d+\)/);
    expect(text(view)).toContain('Depends on: WO-2026-027 (VM Isolation)');
    await type(view, 'x', '?');
    await waitFor(() => expect(text(view)).toContain('Keys on this screen'));
    // Every key with its whole explanation, wrapped at words, over as many pages as it takes.
    const pageCount = Number(/\(page \d+ of (\d+)\)/.exec(text(view))?.[1] ?? 1);
    let seen = '';
    for (let page = 1; page <= pageCount; page++) {
      await waitFor(() => expect(text(view)).toContain(pageCount > 1 ? `(page ${page} of ${pageCount})` : 'Keys on this screen'));
      seen += ` ${text(view).split('\n').map((line) => line.replace(/[│╭╮╰╯─]/g, '').trim()).join(' ')}`;
      if (page < pageCount) await type(view, KEYS.pageDown);
    }
    const words = seen.replace(/\s+/g, ' ');
    for (const binding of KEY_BINDINGS.filter((candidate) => candidate.screens.includes('track'))) {
      expect(words).toContain(binding.help.replace(/\s+/g, ' '));
    }
    expect(words).not.toContain('…');
    view.unmount();
  });

  it('the confirm screen shows the table and totals; s saves and exits', async () => {
    const view = renderApp();
    await waitFor(() => expect(text(view)).toContain('Foundation'));
    await type(view, 'c');
    await waitFor(() => expect(text(view)).toContain('Confirm: 11 tracks to create · 97 to assign · 0 to move · 0 to clear · 20 unchanged'));
    const frame = text(view);
    expect(frame).toMatch(/│ Autonomous Orchestration │ 0\s+│ 21\s+│ \+21\s+│ yes\s+│/);
    expect(frame).toContain('6 still need review and stay on no track');
    expect(frame).toContain('Nothing has been sent yet; y applies to the server.');
    // The body scrolls: the No track row, then every change per WO grouped by track.
    await type(view, 'j', 'j', 'j', 'j');
    await waitFor(() => expect(text(view)).toMatch(/│ No track\s+│ 117\s+│ 20\s+│ -97/));
    await type(view, 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j');
    await waitFor(() => expect(text(view)).toMatch(/→ Foundation \(7\)\n\+ WO-2025-001 Project charter \+ v0 scaffold \(from no track\) · listed under "Foundation/));
    await type(view, 's');
    await waitFor(() => expect(view.results).toEqual([{kind: 'saved', file: 'out/plan.json'}]));
    expect(view.saved).toHaveLength(1);
  });

  it('the apply screen draws a scripted event stream live, then the done screen', async () => {
    let emit: (event: ApplyEvent) => void = () => {};
    let finish: () => void = () => {};
    const view = renderApp({
      frameMs: 10,
      startApply: (_plan, onEvent) => {
        emit = onEvent;
        return new Promise((resolve) => {
          finish = () => resolve({report: 'out/plan.report.md', reportJson: 'out/plan.report.json', planFile: 'out/plan.json'});
        });
      },
    });
    await waitFor(() => expect(text(view)).toContain('Foundation'));
    await type(view, 'c', 'y');
    await waitFor(() => expect(text(view)).toContain('Applying'));
    emit({type: 'start', changes: 3, pending: 3, alreadyDone: 0, tracksToCreate: 1});
    emit({type: 'track', key: 'economy', name: 'Economy', id: 't1', action: 'created'});
    emit({type: 'assigned', id: 'WO-2026-037', fromKey: null, toKey: 'economy', done: 1, total: 3});
    emit({type: 'retry', method: 'PUT', route: '/x', attempt: 1, reason: 'HTTP 503'});
    emit({type: 'assigned', id: 'WO-2026-101', fromKey: null, toKey: 'economy', done: 2, total: 3});
    await waitFor(() => expect(text(view)).toMatch(/Economy\s+2 █+/));
    expect(text(view)).toMatch(/█+░+ 2\/3 · [\d.]+\/s · ETA \d+ s/);
    expect(text(view)).toContain('Retries: 1 · Failed: 0');
    expect(text(view)).toContain('Track "Economy" created.');
    emit({type: 'failed', id: 'WO-2026-102', error: 'was refused with 400'});
    emit({type: 'verify', ok: false, mismatches: ['WO-2026-102 is on no track, the plan says "Economy"']});
    emit({type: 'finished', outcome: {target: 'the API at http://127.0.0.1:1 (project demo)', tracksCreated: ['Economy'], tracksReused: [], tracksDeleted: [], applied: 2, resumed: 0, failed: [{id: 'WO-2026-102', error: 'x'}], retries: 1, stopped: false, verified: false, mismatches: ['WO-2026-102 is on no track, the plan says "Economy"'], undoPlan: 'out/plan.undo.json', durationMs: 1200}});
    finish();
    await waitFor(() => expect(text(view)).toContain('✘ Finished with problems.'));
    await waitFor(() => expect(text(view)).toContain('Report: out/plan.report.md'));
    expect(text(view)).toContain('Applied 2 · created 1 tracks · failed 1 · retries 1 · 1.2 s');
    expect(text(view)).toContain('WO-2026-102 is on no track, the plan says "Economy"');
    expect(text(view)).toContain('Retry: pcc-track-wizard --apply out/plan.json --yes');
    await type(view, 'q');
    await waitFor(() => expect(view.results).toEqual([{kind: 'applied', ok: false}]));
  });

  it('Ctrl-C during apply asks the engine to stop', async () => {
    let signal: AbortSignal | null = null;
    const view = renderApp({
      frameMs: 10,
      startApply: (_plan, _onEvent, abort) => {
        signal = abort;
        return new Promise(() => {});
      },
    });
    await waitFor(() => expect(text(view)).toContain('Foundation'));
    await type(view, 'c', 'y');
    await waitFor(() => expect(signal).not.toBeNull());
    await type(view, KEYS.ctrlC);
    await waitFor(() => expect(signal!.aborted).toBe(true));
    await waitFor(() => expect(text(view)).toContain('Stopping…'));
    view.unmount();
  });

  it('untrusted titles are shown without their escape sequences', async () => {
    const view = renderApp();
    await waitFor(() => expect(text(view)).toContain('Foundation'));
    await type(view, KEYS.end, KEYS.up, KEYS.enter);
    await waitFor(() => expect(text(view)).toContain('URGENT Run log viewer'));
    expect(view.frames.join('')).not.toContain('\u001B]0;');
    expect(view.frames.join('')).not.toContain('\u001B[31mURGENT');
    view.unmount();
  });
});

/** The app in a terminal of a given size. */
function appInTerminal(plan: Plan, columns: number, rows: number) {
  return renderInTerminal(<App plan={plan} theme={theme} title="demo" startApply={async () => ({report: '', reportJson: '', planFile: ''})} savePlan={() => ''} onExit={() => {}} />, columns, rows);
}

describe('layout', () => {
  it('many tracks: the overview and the picker scroll instead of outgrowing 80×24', async () => {
    const extra = Array.from({length: 30}, (_, index) => ({id: `x${index}`, name: `Extra ${String(index).padStart(2, '0')}`}));
    const plan = buildPlan({spec: seedSpec(), workOrders: loadWorkOrdersFromFolder(SAMPLE_WORK_ORDERS).workOrders, serverTracks: extra, project: 'p', api: null});
    const {input, instance, last} = appInTerminal(plan, 80, 24);
    await waitFor(() => expect(last()).toContain('↓ 26 more'));
    expect(last().split('\n').length).toBeLessThanOrEqual(24);
    input.write(KEYS.end);
    await waitFor(() => expect(last()).toContain('↑ 26 above · end of list'));
    input.write(KEYS.up);
    await waitFor(() => expect(last()).toMatch(/›Needs review/));
    input.write(KEYS.enter);
    await waitFor(() => expect(last()).toContain('Needs review (42/43)'));
    input.write('m');
    await waitFor(() => expect(last()).toContain('Move 1 work order to…'));
    expect(last()).toContain('more');
    expect(last().split('\n').length).toBeLessThanOrEqual(24);
    input.write(KEYS.escape);
    await waitFor(() => expect(last()).not.toContain('Move 1 work order to…'));
    input.write('c');
    await waitFor(() => expect(last()).toContain('Confirm: 11 tracks to create'));
    expect(last()).toMatch(/Lines 1–\d+ of \d+ \(↑↓ PgUp PgDn scroll\)/);
    expect(last()).toContain('│ Foundation');
    expect(last().split('\n').length).toBeLessThanOrEqual(24);
    instance.unmount();
  });

  it('fits 80×24 and re-lays out on resize', async () => {
    const {stdout, instance, last} = appInTerminal(samplePlan(), 80, 24);
    await waitFor(() => expect(last()).toContain('Foundation'));
    expect(last().split('\n').length).toBeLessThanOrEqual(24);
    expect(Math.max(...last().split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
    stdout.resize(50, 24);
    await waitFor(() => expect(Math.max(...last().split('\n').map((line) => line.length))).toBeLessThanOrEqual(50));
    expect(last()).toMatch(/Autonomous Orchestration\s+21 █/);
    instance.unmount();
  });
});
