import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {ApplyRefused} from '../../src/apply/apply-engine.js';
import {acquireRunLock} from '../../src/apply/run-lock.js';
import {buildPlan} from '../../src/plan/build-plan.js';
import {changeOf} from '../../src/plan/changes.js';
import {parsePlan, serializePlan} from '../../src/plan/plan-file.js';
import type {Plan} from '../../src/plan/plan-types.js';
import {createPccClient} from '../../src/pcc/pcc-client.js';
import {parseTrackSpec} from '../../src/spec/spec-parser.js';
import {removeTempDirs, tempDir, workOrderFile, writeWorkOrders} from '../helpers/fixtures.js';
import {applyAgainst, PROJECT, planAgainst, runFiles, serverDistribution} from '../helpers/plans.js';
import {serverPool} from '../helpers/test-server.js';

const pool = serverPool();
const server = pool.start;
afterEach(async () => {
  await pool.stopAll();
  removeTempDirs();
});

const apply = applyAgainst;

const post = (url: string, route: string, body: unknown) =>
  fetch(`${url}/repos/${PROJECT}${route}`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)}).then((response) => response.json() as Promise<{track: {id: string; name: string}}>);
const put = (url: string, route: string, body: unknown) => fetch(`${url}/repos/${PROJECT}${route}`, {method: 'PUT', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});

describe('the capability check', () => {
  it('never writes: the only PUT besides the planned changes names a WO that cannot exist', async () => {
    const pcc = await server();
    const plan = await planAgainst(pcc.url);
    const {outcome} = await apply(pcc.url, {plan});
    expect(outcome.verified).toBe(true);
    const puts = pcc.server.requests.filter((request) => request.method === 'PUT').map((request) => decodeURIComponent(request.path.split('/')[4]));
    const planned = new Set(plan.items.filter((item) => changeOf(item)).map((item) => item.id));
    const others = puts.filter((id) => !planned.has(id));
    expect(others).toHaveLength(1);
    expect(others[0]).toMatch(/^pcc-track-wizard-probe-[0-9a-f-]{36}$/);
    // Each planned WO was sent exactly once.
    expect(puts.length - others.length).toBe(planned.size);
  });

  it("leaves a colleague's move alone: a WO not in the plan's changes is never sent", async () => {
    const pcc = await server();
    const plan = await planAgainst(pcc.url);
    // WO-2025-007 is planned to no track and has none: no change, so nothing may touch it.
    const ops = await post(pcc.url, '/tracks', {name: 'Ops'});
    await put(pcc.url, '/work-orders/WO-2025-007/track', {trackId: ops.track.id});
    const replanned = await planAgainst(pcc.url);
    expect(changeOf(replanned.items.find((item) => item.id === 'WO-2025-007')!)).toBeNull();
    const {outcome} = await apply(pcc.url, {plan: replanned});
    expect(outcome.verified).toBe(true);
    expect((await serverDistribution(pcc.url)).trackIdByWo.get('WO-2025-007')).toBe(ops.track.id);
    expect(plan.items.length).toBe(replanned.items.length);
  });
});

describe('late answers', () => {
  it('a POST processed after the client gave up leaves no second track; it counts as a retry', async () => {
    const pcc = await server();
    pcc.server.faults.delay('POST', /\/tracks$/, 1500, 2);
    const {outcome, events} = await apply(pcc.url, {client: {timeoutMs: 500}, graceMs: 1000});
    expect(outcome.verified).toBe(true);
    expect(events.filter((event) => event.type === 'track' && event.action === 'recovered')).toHaveLength(2);
    expect(outcome.retries).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const {trackNames} = await serverDistribution(pcc.url);
    expect(trackNames).toHaveLength(11);
    expect(new Set(trackNames).size).toBe(11);
  });

  it('a copy that lands after the re-post is found by the second read-back and deleted, and the run says so', async () => {
    const pcc = await server();
    // Held longer than the client looks for it: the client posts again, then the first lands too.
    pcc.server.faults.delay('POST', /\/tracks$/, 2600, 1);
    const {outcome, events} = await apply(pcc.url, {client: {timeoutMs: 300}, graceMs: 2500});
    const deleted = events.filter((event) => event.type === 'track-deleted');
    expect(deleted).toEqual([expect.objectContaining({name: 'Foundation', reason: 'an empty copy made by a request that was answered late'})]);
    expect(events.some((event) => event.type === 'grace')).toBe(true);
    expect(outcome.verified).toBe(true);
    const {trackNames} = await serverDistribution(pcc.url);
    expect(trackNames.filter((name) => name === 'Foundation')).toHaveLength(1);
    expect(trackNames).toHaveLength(11);
  });

  it('a 201 that carries another track\'s id is refused, and the WOs of that track are not sent', async () => {
    const pcc = await server();
    const foundation = await post(pcc.url, '/tracks', {name: 'Foundation'});
    const plan = await planAgainst(pcc.url);
    pcc.server.faults.add({method: 'POST', path: /\/tracks$/, kind: 'wrong-id', count: 1});
    const {outcome} = await apply(pcc.url, {plan});
    expect(outcome.failed[0]).toEqual({id: 'track Runner Reliability', error: 'the server answered with the id of track "Foundation"; it is not trusted, and its WOs are not sent'});
    expect(outcome.failed.filter((failure) => failure.error.includes('could not be created'))).toHaveLength(14);
    expect(outcome.verified).toBe(false);
    const {byTrack} = await serverDistribution(pcc.url);
    expect(byTrack.Foundation).toHaveLength(7);
    expect(foundation.track.name).toBe('Foundation');
  });
});

describe('two runs at once', () => {
  it('the second run on the same target is refused by the lock and changes nothing', async () => {
    const pcc = await server();
    pcc.server.faults.delay('PUT', /\/track$/, 10, 1000);
    const plan = await planAgainst(pcc.url);
    const first = apply(pcc.url, {plan});
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expect(apply(pcc.url, {plan})).rejects.toThrow(/^another pcc-track-wizard \(pid \d+, started .*\) is applying to the API at http:\/\/127\.0\.0\.1:\d+ \(project project-control-center\); wait for it to finish, then run the same command again\. Nothing was changed\.$/);
    expect((await first).outcome.verified).toBe(true);
    expect((await serverDistribution(pcc.url)).trackNames).toHaveLength(11);
  });

  it('the lock holds for any spelling of the same server', async () => {
    const pcc = await server();
    pcc.server.faults.delay('PUT', /\/track$/, 10, 1000);
    const plan = await planAgainst(pcc.url);
    const first = apply(pcc.url, {plan});
    await new Promise((resolve) => setTimeout(resolve, 150));
    const port = new URL(pcc.url).port;
    for (const spelling of [`http://localhost:${port}/.`, `http://127.1:${port}`, `http://0x7f000001:${port}/`]) {
      await expect(apply(spelling, {plan, client: {baseUrl: spelling}})).rejects.toThrow(/^another pcc-track-wizard/);
    }
    expect((await first).outcome.verified).toBe(true);
    expect((await serverDistribution(pcc.url)).trackNames).toHaveLength(11);
  });

  it('a lock left by a process that is gone is taken over', () => {
    process.env.PCC_TRACK_WIZARD_LOCK_DIR = tempDir();
    try {
      const release = acquireRunLock('x', 'somewhere');
      expect(() => acquireRunLock('x', 'somewhere')).toThrow(/is applying to somewhere/);
      release();
      const file = path.join(process.env.PCC_TRACK_WIZARD_LOCK_DIR, readdir(process.env.PCC_TRACK_WIZARD_LOCK_DIR)[0] ?? 'none');
      expect(file).toMatch(/none$/);
      // A lock of a pid that does not run.
      const again = acquireRunLock('x', 'somewhere');
      const lockFile = path.join(process.env.PCC_TRACK_WIZARD_LOCK_DIR, readdir(process.env.PCC_TRACK_WIZARD_LOCK_DIR)[0]);
      writeFileSync(lockFile, JSON.stringify({pid: 2 ** 22 + 12345, startedAt: 'then', target: 'somewhere'}));
      const taken = acquireRunLock('x', 'somewhere');
      expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(process.pid);
      taken();
      again();
    } finally {
      delete process.env.PCC_TRACK_WIZARD_LOCK_DIR;
    }
  });

  it('a track someone creates during the run is reused, not duplicated', async () => {
    const pcc = await server();
    const {outcome, events} = await apply(pcc.url, {
      onEvent: (event) => {
        if (event.type !== 'track' || event.name !== 'Foundation') return;
        // The engine's look before its next POST is held back; the colleague's POST lands first.
        pcc.server.faults.delay('GET', /\/tracks$/, 150, 1);
        void post(pcc.url, '/tracks', {name: 'runner  reliability'});
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.find((event) => event.type === 'track' && event.key === 'runner reliability')).toMatchObject({action: 'reused'});
    expect(outcome.verified).toBe(true);
    expect((await serverDistribution(pcc.url)).trackNames).toHaveLength(11);
  });

  it('duplicates already on the server: the plan names them by id and count, and merges them when applied', async () => {
    const pcc = await server();
    const first = await post(pcc.url, '/tracks', {name: 'Economy'});
    const copy = await post(pcc.url, '/tracks', {name: 'economy'});
    await put(pcc.url, '/work-orders/WO-2026-101/track', {trackId: first.track.id});
    await put(pcc.url, '/work-orders/WO-2026-102/track', {trackId: copy.track.id});
    await put(pcc.url, '/work-orders/WO-2026-103/track', {trackId: copy.track.id});
    const plan = await planAgainst(pcc.url);
    // The copy with more WOs stays.
    expect(plan.warnings).toContain(`The server has 2 tracks named "economy": ${copy.track.id} (2 WOs) stays; ${first.track.id} (1 WO) is a copy: the plan moves its WOs to the first and deletes it.`);
    const {outcome, events, files} = await apply(pcc.url, {plan});
    expect(events.find((event) => event.type === 'track-deleted')).toMatchObject({id: first.track.id});
    expect(outcome).toMatchObject({verified: true, failed: [], tracksDeleted: [expect.stringContaining('Economy (copy')]});
    const {byTrack, trackNames} = await serverDistribution(pcc.url);
    expect(trackNames.filter((name) => name.toLowerCase() === 'economy')).toHaveLength(1);
    expect(byTrack.economy).toHaveLength(8);
    // Undo cannot bring the deleted copy back: its WO returns to the copy that stayed.
    const undo = parsePlan(readFileSync(files.undoPlanFile, 'utf8'), 'undo');
    const undone = await apply(pcc.url, {plan: undo});
    expect(undone.outcome.verified).toBe(true);
    const restored = await serverDistribution(pcc.url);
    expect(restored.trackIdByWo.get('WO-2026-101')).toBe(copy.track.id);
    expect(restored.trackIdByWo.get('WO-2026-104')).toBeNull();
  });

  it("a colleague's move made during the run is left as they made it, and the run does not claim success", async () => {
    const pcc = await server();
    const ops = await post(pcc.url, '/tracks', {name: 'Ops'});
    const plan = await planAgainst(pcc.url);
    const {outcome} = await apply(pcc.url, {
      plan,
      rereadAfterMs: 0,
      onEvent: (event) => {
        if (event.type !== 'track' || event.name !== 'Testing & Quality') return;
        // The engine's last look before sending is held back; the colleague's move lands first.
        pcc.server.faults.delay('GET', /\/work-orders$/, 150, 1);
        void put(pcc.url, '/work-orders/WO-2026-020/track', {trackId: ops.track.id});
      },
    });
    expect(outcome.failed).toEqual([{id: 'WO-2026-020', error: 'moved by someone else during the run (now on "Ops"); left as they put it'}]);
    expect(outcome.verified).toBe(false);
    expect((await serverDistribution(pcc.url)).trackIdByWo.get('WO-2026-020')).toBe(ops.track.id);
  });
});

describe('tracks are who they are', () => {
  it('"Foundation (legacy)" and "A & B" are not "Foundation" and "A and B"; undo restores them', async () => {
    const pcc = await server();
    const legacy = await post(pcc.url, '/tracks', {name: 'Foundation (legacy)'});
    const amp = await post(pcc.url, '/tracks', {name: 'Testing and Quality'});
    await put(pcc.url, '/work-orders/WO-2025-001/track', {trackId: legacy.track.id});
    await put(pcc.url, '/work-orders/WO-2025-009/track', {trackId: amp.track.id});
    const before = await serverDistribution(pcc.url);
    const plan = buildPlan({...(await planInputs(pcc.url)), preferSpec: true});
    expect(plan.tracks.find((track) => track.key === 'foundation')?.existingId).toBeNull();
    expect(plan.tracks.find((track) => track.key === 'testing & quality')?.existingId).toBeNull();
    const {outcome, files} = await apply(pcc.url, {plan});
    expect(outcome.verified).toBe(true);
    expect(outcome.tracksCreated).toContain('Foundation');
    const after = await serverDistribution(pcc.url);
    expect(after.trackNames).toHaveLength(13);
    const undo = parsePlan(readFileSync(files.undoPlanFile, 'utf8'), 'undo');
    expect(undo.kind).toBe('undo');
    const undone = await apply(pcc.url, {plan: undo});
    expect(undone.outcome).toMatchObject({verified: true, tracksCreated: []});
    expect((await serverDistribution(pcc.url)).trackIdByWo).toEqual(before.trackIdByWo);
  });
});

async function planInputs(url: string) {
  const client = createPccClient({baseUrl: url, project: PROJECT});
  const [{workOrders}, serverTracks] = await Promise.all([client.listWorkOrders(), client.listTracks()]);
  const spec = parseTrackSpec(readFileSync(path.resolve(import.meta.dirname, '../../assets/WO-2026-115-track-assignment-pcc.md'), 'utf8'), 'seed');
  return {spec, workOrders, serverTracks, project: PROJECT, api: url};
}

function readdir(dir: string): string[] {
  return readdirSync(dir);
}

describe('the undo plan and --replan', () => {
  it('undo never creates a track, even when the forward run could not create one', async () => {
    const pcc = await server();
    pcc.server.faults.failNext('POST', /\/tracks$/, 1, 400);
    const {outcome, files} = await apply(pcc.url);
    expect(outcome.failed[0].id).toBe('track Foundation');
    const undo = parsePlan(readFileSync(files.undoPlanFile, 'utf8'), 'undo');
    expect(undo.tracks.every((track) => track.existingId)).toBe(true);
    expect(undo.items.some((item) => item.plannedKey === 'foundation' || item.currentKey === 'foundation')).toBe(false);
    const undone = await apply(pcc.url, {plan: undo});
    expect(undone.outcome).toMatchObject({verified: true, tracksCreated: []});
    expect((await serverDistribution(pcc.url)).trackNames).toHaveLength(10);
    expect(undone.events.some((event) => event.type === 'track')).toBe(false);
  });

  it('--replan keeps where WOs were before the first run, and never moves a WO left for review', async () => {
    const pcc = await server();
    const plan = await planAgainst(pcc.url);
    const review = plan.items.find((item) => item.plannedKey === null && item.source === 'uncategorized')!;
    expect(review).toBeDefined();
    const files = runFiles();
    const controller = new AbortController();
    await apply(pcc.url, {plan, files, signal: controller.signal, onEvent: (event) => event.type === 'assigned' && event.done === 10 && controller.abort()});
    // Meanwhile a colleague puts the review WO and a changed one on a track of their own.
    const ops = await post(pcc.url, '/tracks', {name: 'Ops'});
    await put(pcc.url, `/work-orders/${review.id}/track`, {trackId: ops.track.id});
    await put(pcc.url, '/work-orders/WO-2026-113/track', {trackId: ops.track.id});
    const {outcome} = await apply(pcc.url, {plan, files, replan: true});
    expect(outcome.verified).toBe(true);
    const now = await serverDistribution(pcc.url);
    expect(now.trackIdByWo.get(review.id)).toBe(ops.track.id);
    const undo = parsePlan(readFileSync(files.undoPlanFile, 'utf8'), 'undo');
    const undone = await apply(pcc.url, {plan: undo});
    expect(undone.outcome.verified).toBe(true);
    const restored = await serverDistribution(pcc.url);
    // Back to before the first run: every WO the runs changed is on no track again (the Ops moves came after).
    expect(restored.trackIdByWo.get('WO-2026-020')).toBeNull();
    expect(restored.trackIdByWo.get(review.id)).toBe(ops.track.id);
    expect([...restored.trackIdByWo.values()].filter((id) => id !== null && id !== ops.track.id)).toEqual([]);
  });
});

describe('every id reaches the server as itself', () => {
  it('ids with "/", "?" and "#" are encoded; "." and ".." are refused at plan time with the file', async () => {
    const dir = writeWorkOrders({
      'a.md': workOrderFile('WO-2026-020'),
      'b.md': workOrderFile('WO-9/x?y#z'),
      'c.md': workOrderFile("'..'"),
      'd.md': workOrderFile("'.'"),
    });
    const pcc = await server({workOrdersDir: dir});
    const plan = await planAgainst(pcc.url);
    expect(plan.items.map((item) => item.id).sort()).toEqual(['WO-2026-020', 'WO-9/x?y#z']);
    expect(plan.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/: the WO id "\.\." is "\.\.", which URL handling turns into another route, so it cannot be assigned safely; it is left out of the plan/)]));
    const edited: Plan = {...plan, items: plan.items.map((item) => ({...item, plannedKey: 'foundation', source: 'manual'}))};
    const {outcome} = await apply(pcc.url, {plan: edited});
    expect(outcome).toMatchObject({verified: true, failed: []});
    expect((await serverDistribution(pcc.url)).byTrack.Foundation?.sort()).toEqual(['WO-2026-020', 'WO-9/x?y#z']);
  });
});

describe('plans are checked before anything is sent', () => {
  const cases: [string, (plan: Record<string, unknown>) => void, RegExp][] = [
    ['a null item', (plan) => (plan.items as unknown[]).splice(3, 0, null), /item 4 is "null", not a work order/],
    ['a missing spec', (plan) => delete plan.spec, /the plan has no spec with a hash/],
    ['a track without a name', (plan) => ((plan.tracks as Record<string, unknown>[])[2].name = ''), /track 3 \("vm isolation"\) has no name/],
    ['two tracks with one key', (plan) => ((plan.tracks as Record<string, unknown>[])[1].key = 'foundation'), /two tracks have the key "foundation"/],
    ['an item on a track the plan lacks', (plan) => ((plan.items as Record<string, unknown>[])[0].plannedKey = 'nowhere'), /has plannedKey "nowhere", which is not a track of the plan/],
    ['a track renamed but not re-keyed', (plan) => ((plan.tracks as Record<string, unknown>[])[1].name = 'Runners'), /track 2 is named "Runners" but keyed "runner reliability"/],
    ['a track name with escape sequences', (plan) => Object.assign((plan.tracks as Record<string, unknown>[])[1], {name: 'Runner\u001b[2J', key: 'runner\u001b[2j'}), /would create a track named "Runner", which has control characters/],
  ];
  it.each(cases)('refuses %s with one sentence, before any change', async (_name, edit, expected) => {
    const pcc = await server();
    const plan = JSON.parse(serializePlan(await planAgainst(pcc.url)));
    edit(plan);
    expect(() => parsePlan(JSON.stringify(plan), 'edited.json')).toThrow(expected);
    expect(() => parsePlan(JSON.stringify(plan), 'edited.json')).toThrow(/^edited\.json: .*; nothing was applied\. Make a new plan with --plan-out, or fix the file\.$/);
    expect(pcc.server.requests).toHaveLength(2);
  });
});

it('ApplyRefused is what a refusal throws', () => {
  expect(new ApplyRefused('x')).toBeInstanceOf(Error);
});
