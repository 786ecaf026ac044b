import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, expect, it} from 'vitest';
import {removeTempDirs, tempDir} from '../helpers/fixtures.js';
import {PROJECT} from '../helpers/plans.js';
import {PtySession} from '../helpers/pty.js';
import {runCli} from '../helpers/run-cli.js';
import {startTestServer} from '../helpers/test-server.js';
import {holdingProxy} from '../helpers/holding-proxy.js';
import {KEYS} from '../helpers/ui.js';

afterAll(() => removeTempDirs());

it('the whole job in a real terminal: review, move one WO to a track and one to none, confirm, apply, verify', async () => {
  const pcc = await startTestServer();
  const out = tempDir();
  const session = new PtySession(['--api', pcc.url, '--out', out]);
  try {
    await session.waitFor(/Needs review\s+4/);
    // Needs review is the next-to-last group; its second WO is WO-2026-122.
    await session.press(`${KEYS.end}${KEYS.up}`, /›Needs review/);
    await session.press(KEYS.enter, 'Needs review (12/13) · 1/4');
    await session.press(KEYS.down, 'Needs review (12/13) · 2/4');
    // The picker marks the suggestion's candidates; every track keeps its number.
    await session.press('m', /4 Chat Experience \(suggested \d+%\)/);
    await session.press('4', 'Moved 1 to Chat Experience. u undoes.');
    await session.press('n', 'Moved 1 to No track. u undoes.');
    // A frame can arrive in several chunks: wait for the line itself, not just the title.
    await session.press('c', 'Confirm: 11 tracks to create · 100 to assign');
    await session.press('y', '✔ Done: the server matches the plan.');
    session.send('q');
    expect(await session.exited).toBe(0);
  } finally {
    session.kill();
  }
  const workOrders = (await (await fetch(`${pcc.url}/repos/${PROJECT}/work-orders`)).json()) as {work_orders: {id: string; track: {name: string} | null}[]};
  const trackOf = (id: string) => workOrders.work_orders.find((wo) => wo.id === id)?.track?.name ?? null;
  expect(trackOf('WO-2026-122')).toBe('Chat Experience');
  expect(trackOf('WO-2026-124')).toBeNull();
  expect(trackOf('WO-2026-037')).toBe('Economy');
  const [runFolder] = readdirSync(out);
  const report = readFileSync(path.join(out, runFolder, 'plan.report.md'), 'utf8');
  expect(report).toContain('- Verification: the server matches the plan');
  expect(report).toMatch(/- WO-2026-124: Keyboard shortcuts for the kanban board — moved to no track in review/);
  // What review decided against the spec as given.
  expect(report).toMatch(/## Decided against the spec as given \(\d+\)\n\n(- .*\n)*- WO-2026-122: not in the spec → Chat Experience \(moved in review\)\n/);

  // A second session later, same --out: nothing to change, and it applies cleanly in its own folder.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const again = new PtySession(['--api', pcc.url, '--out', out]);
  try {
    await again.waitFor('0 new tracks, 0 to assign, 0 to move, 0 to clear');
    await again.press('c', 'Nothing to change: the server already matches the plan.');
    await again.press('y', '✔ Done: the server matches the plan.');
    again.send('q');
    expect(await again.exited).toBe(0);
  } finally {
    again.kill();
  }
  expect(readdirSync(out)).toHaveLength(2);
  await pcc.stop();
});

it('asks for the server URL when neither --api nor PCC_API_URL gives it, then picks the only project', async () => {
  const pcc = await startTestServer();
  const session = new PtySession(['--out', tempDir()]);
  try {
    await session.waitFor('PCC server URL');
    await session.press(`${pcc.url}\r`, /Needs review\s+4/);
    expect(session.all).toContain('project-control-center · WO-2026-115');
    session.send('q');
    expect(await session.exited).toBe(0);
  } finally {
    session.kill();
    await pcc.stop();
  }
});

it('--apply without --yes asks in a terminal before changing anything', async () => {
  const pcc = await startTestServer();
  const planFile = path.join(tempDir(), 'plan.json');
  expect((await runCli(['--api', pcc.url, '--plan-out', planFile])).code).toBe(0);
  const session = new PtySession(['--apply', planFile]);
  try {
    await session.waitFor(/Apply .*plan\.json to the API at http:\/\/127\.0\.0\.1:\d+ \(project\s+project-control-center\): 11 tracks to create, 99 to assign, 0 to move, 0 to clear\?/);
    await session.press('y\r', 'Verified: the server matches the plan.');
    expect(await session.exited).toBe(0);
  } finally {
    session.kill();
    await pcc.stop();
  }
});

it('against a PCC without the assignment route: the overview says so at once and y is not offered; with --pcc-db the same data applies and verifies through the API', async () => {
  const pcc = await startTestServer({assignRoute: false});
  // The server has listed its WOs once (so PCC's rows exist), as a real PCC has.
  await fetch(`${pcc.url}/repos/${PROJECT}/work-orders`);
  const out = tempDir();
  const blocked = new PtySession(['--api', pcc.url, '--out', out], {cols: 80, rows: 24});
  try {
    await blocked.waitFor(/Cannot apply from here: the PCC server at http:\/\/127\.0\.0\.1:\d+ has no track/);
    await blocked.press('c', 's save plan (and the command that applies it) · b back');
    await blocked.press('y', 'Nothing can be applied from here');
    // No edits were made: Ctrl-C leaves at once.
    blocked.send(KEYS.ctrlC);
    expect(await blocked.exited).toBe(0);
  } finally {
    blocked.kill();
  }
  expect(pcc.server.requests.filter((request) => request.method !== 'GET' && !request.path.includes('pcc-track-wizard-probe-'))).toEqual([]);

  const session = new PtySession(['--api', pcc.url, '--pcc-db', pcc.dbFile, '--out', out], {cols: 80, rows: 24});
  try {
    await session.waitFor(`Applies to PCC's database`);
    await session.press('c', /y applies to PCC's database/);
    await session.press('y', "✔ Done: PCC's database matches the plan.");
    session.send('q');
    expect(await session.exited).toBe(0);
  } finally {
    session.kill();
  }
  const workOrders = (await (await fetch(`${pcc.url}/repos/${PROJECT}/work-orders`)).json()) as {work_orders: {id: string; track: {name: string} | null}[]};
  expect(workOrders.work_orders.find((wo) => wo.id === 'WO-2026-020')?.track?.name).toBe('Runner Reliability');
  await pcc.stop();
});

it('a WO sent to no track stays there: the decision is written into the spec, and the next run has nothing to change', async () => {
  const {copyFileSync} = await import('node:fs');
  const {SEED_SPEC_FILE} = await import('../helpers/fixtures.js');
  const pcc = await startTestServer();
  const spec = path.join(tempDir(), 'WO-2026-115.md');
  copyFileSync(SEED_SPEC_FILE, spec);
  const before = readFileSync(spec, 'utf8');
  const session = new PtySession(['--api', pcc.url, '--spec', spec, '--out', tempDir()], {cols: 80, rows: 24});
  try {
    await session.waitFor(/›Foundation/);
    await session.press(KEYS.enter, /Foundation \(1\/13\).* · 1\/7/);
    await session.press(KEYS.down + KEYS.down, /Foundation \(1\/13\).* · 3\/7/);
    await session.press('n', 'Moved 1 to No track. u undoes.');
    await session.press('c', 'Confirm: 11 tracks to create');
    await session.press('y', '✔ Done: the server matches the plan.');
    session.send('q');
    expect(await session.exited).toBe(0);
    // The suggestions the review accepted are decisions too.
    expect(session.all).toMatch(new RegExp(`Spec updated with the review: ${spec.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(1 decision of review( and \\d+ accepted suggestions?)? recorded\\)\\.`));
  } finally {
    session.kill();
  }
  const after = readFileSync(spec, 'utf8');
  expect(after).not.toBe(before);
  expect(after.split('\n').filter((line) => !before.includes(line)).every((line) => /^- WO-\d{4}-\d+: /.test(line))).toBe(true);
  expect(after).toMatch(/### Uncategorized\n(- .*\n)*- WO-2025-003: Kanban Work Orders CRUD\n/);
  const again = await runCli(['--api', pcc.url, '--spec', spec, '--dry-run', '--json']);
  const changes = JSON.parse(again.stdout).changes as {createTracks: number; move: number; clear: number; items: {id: string; why: string}[]};
  // Every decision holds. Only a WO left in Needs review may get a new suggestion, since the
  // mapping it learns from has grown.
  expect({createTracks: changes.createTracks, move: changes.move, clear: changes.clear}).toEqual({createTracks: 0, move: 0, clear: 0});
  expect(changes.items.filter((item) => !item.why.startsWith('suggested'))).toEqual([]);
  expect(changes.items.map((item) => item.id)).not.toContain('WO-2025-003');
  await pcc.stop();
});

it('TERM=dumb on a real terminal runs the wizard without color; the terminal is restored at exit', async () => {
  const pcc = await startTestServer();
  const session = new PtySession(['--api', pcc.url, '--out', tempDir()], {cols: 60, rows: 20, env: {TERM: 'dumb', NO_COLOR: ''}});
  try {
    await session.waitFor(/›Foundation/);
    session.send(KEYS.ctrlC);
    expect(await session.exited).toBe(0);
    expect(session.all).not.toContain('needs an interactive terminal');
  } finally {
    session.kill();
  }
  // Entered and left the alternate screen.
  const raw = (session as unknown as {output: string}).output;
  expect(raw).toContain('\u001B[?1049h');
  expect(raw.lastIndexOf('\u001B[?1049l')).toBeGreaterThan(raw.lastIndexOf('\u001B[?1049h'));
  // The loading line is blanked with a carriage return and spaces, not left behind.
  expect(raw).toMatch(/Loading work orders from [^\r\n]*\r {20,}\r/);
  await pcc.stop();
});

it.each([[60, 20], [80, 24]])('at %ix%i the whole confirm list is reachable by scrolling, and the terminal is left as it was', async (cols, rows) => {
  const pcc = await startTestServer();
  const session = new PtySession(['--api', pcc.url, '--out', tempDir()], {cols, rows});
  try {
    await session.waitFor(/›Foundation/);
    await session.press('c', 'Confirm:');
    let seen = session.all;
    // Page down until the last line of the body is on screen.
    const atEnd = /Lines \d+–(\d+) of \1\b/;
    for (let page = 0; page < 40 && !atEnd.test(seen); page++) {
      await session.press(KEYS.pageDown, /Lines \d+–\d+ of \d+/);
      await new Promise((resolve) => setTimeout(resolve, 30));
      // Everything drawn so far: a frame that arrives in pieces is still read whole.
      seen = session.all;
    }
    seen = session.all;
    expect(seen).toMatch(atEnd);
    for (const heading of ['Foundation', 'Runner Reliability', 'Autonomous Orchestration', 'Economy', 'Testing & Quality']) expect(seen).toMatch(new RegExp(`→ ${heading} \\(\\d+\\)`));
    session.send(KEYS.ctrlC);
    expect(await session.exited).toBe(0);
  } finally {
    session.kill();
  }
  const raw = (session as unknown as {output: string}).output;
  expect(raw.lastIndexOf('\u001B[?1049l')).toBeGreaterThan(raw.lastIndexOf('\u001B[?1049h'));
  await pcc.stop();
});

it('Ctrl-C while the work orders load says that nothing was changed, and exits 130', async () => {
  const pcc = await startTestServer();
  // Every read waits: the wizard is still loading when the key comes.
  const slow = await holdingProxy(pcc.url, 'GET', 20_000);
  const session = new PtySession(['--api', slow.url, '--project', PROJECT]);
  try {
    await session.waitFor('Loading work orders from');
    await session.press('\u0003', 'Stopped while loading; nothing was changed.');
    expect(await session.exited).toBe(130);
  } finally {
    session.kill();
    await slow.close();
    await pcc.stop();
  }
});

it('the demo: a plan saved with s says the demo server stopped with the wizard, not a command that cannot reach it', async () => {
  const out = tempDir();
  const session = new PtySession(['--demo', '--out', out]);
  try {
    await session.waitFor(/Needs review\s+\d/);
    await session.press('c', 'Confirm:');
    session.send('s');
    expect(await session.exited).toBe(0);
  } finally {
    session.kill();
  }
  expect(session.all).toMatch(/Plan saved to .*plan\.json\. The demo's server has stopped with the wizard/);
  expect(session.all).not.toContain('--apply');
  const [runFolder] = readdirSync(out);
  expect(readdirSync(path.join(out, runFolder))).toContain('plan.json');
});

it('with CI=true on a real terminal the wizard draws; a resize of the height alone redraws the whole screen', async () => {
  const session = new PtySession(['--demo', '--out', tempDir()], {cols: 80, rows: 24, env: {CI: 'true'}});
  try {
    await session.waitFor(/›Foundation/);
    session.resize(80, 30);
    await session.waitFor(/pcc-track-wizard · [\s\S]*›Foundation/);
    session.resize(80, 20);
    await session.waitFor(/pcc-track-wizard · [\s\S]*›Foundation/);
    session.send(KEYS.ctrlC);
    expect(await session.exited).toBe(0);
  } finally {
    session.kill();
  }
});

it('a server address typed at the prompt that cannot be reached is answered there, and the prompt asks again', async () => {
  const pcc = await startTestServer();
  const url = pcc.url;
  await pcc.stop();
  const session = new PtySession([], {cwd: tempDir(), cols: 100, rows: 20});
  try {
    await session.waitFor('PCC server URL');
    await session.press(`\u0015${url}\r`, 'connection refused');
    expect(session.all).toContain('(Ctrl-C leaves)');
    const again = await startTestServer({port: Number(new URL(url).port)});
    try {
      await session.press('\r', /›Foundation/);
    } finally {
      session.send(KEYS.ctrlC);
      await session.exited;
      await again.stop();
    }
  } finally {
    session.kill();
  }
});
