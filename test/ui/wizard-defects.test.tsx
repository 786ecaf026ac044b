import {render} from 'ink-testing-library';
import React from 'react';
import {stripVTControlCharacters} from 'node:util';
import {describe, expect, it} from 'vitest';
import {App} from '../../src/ui/app.js';
import {splitKeys, type KeyPress} from '../../src/ui/keys.js';
import {ApplyScreen} from '../../src/ui/screens/apply-screen.js';
import {TrackReview} from '../../src/ui/screens/track-review.js';
import {groupKeys} from '../../src/ui/state/groups.js';
import {currentItems, initialState, reduce, type WizardState} from '../../src/ui/state/wizard-state.js';
import stringWidth from 'string-width';
import {renderInTerminal, samplePlan, waitFor} from '../helpers/ui.js';

const press = (state: WizardState, ...keys: (string | Partial<KeyPress>)[]) =>
  keys.reduce((current, k) => reduce(current, {type: 'key', key: typeof k === 'string' ? {input: k} : {input: '', ...k}}), state);
const plan = samplePlan();
const open = (name: string, rows = 24) => {
  const index = groupKeys(plan).indexOf(name);
  let state = initialState(plan, {rows, columns: 80});
  for (let i = 0; i < index; i++) state = press(state, {downArrow: true});
  return press(state, {return: true});
};

describe('defects that must not come back', () => {
  it('PgUp never scrolls above the top (End then PgUp in a long track)', () => {
    const state = press(open('autonomous orchestration', 20), {end: true}, {pageUp: true}, {pageUp: true}, {pageUp: true});
    expect(state.scroll).toBe(0);
    expect(state.cursor).toBeGreaterThanOrEqual(0);
    const shown = currentItems(state).slice(state.scroll, state.scroll + 10);
    expect(shown.length).toBeGreaterThan(0);
  });

  it('several printable keys in one read are each handled ("jjjjj" moves five rows)', () => {
    expect(splitKeys({input: 'jjjjj'})).toEqual(Array.from({length: 5}, () => ({input: 'j'})));
    expect(splitKeys({input: 'j\r'})).toEqual([{input: 'j'}, {input: '', return: true}]);
    expect(splitKeys({input: '', downArrow: true})).toEqual([{input: '', downArrow: true}]);
    const state = splitKeys({input: 'jjjjj'}).reduce((current, key) => reduce(current, {type: 'key', key}), open('runner reliability'));
    expect(state.cursor).toBe(5);
  });

  it('Ctrl-C works in the picker, while typing a filter, and on the quit prompt; with nothing moved it quits at once', () => {
    const ctrlC = {input: 'c', ctrl: true};
    expect(press(open('runner reliability'), 'm', ctrlC).request).toEqual({type: 'exit'});
    // With a move made, Ctrl-C asks first.
    const track = press(open('runner reliability'), 'n');
    const inPicker = press(track, 'm');
    expect(inPicker.picker).not.toBeNull();
    expect(press(inPicker, ctrlC)).toMatchObject({picker: null, overlay: 'quit'});
    const filtering = press(track, '/', 'g', 'i');
    expect(filtering.filterEditing).toBe(true);
    expect(press(filtering, ctrlC)).toMatchObject({filterEditing: false, overlay: 'quit'});
    expect(press(press(filtering, ctrlC), ctrlC).request).toEqual({type: 'exit'});
  });

  it('b from the confirm screen goes back where it came from, also from the first track', () => {
    const fromFirst = press(open('foundation'), 'c');
    expect(fromFirst.screen).toBe('confirm');
    expect(press(fromFirst, 'b').screen).toBe('track');
    const fromOverview = press(initialState(plan), 'c');
    expect(press(fromOverview, 'b').screen).toBe('overview');
  });

  it('without an apply path, y only says why and what to do', () => {
    const state = press(initialState(plan, {rows: 24, columns: 80}, {kind: 'none', text: 'planned from local files only.'}), 'c', 'y');
    expect(state.request).toBeNull();
    expect(state.notice).toBe('Nothing can be applied from here: planned from local files only. Press s to save the plan.');
  });

  it('wide characters are cut by display width, so no row outgrows the terminal', () => {
    const wide = {...plan, items: plan.items.map((item) => (item.id === 'WO-2025-001' ? {...item, safeTitle: '工作指令追踪分配🚀'.repeat(8)} : item))};
    let state = initialState(wide, {rows: 24, columns: 60});
    state = press(state, {return: true});
    const view = render(<TrackReview state={state} theme={{color: false}} />);
    const lines = stripVTControlCharacters(view.lastFrame() ?? '').split('\n');
    const row = lines.find((line) => line.includes('WO-2025-001'))!;
    expect(row).toContain('…');
    expect(Math.max(...lines.map((line) => stringWidth(line)))).toBeLessThanOrEqual(60);
  });

  it('the apply screen starts with an empty bar, not a full one at 0/0', () => {
    const state = reduce(initialState(plan), {type: 'apply-started', counts: {}, now: Date.now()});
    const view = render(<ApplyScreen state={{...state, screen: 'apply'}} theme={{color: false}} now={Date.now()} />);
    const frame = stripVTControlCharacters(view.lastFrame() ?? '');
    expect(frame).toMatch(/░+ 0\/0/);
    expect(frame).not.toMatch(/█+ 0\/0/);
  });

  it('the apply screen fits the terminal: the chart first, then the newest log lines', () => {
    const log = ['Applying to http://x (project pcc).', 'Created track Foundation.', 'Created track Economy.', 'WO-2026-001: retry 1 (HTTP 503)', 'WO-2026-002: retry 1 (HTTP 503)', 'WO-2026-003: failed (HTTP 500)'];
    const at = (rows: number, columns: number) => {
      const started = reduce(initialState(plan, {rows, columns}), {type: 'apply-started', counts: {}, now: Date.now()});
      const state = {...started, screen: 'apply' as const, apply: {...started.apply!, log, done: 16, total: 100, alreadyDone: 3}};
      return stripVTControlCharacters(render(<ApplyScreen state={state} theme={{color: false}} now={Date.now()} />).lastFrame() ?? '').split('\n');
    };
    // Title, notice and key hints take three more lines around this screen.
    const roomy = at(30, 100);
    expect(roomy.filter((line) => line.includes('WO-2026-00'))).toHaveLength(3);
    expect(roomy.length).toBeLessThanOrEqual(27);
    const small = at(20, 60);
    expect(small.length).toBeLessThanOrEqual(17);
    expect(small).toContainEqual(expect.stringContaining('No track'));
    expect(small.at(-1)).toContain('WO-2026-003: failed');
    expect(small.some((line) => line.includes('16/100'))).toBe(true);
    const tiny = at(12, 60);
    expect(tiny.length).toBeLessThanOrEqual(9);
    expect(tiny).toContainEqual(expect.stringMatching(/… \d+ more below \(the report has them all\)/));
    expect(tiny.some((line) => line.includes('16/100'))).toBe(true);
  });

  it('the picker marks its cursor with a character, not only reverse video (FORCE_COLOR=0)', async () => {
    const view = render(<App plan={plan} theme={{color: false}} title="t" startApply={async () => ({report: '', reportJson: '', planFile: ''})} savePlan={() => ''} onExit={() => {}} />);
    view.stdin.write('\r');
    await waitFor(() => expect(stripVTControlCharacters(view.lastFrame() ?? '')).toContain('Foundation (1/13)'));
    view.stdin.write('m');
    await waitFor(() => expect(stripVTControlCharacters(view.lastFrame() ?? '')).toMatch(/^\s*│ ›\d /m));
    view.unmount();
  });
});

describe('every change visible before it is sent', () => {
  it('track rows that will change carry + ~ or -', () => {
    const state = press(open('foundation'), 'n');
    const view = render(<TrackReview state={press(state, {downArrow: true})} theme={{color: false}} />);
    const frame = stripVTControlCharacters(view.lastFrame() ?? '');
    expect(frame).toMatch(/^ {2}\+ WO-2025-002 /m);
    const none = groupKeys(state.review.plan).length - 1;
    let inNone = initialState(state.review.plan);
    for (let i = 0; i < none; i++) inNone = press(inNone, {downArrow: true});
    inNone = {...press(inNone, {return: true}), review: state.review};
    const noneView = render(<TrackReview state={inNone} theme={{color: false}} />);
    // On no track now and planned there: no change, no sign.
    expect(stripVTControlCharacters(noneView.lastFrame() ?? '')).toMatch(/^› {3}WO-2025-001 /m);
  });

  it.each([[60, 20], [60, 14], [40, 12]])('at %ix%i the confirm body scrolls to every changing track, and no frame outgrows the terminal', async (columns, rows) => {
    const {input, instance, last} = renderInTerminal(<App plan={plan} theme={{color: false}} title="t" startApply={async () => ({report: '', reportJson: '', planFile: ''})} savePlan={() => ''} onExit={() => {}} />, columns, rows);
    const key = (data: string) => input.write(data);
    await waitFor(() => expect(last()).toContain('Foundation'));
    key('c');
    await waitFor(() => expect(last()).toContain('Confirm:'));
    const seen = new Set<string>();
    for (let i = 0; i < 200 && !last().includes('→ No track'); i++) {
      for (const line of last().split('\n')) seen.add(line);
      expect(last().split('\n').length).toBeLessThanOrEqual(rows);
      key('j');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    for (const line of last().split('\n')) seen.add(line);
    const text = [...seen].join('\n');
    for (const name of ['Foundation', 'Runner Reliability', 'Testing & Quality', 'Multi-Repo']) expect(text).toMatch(new RegExp(`(│ ${name.slice(0, 6)}|→ ${name})`));
    instance.unmount();
  });

  it('more than 1,000 changes are confirmed by typing yes', () => {
    const big = {...plan, items: Array.from({length: 1001}, (_, index) => ({...plan.items[0], id: `WO-2030-${index}`}))};
    let state = press(initialState(big), 'c', 'y');
    expect(state.request).toBeNull();
    expect(state.typedYes).toBe('');
    state = press(state, 'y', 'e', {return: true});
    expect(state.request).toBeNull();
    state = press(state, 'y', 'e', 's', {return: true});
    expect(state.request).toEqual({type: 'apply'});
  });
});

describe('details', () => {
  it('long lines wrap to the box, so the runner-up and the reasons are read whole', async () => {
    const {Details} = await import('../../src/ui/screens/details.js');
    const {wrapLine} = await import('../../src/ui/state/wrap.js');
    expect(wrapLine('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapLine('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapLine('日本語の名前', 6)).toEqual(['日本語', 'の名前']);
    const reason = 'mentions WO-2026-114 (no track); similar to WO-2026-117, WO-2026-114 (no track); tag tracks on 6 no track WOs; words track, show';
    const guessed = {...plan, items: plan.items.map((item) => (item.id === 'WO-2026-020' ? {...item, suggestion: {key: '@none', confidence: 0.83, reason, runnerUp: {key: 'economy', confidence: 0.12}, candidates: []}} : item))};
    const state = press(press(initialState(guessed, {rows: 30, columns: 60}), {downArrow: true}, {return: true}), {return: true});
    const frame = stripVTControlCharacters(render(<Details state={state} />).lastFrame() ?? '');
    const text = frame.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('(runner-up Economy 12%)');
    expect(text).toContain('words track, show');
    // Each line's text fits the 60-column terminal inside the border (the test renderer itself is wider).
    for (const line of frame.split('\n').filter((row) => row.startsWith('│'))) expect(line.slice(2).replace(/\s*│$/, '').length).toBeLessThanOrEqual(56);
  });
});

describe('confirm with one change below a full table', () => {
  it.each([20, 22, 24, 26])('at 80x%i the change is on screen, or the scroll line says so and End shows it', async (rows) => {
    const {Confirm} = await import('../../src/ui/screens/confirm.js');
    const applied = {...plan, tracks: plan.tracks.map((track) => ({...track, existingId: track.existingId ?? `id-${track.key}`})), items: plan.items.map((item) => ({...item, currentKey: item.plannedKey, currentTrackId: item.plannedKey ? `id-${item.plannedKey}` : null}))};
    const screen = (state: WizardState) => stripVTControlCharacters(render(<Confirm state={state} now={{}} theme={{color: false}} />).lastFrame() ?? '');
    const state = press(initialState(applied, {rows, columns: 80}), {return: true}, 'n', 'c');
    const change = /^- WO-\d{4}-\d{3} .*\(from Foundation\)/m;
    const first = screen(state);
    if (!change.test(first)) expect(first).toMatch(/Lines 1–\d+ of \d+ \(↑↓ PgUp PgDn scroll\)/);
    expect(screen(press(state, {end: true}))).toMatch(change);
  });
});

describe('confirm paging', () => {
  it.each([[80, 24], [60, 20], [40, 12]])('at %ix%i PgDn shows every line of the body and PgUp every line back', async (columns, rows) => {
    const {confirmLayout, confirmLines, confirmTableFits, confirmLastStart} = await import('../../src/ui/state/confirm-lines.js');
    const {confirmWindow} = await import('../../src/ui/state/wizard-state.js');
    let state = press(initialState(plan, {rows, columns}), 'c');
    const lines = confirmLines(state.review.plan);
    const height = confirmWindow(state);
    const fits = confirmTableFits(columns);
    const shown = (view: WizardState) => {
      const start = Math.min(view.confirmScroll, confirmLastStart(lines, height, fits));
      return {start, end: confirmLayout(lines, start, height, fits).end};
    };
    const seenDown = new Set<number>();
    for (let page = 0; page < 200; page++) {
      const {start, end} = shown(state);
      for (let line = start; line < end; line++) seenDown.add(line);
      if (end >= lines.length) break;
      state = press(state, {pageDown: true});
    }
    expect(seenDown.size).toBe(lines.length);
    const seenUp = new Set<number>();
    for (let page = 0; page < 200; page++) {
      const {start, end} = shown(state);
      for (let line = start; line < end; line++) seenUp.add(line);
      if (start === 0) break;
      state = press(state, {pageUp: true});
    }
    expect(seenUp.size).toBe(lines.length);
  });
});

describe('confirm says where y applies, whole', () => {
  it('at 40 columns the target wraps instead of being cut, and the body gives up the row', async () => {
    const {Confirm} = await import('../../src/ui/screens/confirm.js');
    const text = 'the API at http://pcc.internal.example.com:4010 (project project-control-center)';
    const state = press(initialState(plan, {rows: 12, columns: 40}, {kind: 'api', text}), 'c');
    const frame = stripVTControlCharacters(render(<Confirm state={state} now={{}} theme={{color: false}} />).lastFrame() ?? '');
    expect(frame.replace(/\s+/g, ' ')).toContain(`y applies to ${text}.`);
    // Title, notice and footer around it: the frame leaves them their rows.
    expect(frame.split('\n').length + 3).toBeLessThanOrEqual(12);
  });
});

describe('confirm with nothing to send', () => {
  it('says that y still records the review\'s decisions in the spec', async () => {
    const {Confirm} = await import('../../src/ui/screens/confirm.js');
    // Everything already where the plan puts it; one Needs-review WO then sent to no track.
    const applied = {...plan, tracks: plan.tracks.map((track) => ({...track, existingId: track.existingId ?? `id-${track.key}`})), items: plan.items.map((item) => ({...item, currentKey: item.plannedKey, currentTrackId: item.plannedKey ? `id-${item.plannedKey}` : null}))};
    const screen = (state: WizardState) => stripVTControlCharacters(render(<Confirm state={state} now={{}} theme={{color: false}} />).lastFrame() ?? '');
    const review = groupKeys(applied).indexOf('@review');
    let state = initialState(applied);
    for (let i = 0; i < review; i++) state = press(state, {downArrow: true});
    expect(screen(press(state, 'c'))).not.toContain('records the review');
    state = press(state, {return: true}, 'n', 'c');
    expect(screen(state)).toMatch(/Nothing to change: the server already matches the plan\.\ny records the review's decisions in the spec\./);
    // Where nothing can be applied, y records nothing either: no such line.
    let offline = initialState(applied, {rows: 24, columns: 80}, {kind: 'none', text: 'planned from local files only.'});
    for (let i = 0; i < review; i++) offline = press(offline, {downArrow: true});
    expect(screen(press(offline, {return: true}, 'n', 'c'))).not.toContain('records the review');
    // On a short terminal the last row can still be scrolled to, with the line taking its row.
    let short = initialState(applied, {rows: 12, columns: 40});
    for (let i = 0; i < review; i++) short = press(short, {downArrow: true});
    const end = screen(press(short, {return: true}, 'n', 'c', {end: true}));
    expect(end).toContain('No track');
    expect(end).toContain('y records the review');
    expect(end.split('\n').length + 2).toBeLessThanOrEqual(12);
    const {wrapLine} = await import('../../src/ui/state/wrap.js');
    expect(wrapLine('名前', 1)).toEqual(['名', '前']);
  });
});

describe('help on a small terminal', () => {
  it('pages instead of hiding keys or cutting words: PgDn and ↓ turn pages, ↑ goes back, other keys close', async () => {
    const {helpPages} = await import('../../src/ui/state/help-pages.js');
    const {KEY_BINDINGS} = await import('../../src/ui/keys.js');
    const {pages} = helpPages('track', 20, 60);
    expect(pages.length).toBeGreaterThan(1);
    // Each page fits: seven lines of frame and chrome around it.
    for (const page of pages) expect(page.length + 7).toBeLessThanOrEqual(20);
    const words = pages.flat().join(' ').replace(/\s+/g, ' ');
    for (const binding of KEY_BINDINGS.filter((candidate) => candidate.screens.includes('track'))) expect(words).toContain(binding.help.replace(/\s+/g, ' '));
    expect(pages.flat().every((line) => stringWidth(line) <= 56)).toBe(true);
    // What a percentage means is on the last page when the keys take several.
    expect(pages.at(-1)!.join(' ')).toContain('n%: about n in 100');
    // Each screen's help says what a key does there.
    expect(helpPages('overview', 40, 100).pages.flat().join('\n')).toMatch(/\/ +search every WO, on any track/);
    expect(helpPages('confirm', 40, 100).pages.flat().join('\n')).toMatch(/↓\/j +scroll down/);
    let state = press(open('runner reliability', 20), '?');
    state = {...state, viewport: {rows: 20, columns: 60}};
    expect(state).toMatchObject({overlay: 'help', helpPage: 0});
    const {footerItems} = await import('../../src/ui/components/help-overlay.js');
    // How to close comes first, so a narrow footer keeps it; the last page offers no next page.
    expect(footerItems(state)).toEqual(['other keys close', '↓ next']);
    state = press(state, {pageDown: true});
    expect(state).toMatchObject({overlay: 'help', helpPage: 1});
    for (let turn = 1; turn < pages.length - 1; turn++) state = press(state, {downArrow: true});
    expect(state.helpPage).toBe(pages.length - 1);
    expect(footerItems(state)).toEqual(['other keys close', '↑ back']);
    // On the last page the next-page keys close it, as the footer says.
    expect(press(state, ' ').overlay).toBeNull();
    const {HelpOverlay} = await import('../../src/ui/components/help-overlay.js');
    const narrow = stripVTControlCharacters(render(<HelpOverlay screen="track" rows={12} columns={40} page={0} />).lastFrame() ?? '');
    expect(narrow).toContain('other keys close · ↓ next');
    state = press(state, {upArrow: true});
    expect(state.helpPage).toBe(pages.length - 2);
    expect(press(state, 'x').overlay).toBeNull();
    expect(reduce(state, {type: 'resize', rows: 40, columns: 100})).toMatchObject({overlay: 'help', helpPage: 0});
    // On a tiny terminal a key's explanation that does not fit its page is marked as cut.
    const tiny = helpPages('track', 8, 30).pages.flat();
    expect(tiny.some((line) => line.endsWith('…'))).toBe(true);
    // One page: any key closes, arrows included.
    const roomy = press({...press(open('runner reliability', 40), '?'), viewport: {rows: 60, columns: 120}}, {downArrow: true});
    expect(roomy.overlay).toBeNull();
  });
});

describe('the apply log', () => {
  it('shows as many of the newest lines as the terminal has room for, not only six', () => {
    const events = Array.from({length: 10}, (_, index) => ({type: 'retry' as const, method: 'PUT', route: `/repos/p/work-orders/WO-${index}/track`, attempt: 2, reason: 'timeout'}));
    const state = reduce(reduce(initialState(plan, {rows: 60, columns: 100}), {type: 'apply-started', counts: {}, now: 0}), {type: 'apply-events', now: 1, events});
    const frame = stripVTControlCharacters(render(<ApplyScreen state={state} theme={{color: false}} now={2} />).lastFrame() ?? '');
    expect(frame).toContain('WO-0/track');
    expect(frame).toContain('WO-9/track');
  });
});

describe('the done screen at the smallest size', () => {
  it('a long refusal and a stopped run both fit 40x10, and Resume is named only when it is shown', async () => {
    const {Done} = await import('../../src/ui/screens/done.js');
    const {notTheSamePcc} = await import('../../src/pcc/same-pcc.js');
    const finished = (outcome: Record<string, unknown>) =>
      reduce(reduce(initialState(plan, {rows: 10, columns: 40}), {type: 'apply-started', counts: {}, now: 0}), {
        type: 'apply-events',
        now: 1,
        events: [{type: 'finished', outcome: {target: 't', tracksCreated: [], tracksReused: [], tracksDeleted: [], applied: 0, resumed: 0, failed: [], retries: 0, stopped: false, verified: false, mismatches: [], undoPlan: null, durationMs: 1, ...outcome}}],
      });
    const files = {report: '/a/long/folder/for/the/report/of/this/run/plan.report.md', reportJson: 'r.json', planFile: '/a/long/folder/for/the/plan/of/this/run/plan.json'};
    const frame = (state: WizardState) => stripVTControlCharacters(render(<Done state={state} theme={{color: false}} files={files} />).lastFrame() ?? '').split('\n');
    const refused = frame(finished({refusal: notTheSamePcc('/srv/pcc/control-center.db', 'http://127.0.0.1:4010', ['track "A" (a) is on the server but not in the database', 'WO-1 is on a on the server and on no track in the database'])}));
    expect(refused.length + 3).toBeLessThanOrEqual(10);
    expect(refused.join('\n')).toContain('… (printed whole when the wizard exits)');
    const stopped = frame(finished({stopped: true, unsent: 4, applied: 2}));
    expect(stopped.length + 3).toBeLessThanOrEqual(10);
    const text = stopped.join('\n');
    if (text.includes('Resume below')) expect(text).toContain('Resume:');
  });
});

describe('a terminal too small for any screen', () => {
  it('says the size it needs, and the wizard comes back when the terminal grows', async () => {
    const {stdout, instance, last} = renderInTerminal(<App plan={plan} theme={{color: false}} title="t" startApply={async () => ({report: '', reportJson: '', planFile: ''})} savePlan={() => ''} onExit={() => {}} fullScreen />, 30, 8);
    await waitFor(() => expect(last().replace(/\s+/g, ' ')).toContain('The terminal is 30x8; pcc-track-wizard needs at least 40x10. Make it larger.'));
    // Keys the user cannot see the effect of do nothing; Ctrl-C still acts.
    const small = initialState(plan, {rows: 8, columns: 30});
    expect(press(small, 'c', 'y')).toBe(small);
    expect(press(small, {input: 'c', ctrl: true}).request).toEqual({type: 'exit'});
    // With a move made, the quit question is shown there and answered there.
    const moved = {...press(initialState(plan, {rows: 24, columns: 80}), {return: true}, 'n'), viewport: {rows: 8, columns: 30}};
    const asking = press(moved, {input: 'c', ctrl: true});
    expect(asking.overlay).toBe('quit');
    expect(press(asking, 'n').overlay).toBeNull();
    expect(press(asking, 'y').request).toEqual({type: 'exit'});
    stdout.resize(80, 24);
    await waitFor(() => expect(last()).toContain('›Foundation'));
    instance.unmount();
  });
});

describe('a track list on a short terminal', () => {
  it('uses the rows it has and counts the WOs out of view', () => {
    const state = press(initialState(plan, {rows: 12, columns: 80}), {downArrow: true}, {return: true});
    const frame = (view: WizardState) => stripVTControlCharacters(render(<TrackReview state={view} theme={{color: false}} />).lastFrame() ?? '');
    const total = currentItems(state).length;
    // The app's title, notice and footer are around this frame: it takes all the other rows.
    expect(frame(state).split('\n')).toHaveLength(12 - 3);
    expect(frame(state)).toContain(`↓ ${total - 5} more`);
    expect(frame(press(state, {end: true}))).toContain(`↑ ${total - 5} above · end of list`);
    // Narrow, with a selection: the heading stays one line, so the frame still fits.
    const narrow = press(initialState(plan, {rows: 14, columns: 40}), {downArrow: true}, {return: true}, ' ', 'j', ' ');
    expect(frame(narrow).split('\n')).toHaveLength(14 - 3);
  });
});

describe('details on a short terminal', () => {
  it('the title wraps, the body scrolls to its last line, and other keys close', async () => {
    const {Details} = await import('../../src/ui/screens/details.js');
    const long = {...plan, items: plan.items.map((item, index) => (index === 0 ? {...item, safeTitle: 'A title long enough that it cannot fit on one line of a small terminal', goal: 'A goal with many words that wraps over several lines of the details box when the box is narrow'} : item))};
    const first = groupKeys(long).indexOf(long.items[0]!.plannedKey ?? '@none');
    let state = initialState(long, {rows: 12, columns: 40});
    for (let i = 0; i < first; i++) state = press(state, {downArrow: true});
    state = press(state, {return: true});
    state = {...state, cursor: currentItems(state).findIndex((item) => item.id === long.items[0]!.id)};
    state = press(state, {return: true});
    expect(state.overlay).toBe('details');
    const frame = (view: WizardState) => stripVTControlCharacters(render(<Details state={view} />).lastFrame() ?? '');
    expect(frame(state)).toMatch(/A title long enough[\s\S]*small terminal/);
    expect(frame(state)).toMatch(/Lines 1–\d+ of \d+ \(↑↓ scroll\)/);
    const total = Number(/of (\d+)/.exec(frame(state))![1]);
    // A page is what the box shows: PgDn from lines 1–2 shows 3–4, none skipped.
    const shown = Number(/Lines 1–(\d+)/.exec(frame(state))![1]);
    expect(frame(press(state, {pageDown: true}))).toContain(`Lines ${shown + 1}–`);
    for (let i = 0; i < total; i++) state = press(state, {downArrow: true});
    expect(state.overlay).toBe('details');
    expect(frame(state)).toMatch(new RegExp(`Lines \\d+–${total} of ${total}`));
    expect(frame(state)).toContain('Depends on:');
    expect(press(state, 'x').overlay).toBeNull();
  });
});

describe('no frame taller than the terminal', () => {
  const small = (rows: number, columns: number) => ({...initialState(plan, {rows, columns})});
  it.each([[60, 20], [40, 12]])('help, details and done fit %ix%i', async (columns, rows) => {
    const {HelpOverlay} = await import('../../src/ui/components/help-overlay.js');
    const {Details} = await import('../../src/ui/screens/details.js');
    const {Done} = await import('../../src/ui/screens/done.js');
    const height = (node: React.ReactElement) => stripVTControlCharacters(render(node).lastFrame() ?? '').split('\n').length;
    // The App adds three lines around a screen: the title, the notice and the footer.
    expect(height(<HelpOverlay screen="track" rows={rows} columns={columns} />) + 3).toBeLessThanOrEqual(rows);
    // The keys come first: on a short terminal there is no room for the note on percentages.
    expect(stripVTControlCharacters(render(<HelpOverlay screen="track" rows={rows} columns={columns} />).lastFrame() ?? '')).not.toContain('n%: about n in 100');
    const tall = stripVTControlCharacters(render(<HelpOverlay screen="track" rows={40} columns={100} />).lastFrame() ?? '');
    expect(tall).toContain('n%: about n in 100 such guesses were right here.');
    expect(tall).not.toContain('more keys on a taller terminal');
    const track = press(small(rows, columns), {return: true});
    expect(height(<Details state={track} />) + 3).toBeLessThanOrEqual(rows);
    const applied = reduce(reduce(small(rows, columns), {type: 'apply-started', counts: {}, now: 0}), {
      type: 'apply-events',
      now: 1,
      events: [{type: 'finished', outcome: {target: 't', tracksCreated: [], tracksReused: [], tracksDeleted: [], applied: 3, resumed: 0, failed: [{id: 'a', error: 'x'}, {id: 'b', error: 'y'}, {id: 'c', error: 'z'}, {id: 'd', error: 'w'}], retries: 0, stopped: false, verified: false, mismatches: ['m1', 'm2', 'm3', 'm4', 'm5'], undoPlan: 'u.json', durationMs: 1}}],
    });
    const done = stripVTControlCharacters(render(<Done state={applied} theme={{color: false}} files={{report: 'r.md', reportJson: 'r.json', planFile: 'p.json', spec: 'Spec updated'}} />).lastFrame() ?? '');
    expect(done.split('\n').length + 3).toBeLessThanOrEqual(rows);
    expect(done.split('\n')[0]).toBe('✘ Finished with problems.');
    // Stopped: what was not sent is one line and the command resumes; paths are wrapped, never cut.
    const stopped = reduce(reduce(small(rows, columns), {type: 'apply-started', counts: {}, now: 0}), {
      type: 'apply-events',
      now: 1,
      events: [{type: 'finished', outcome: {target: 't', tracksCreated: [], tracksReused: [], tracksDeleted: [], applied: 3, resumed: 0, failed: [{id: 'WO-1', error: 'boom'}], retries: 0, stopped: true, verified: false, mismatches: ['m1', 'm2', 'm3', 'm4', 'm5'], undoPlan: null, durationMs: 1, unsent: 5}}],
    });
    const planFile = `/home/someone/projects/a-long-folder-name/.pcc-track-wizard/2026-11-24T10-00-00/plan.json`;
    const stopView = stripVTControlCharacters(render(<Done state={stopped} theme={{color: false}} files={{report: 'r.md', reportJson: 'r.json', planFile}} />).lastFrame() ?? '');
    expect(stopView.split('\n')[0]).toBe('■ Stopped before the end.');
    expect(stopView).toContain('5 changes not sent or not confirmed');
    // A failure is still listed beside it; the differences that follow from the stop are not.
    expect(stopView).toMatch(/WO-1: boom|… 1 problem \(all in the report\)/);
    expect(stopView).not.toContain('m1');
    expect(stopView.replace(/\s+/g, '')).toContain(`Resume: pcc-track-wizard --apply ${planFile} --yes`.replace(/\s+/g, ''));
    expect(stopView).toContain('plan.json');
    expect(stopView.split('\n').length + 3).toBeLessThanOrEqual(rows);
  });
});

describe('friction', () => {
  it('undo says what it undid and keeps the cursor on that WO', () => {
    const moved = press(open('runner reliability'), 'j', 'j', 'n');
    expect(moved.notice).toBe('Moved 1 to No track. u undoes.');
    const undone = press(moved, 'u');
    expect(undone.notice).toBe('Undone: moved WO-2026-032 back to Runner Reliability.');
    expect(currentItems(undone)[undone.cursor].id).toBe('WO-2026-032');
    expect(press(undone, {input: 'r', ctrl: true}).notice).toBe('Redone: moved WO-2026-032 to No track.');
    // A WO sent from Needs review to no track goes back to Needs review, and the notice says so.
    const reviewed = press(open('@review'), 'n');
    expect(reviewed.notice).toBe('Moved 1 to No track. u undoes.');
    expect(press(reviewed, 'u').notice).toMatch(/^Undone: moved WO-\d{4}-\d+ back to Needs review\.$/);
  });

  it('Esc first clears a kept filter, then leaves the track', () => {
    const filtered = press(open('runner reliability'), '/', 'g', 'i', 't', {return: true});
    expect(currentItems(filtered).length).toBeLessThan(14);
    const cleared = press(filtered, {escape: true});
    expect(cleared).toMatchObject({screen: 'track', filter: ''});
    expect(press(cleared, {escape: true}).screen).toBe('overview');
  });

  it('picker numbers stay with their track, candidates are marked, and the current track is not offered', async () => {
    const {pickerChoices} = await import('../../src/ui/state/picker.js');
    const suggested = {...plan, items: plan.items.map((item) => (item.id === 'WO-2026-021' ? {...item, plannedKey: 'runner reliability', suggestion: {key: 'economy', confidence: 0.3, reason: 'x', runnerUp: null, candidates: [{key: 'economy', confidence: 0.3}]}} : item))};
    let state = initialState(suggested);
    state = press(state, {downArrow: true}, {return: true});
    const choices = pickerChoices(press(state, 'j', 'm'));
    expect(currentItems(press(state, 'j'))[1].id).toBe('WO-2026-021');
    expect(choices.map((choice) => choice.key)).not.toContain('runner reliability');
    expect(choices.find((choice) => choice.key === 'economy')).toMatchObject({hotkey: '6', hint: 'suggested 30%'});
    expect(pickerChoices(press(press(state, {end: true}), 'm')).find((choice) => choice.key === 'economy')).toMatchObject({hotkey: '6', hint: null});
    // One WO selected, the cursor elsewhere: the candidates are the selected WO's.
    const selected = press(state, 'j', ' ', 'm');
    expect(currentItems(selected)[selected.cursor].id).not.toBe('WO-2026-021');
    expect(pickerChoices(selected)[selected.picker!.cursor]).toMatchObject({key: 'economy', hint: 'suggested 30%'});
    // Filtered, the rows have no numbers: a digit goes into the filter, it picks nothing.
    const filtered = press(state, 'm', 'e', '2');
    expect(filtered.picker?.query).toBe('e2');
    expect(pickerChoices(press(state, 'm', 'e')).every((choice) => choice.hotkey === null)).toBe(true);
  });

  it('the guess column names the guessed track, and the quit prompt counts WOs', async () => {
    const guessed = {...plan, items: plan.items.map((item) => (item.id === 'WO-2026-120' ? {...item, suggestion: {key: 'economy', confidence: 0.31, reason: 'x', runnerUp: null, candidates: []}} : item))};
    const index = groupKeys(guessed).indexOf('@review');
    let state = initialState(guessed);
    for (let i = 0; i < index; i++) state = press(state, {downArrow: true});
    state = press(state, {return: true});
    const frame = stripVTControlCharacters(render(<TrackReview state={state} theme={{color: false}} />).lastFrame() ?? '');
    expect(frame).toMatch(/WO-2026-120 +backlog +Economy 31% +Cost dashboard/);
    const view = render(<App plan={plan} theme={{color: false}} title="t" startApply={async () => ({report: '', reportJson: '', planFile: ''})} savePlan={() => ''} onExit={() => {}} />);
    for (const key of ['\r', ' ', ' ', 'n', 'q', 'q']) {
      view.stdin.write(key);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await waitFor(() => expect(stripVTControlCharacters(view.lastFrame() ?? '')).toContain('Quit and drop the moves of 2 work orders? y quits · n stays'));
    view.unmount();
  });
});

describe('load warnings inside the wizard', () => {
  it('w opens them; the picker starts on the best suggestion', async () => {
    const view = render(<App plan={plan} theme={{color: false}} title="t" warnings={['WO-2026-118.md:9: front matter is not valid YAML']} startApply={async () => ({report: '', reportJson: '', planFile: ''})} savePlan={() => ''} onExit={() => {}} />);
    view.stdin.write('w');
    await waitFor(() => expect(stripVTControlCharacters(view.lastFrame() ?? '')).toContain('Warnings (1)'));
    expect(stripVTControlCharacters(view.lastFrame() ?? '')).toContain('WO-2026-118.md:9: front matter is not valid YAML');
    view.unmount();
    // A warning wider than the terminal wraps, so its advice (at the end) can be read.
    const long = `GET /repos/project-control-center/work-orders: WO-2026-096 has status "archived", which PCC does not list; it is kept and planned, fix its status to be sure PCC shows it`;
    const narrow = render(<App plan={plan} theme={{color: false}} title="t" warnings={[long, 'WO-2026-118.md:9: front matter is not valid YAML']} startApply={async () => ({report: '', reportJson: '', planFile: ''})} savePlan={() => ''} onExit={() => {}} />);
    narrow.stdin.write('w');
    await waitFor(() => expect(stripVTControlCharacters(narrow.lastFrame() ?? '')).toContain('Warnings (2)'));
    const lines = stripVTControlCharacters(narrow.lastFrame() ?? '').split('\n');
    const inside = lines.map((line) => line.replace(/^│ ?|\s*│$/g, '').trim()).filter(Boolean);
    expect(inside.join(' ')).toContain(long);
    expect(inside).toContain('WO-2026-118.md:9: front matter is not valid YAML');
    expect(lines.every((line) => stringWidth(line) <= 100)).toBe(true);
    expect(lines.some((line) => line.includes('…'))).toBe(false);
    narrow.unmount();
    // More than the panel holds: the arrows scroll to the last one, another key closes.
    const many = Array.from({length: 12}, (_, index) => `WO-2026-${String(200 + index)}.md:1: warning number ${index + 1}`);
    let short = press(initialState(plan, {rows: 12, columns: 80}, {kind: 'api', text: 'the server'}, many), 'w');
    expect(short.overlay).toBe('warnings');
    for (let i = 0; i < 20; i++) short = press(short, {downArrow: true});
    expect(short.overlay).toBe('warnings');
    const {warningRows, warningRoom} = await import('../../src/ui/state/warning-rows.js');
    expect(short.warningsScroll).toBe(warningRows(many, 80).length - warningRoom(12));
    expect(press(short, 'x').overlay).toBeNull();
    const {pickerChoices} = await import('../../src/ui/state/picker.js');
    const suggested = {...plan, items: plan.items.map((item) => (item.id === 'WO-2026-020' ? {...item, suggestion: {key: 'economy', confidence: 0.3, reason: 'x', runnerUp: null, candidates: [{key: 'economy', confidence: 0.3}]}} : item))};
    const state = press(press(initialState(suggested), {downArrow: true}, {return: true}), 'm');
    expect(pickerChoices(state)[state.picker!.cursor].key).toBe('economy');
    // The likeliest candidate, not the first one in the list: No track comes last but leads here.
    const noTrackFirst = {...plan, items: plan.items.map((item) => (item.id === 'WO-2026-020' ? {...item, suggestion: {key: '@none', confidence: 0.83, reason: 'x', runnerUp: {key: 'economy', confidence: 0.12}, candidates: [{key: '@none', confidence: 0.83}, {key: 'economy', confidence: 0.12}]}} : item))};
    const picking = press(press(initialState(noTrackFirst), {downArrow: true}, {return: true}), 'm');
    expect(pickerChoices(picking)[picking.picker!.cursor]).toMatchObject({key: null, hint: 'suggested 83%'});
  });
});

describe('footers and narrow terminals', () => {
  it('the footer follows the mode, and never cuts an item in two', async () => {
    const {footerItems, KeyHints} = await import('../../src/ui/components/help-overlay.js');
    const track = open('runner reliability');
    expect(footerItems(track)).toContain('Enter details');
    expect(footerItems(press(track, 'm'))).toEqual(['↑↓ choose', 'Enter or 1-9/0 picks', 'type to filter', 'Esc cancels']);
    expect(footerItems(press(track, '/'))).toEqual(['type to filter', 'Enter keeps it', 'Esc clears it']);
    expect(footerItems(press(track, {return: true}))).toEqual(['any key closes']);
    // On the confirm screen too, ? and w open their panels.
    expect(press(track, 'c', '?').overlay).toBe('help');
    expect(press(track, 'c', 'w').overlay).toBe('warnings');
    expect(footerItems(press(initialState(plan), 'r'))).toContain('Tab next (past the last: confirm)');
    const line = stripVTControlCharacters(render(<KeyHints state={{...track, viewport: {rows: 24, columns: 40}}} />).lastFrame() ?? '');
    // Help first, so it is there at any width, then the keys that decide; the ellipsis says more keys exist.
    expect(line).toBe('? help · m move to · n no track · …');
    const wide = stripVTControlCharacters(render(<KeyHints state={{...track, viewport: {rows: 24, columns: 80}}} />).lastFrame() ?? '');
    expect(wide).toMatch(/c confirm · q back/);
    const {footerLine} = await import('../../src/ui/components/help-overlay.js');
    expect(footerLine(['a', 'b'], 5)).toBe('a · b');
    expect(footerLine(['a', 'b', 'c'], 8)).toBe('a · …');
    // The first item stays even when nothing else fits; the line's own truncation cuts it.
    expect(footerLine(['a long first item', 'b'], 6)).toBe('a long first item · …');
  });

  it('a guessed track name is shown whole where the terminal has room, and cut with … where it has not', () => {
    const guessed = plan.items.find((item) => item.source === 'uncategorized')!;
    const longest = [...plan.tracks].sort((a, b) => b.name.length - a.name.length)[0];
    const withGuess = {...plan, items: plan.items.map((item) => (item.id === guessed.id ? {...item, suggestion: {key: longest.key, confidence: 0.65, reason: 'x', runnerUp: null, candidates: [{key: longest.key, confidence: 0.65}]}} : item))};
    const review = groupKeys(withGuess).indexOf('@review');
    const rowAt = (columns: number) => {
      let state = initialState(withGuess, {rows: 24, columns});
      for (let i = 0; i < review; i++) state = press(state, {downArrow: true});
      const frame = stripVTControlCharacters(render(<TrackReview state={press(state, {return: true})} theme={{color: false}} />).lastFrame() ?? '');
      return frame.split('\n').find((line) => line.includes(guessed.id))!;
    };
    expect(longest.name.length).toBeGreaterThan(12);
    expect(rowAt(120)).toContain(`${longest.name} 65%`);
    expect(rowAt(120)).toContain(guessed.title.slice(0, 20));
    expect(rowAt(80)).toMatch(new RegExp(`${longest.name.slice(0, 5)}[^ ]*… 65%`));
  });

  it('at 40 columns a track row still shows the title', () => {
    const state = press(initialState(plan, {rows: 12, columns: 40}), {return: true});
    const frame = stripVTControlCharacters(render(<TrackReview state={state} theme={{color: false}} />).lastFrame() ?? '');
    expect(frame).toMatch(/WO-2025-001 +Project charter/);
  });
});

describe('search across all tracks', () => {
  it('/ on the overview searches every WO; a move works there; Esc clears, then leaves', () => {
    const search = press(initialState(plan), '/', 'v', 'm', {return: true});
    expect(search).toMatchObject({screen: 'track', searchAll: true, filter: 'vm'});
    const found = currentItems(search);
    expect(new Set(found.map((item) => item.plannedKey))).toEqual(new Set(['vm isolation', 'runner reliability', null].filter((key) => found.some((item) => item.plannedKey === key))));
    expect(found.length).toBeGreaterThan(5);
    const moved = press(search, 'n');
    expect(moved.review.plan.items.find((item) => item.id === found[0].id)!.plannedKey).toBeNull();
    expect(currentItems(moved).map((item) => item.id)).toContain(found[0].id);
    const cleared = press(moved, {escape: true});
    expect(cleared).toMatchObject({screen: 'track', filter: ''});
    expect(currentItems(cleared)).toHaveLength(plan.items.length);
    expect(press(cleared, {escape: true})).toMatchObject({screen: 'overview', searchAll: false});
    const view = render(<TrackReview state={search} theme={{color: false}} />);
    expect(stripVTControlCharacters(view.lastFrame() ?? '')).toMatch(/^All work orders \(search\) · 1\/\d+/);
    // A WO left for review is said to be there, not on no track.
    const waiting = plan.items.find((item) => item.plannedKey === null && item.source === 'uncategorized')!;
    const byId = press(initialState(plan, {rows: 24, columns: 120}), '/', ...waiting.id.split(''), {return: true});
    expect(stripVTControlCharacters(render(<TrackReview state={byId} theme={{color: false}} />).lastFrame() ?? '')).toMatch(new RegExp(`${waiting.id} .*→ Needs review`));
  });
});

describe('the apply path sentence', () => {
  it('"cannot apply" is never cut, and the overview still fits 60x20', async () => {
    const reason = 'the PCC server at http://127.0.0.1:4010 has no track assignment route (no PCC release has one); pass --pcc-db PATH with PCC\'s control-center.db to apply into its database.';
    const {stdout, instance} = renderInTerminal(<App plan={plan} theme={{color: false}} title="t" applyPath={{kind: 'none', text: reason}} startApply={async () => ({report: '', reportJson: '', planFile: ''})} savePlan={() => ''} onExit={() => {}} />, 60, 20);
    await waitFor(() => expect(stripVTControlCharacters(stdout.frames.at(-1) ?? '')).toContain('Foundation'));
    const frame = stripVTControlCharacters(stdout.frames.at(-1) ?? '');
    expect(frame.split('\n').length).toBeLessThanOrEqual(20);
    expect(frame.replace(/\s+/g, ' ')).toContain('pass --pcc-db PATH with PCC\'s control-center.db to apply into its database.');
    instance.unmount();
  });
});

it('after moving a selection, the cursor stays on the WO it was on', () => {
  // Select the first two rows, then put the cursor on the fourth and move the selection.
  const state = press(open('runner reliability'), ' ', ' ', 'j');
  const under = currentItems(state)[state.cursor].id;
  const moved = press(state, 'n');
  expect(currentItems(moved)[moved.cursor].id).toBe(under);
});
