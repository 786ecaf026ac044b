import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {ApplyRefused} from '../../src/apply/apply-engine.js';
import {computeChanges} from '../../src/plan/changes.js';
import {parsePlan} from '../../src/plan/plan-file.js';
import {removeTempDirs} from '../helpers/fixtures.js';
import {applyAgainst, PROJECT, planAgainst, runFiles, serverDistribution} from '../helpers/plans.js';
import {serverPool} from '../helpers/test-server.js';

const pool = serverPool();
const server = pool.start;
afterEach(async () => {
  await pool.stopAll();
  removeTempDirs();
});

const SEED_COUNTS = {Foundation: 7, 'Runner Reliability': 14, 'VM Isolation': 13, 'Chat Experience': 4, Constitution: 8, 'Autonomous Orchestration': 21, Economy: 8, Visualization: 10, 'Run Estimation': 5, 'Multi-Repo': 2, 'Testing & Quality': 5};

function counts(byTrack: Record<string, string[]>): Record<string, number> {
  return Object.fromEntries(Object.entries(byTrack).filter(([name]) => name !== '(none)').map(([name, ids]) => [name, ids.length]));
}

const apply = applyAgainst;

describe('applying the seed plan', () => {
  it('creates the 11 tracks, assigns 97 WOs, verifies, and a second run changes nothing', async () => {
    const pcc = await server();
    const {outcome, events} = await apply(pcc.url);
    expect(outcome).toMatchObject({applied: 97, resumed: 0, failed: [], verified: true, mismatches: [], stopped: false});
    expect(outcome.tracksCreated).toHaveLength(11);
    const {byTrack, trackNames} = await serverDistribution(pcc.url);
    expect(counts(byTrack)).toEqual(SEED_COUNTS);
    // WO-2026-118's front matter is invalid YAML, so the server (like PCC) does not list it.
    expect(byTrack['(none)']).toHaveLength(13 + 6);
    expect(trackNames).toHaveLength(11);
    expect(events[0]).toEqual({type: 'target', label: `the API at ${pcc.url} (project ${PROJECT})`});
    expect(events.find((event) => event.type === 'start')).toMatchObject({type: 'start', changes: 97, pending: 97, tracksToCreate: 11});
    expect(events.filter((event) => event.type === 'assigned')).toHaveLength(97);
    expect(events.at(-1)).toMatchObject({type: 'finished'});

    const second = await planAgainst(pcc.url);
    const changes = computeChanges(second);
    expect({create: changes.createTracks.length, assign: changes.assign, move: changes.move, clear: changes.clear}).toEqual({create: 0, assign: 0, move: 0, clear: 0});
  });

  it('survives 500 bursts and Retry-After', async () => {
    const pcc = await server();
    const plan = await planAgainst(pcc.url);
    pcc.server.faults.failNext('PUT', /\/track$/, 4, 500);
    pcc.server.faults.failNext('PUT', /\/track$/, 2, 503, 1);
    pcc.server.faults.failNext('GET', /\/tracks$/, 1, 502);
    const {outcome, events} = await apply(pcc.url, {plan, client: {baseUrl: pcc.url, project: PROJECT, timeoutMs: 2000, retries: 8}});
    expect(outcome).toMatchObject({verified: true, failed: [], applied: 97});
    expect(outcome.retries).toBe(7);
    expect(events.filter((event) => event.type === 'retry')).toHaveLength(7);
  });

  it('timeouts mid-apply are retried and each change lands once', async () => {
    const pcc = await server();
    const plan = await planAgainst(pcc.url);
    // Three PUTs answer after the client has given up on them; the server still does the work.
    pcc.server.faults.delay('PUT', /WO-2026-0[4-6]\d\/track$/, 800, 3);
    const {outcome, events} = await apply(pcc.url, {plan, client: {baseUrl: pcc.url, project: PROJECT, timeoutMs: 300, retries: 4}});
    expect(outcome).toMatchObject({verified: true, failed: [], applied: 97});
    expect(events.filter((event) => event.type === 'retry' && event.reason === 'timeout')).toHaveLength(3);
    expect(counts((await serverDistribution(pcc.url)).byTrack)).toEqual(SEED_COUNTS);
  });

  it('a POST whose answer is lost does not make a second track', async () => {
    const pcc = await server();
    pcc.server.faults.dropAfterWork('POST', /\/tracks$/, 1);
    const {outcome, events} = await apply(pcc.url);
    expect(outcome.verified).toBe(true);
    expect(events.find((event) => event.type === 'track')).toMatchObject({name: 'Foundation', action: 'recovered'});
    const {trackNames} = await serverDistribution(pcc.url);
    expect(trackNames.filter((name) => name === 'Foundation')).toHaveLength(1);
    expect(trackNames).toHaveLength(11);
  });

  it('a PUT whose answer is lost is sent again and lands once', async () => {
    const pcc = await server();
    pcc.server.faults.dropAfterWork('PUT', /WO-2026-0\d\d\/track$/, 3);
    const {outcome} = await apply(pcc.url);
    expect(outcome).toMatchObject({verified: true, failed: [], applied: 97});
    expect(outcome.retries).toBeGreaterThanOrEqual(3);
  });

  it('a server that dies halfway: sends pause, the run gives up after the outage limit, the next run resumes and finishes', async () => {
    const pcc = await server();
    pcc.server.faults.delay('PUT', /\/track$/, 20, 10_000);
    const files = runFiles();
    const plan = await planAgainst(pcc.url);
    let stopping: Promise<void> | null = null;
    const first = await apply(pcc.url, {
      plan,
      files,
      maxOutageMs: 1500,
      client: {baseUrl: pcc.url, project: PROJECT, timeoutMs: 1000, retries: 0},
      onEvent: (event) => {
        if (event.type === 'assigned' && event.done === 30 && !stopping) stopping = pcc.server.stop();
      },
    });
    // The sends paused instead of grinding on; what was never sent is listed; the read-back could not run.
    const paused = first.events.filter((event) => event.type === 'paused');
    expect(paused.length).toBeGreaterThanOrEqual(1);
    expect(paused.length).toBeLessThan(5);
    expect(first.outcome.stopped).toBe(true);
    expect(first.outcome.failed.length + first.outcome.applied).toBe(97);
    expect(first.outcome.failed[0].error).toMatch(/^not sent: the server stayed unreachable for \d+ s$/);
    expect(first.outcome.verified).toBe(false);
    expect(first.outcome.mismatches).toEqual([expect.stringMatching(/^the server could not be read back/)]);
    await stopping;
    const journal = readFileSync(files.journalFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(journal.filter((entry) => entry.type === 'track')).toHaveLength(11);

    await pcc.server.start();
    pcc.server.faults.clear();
    const second = await apply(pcc.url, {plan, files});
    expect(second.outcome).toMatchObject({verified: true, failed: []});
    expect(second.outcome.resumed).toBeGreaterThanOrEqual(30);
    expect(second.outcome.resumed + second.outcome.applied).toBe(97);
    expect(second.outcome.tracksCreated).toEqual([]);
    expect(second.outcome.tracksReused).toHaveLength(11);
    const {byTrack, trackNames} = await serverDistribution(pcc.url);
    expect(counts(byTrack)).toEqual(SEED_COUNTS);
    expect(new Set(trackNames).size).toBe(11);
    expect(trackNames).toHaveLength(11);
  });

  it('stops cleanly when aborted and resumes without resending what landed', async () => {
    const pcc = await server();
    pcc.server.faults.delay('PUT', /\/track$/, 15, 10_000);
    const files = runFiles();
    const plan = await planAgainst(pcc.url);
    const controller = new AbortController();
    const first = await apply(pcc.url, {
      plan,
      files,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'assigned' && event.done === 20) controller.abort();
      },
    });
    expect(first.outcome.stopped).toBe(true);
    expect(first.outcome.verified).toBe(false);
    expect(first.outcome.applied).toBeGreaterThanOrEqual(20);
    expect(first.outcome.applied).toBeLessThan(97);
    // Every change of the plan was sent, failed, or is counted as not sent yet.
    expect(first.outcome.unsent).toBeGreaterThan(0);
    expect(first.outcome.applied + first.outcome.failed.length + first.outcome.unsent!).toBe(97);
    pcc.server.faults.clear();
    const second = await apply(pcc.url, {plan, files});
    // Requests in flight at the abort may have landed without an answer: the server state decides.
    expect(second.outcome.verified).toBe(true);
    expect(second.outcome.resumed).toBeGreaterThanOrEqual(first.outcome.applied);
    expect(second.outcome.resumed + second.outcome.applied).toBe(97);
  });

  it('refuses a plan when the server changed since it was made, and changes nothing', async () => {
    const pcc = await server();
    const plan = await planAgainst(pcc.url);
    const other = await fetch(`${pcc.url}/repos/${PROJECT}/tracks`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"name":"Ops"}'}).then((response) => response.json() as Promise<{track: {id: string}}>);
    await fetch(`${pcc.url}/repos/${PROJECT}/work-orders/WO-2026-020/track`, {method: 'PUT', headers: {'content-type': 'application/json'}, body: JSON.stringify({trackId: other.track.id})});
    await expect(apply(pcc.url, {plan})).rejects.toThrow(new ApplyRefused(`The server changed since the plan was made (1 difference: WO-2026-020 is now on "Ops" (the plan saw no track)); nothing was applied. Make a new plan, or pass --replan to apply the plan's placements to the server as it is now.`));
    const {trackNames} = await serverDistribution(pcc.url);
    expect(trackNames).toEqual(['Ops']);

    // Told to re-plan: the plan's placements go onto the server as it is now, and undo knows it.
    const {outcome, events, files} = await apply(pcc.url, {plan, replan: true});
    expect(events.find((event) => event.type === 'replanned')).toEqual({type: 'replanned', differences: ['WO-2026-020 is now on "Ops" (the plan saw no track)']});
    expect(outcome).toMatchObject({verified: true, failed: []});
    const after = await serverDistribution(pcc.url);
    expect(after.byTrack['Runner Reliability']).toContain('WO-2026-020');
    expect(after.byTrack.Ops ?? []).toEqual([]);
    const undoPlan = parsePlan(readFileSync(files.undoPlanFile, 'utf8'), 'undo');
    expect(undoPlan.items.find((item) => item.id === 'WO-2026-020')).toMatchObject({plannedKey: 'ops', currentKey: 'runner reliability'});
  });

  it('refuses on a server without the assignment route before creating anything', async () => {
    const pcc = await server({assignRoute: false});
    await expect(apply(pcc.url)).rejects.toThrow(`The PCC server at ${pcc.url} has no track assignment route (no PCC release has one); apply to its database instead with --pcc-db PATH. Nothing was changed.`);
    const {trackNames} = await serverDistribution(pcc.url);
    expect(trackNames).toEqual([]);
  });

  it('lists a failed change and goes on; --fail-fast stops at the first', async () => {
    const pcc = await server();
    pcc.server.faults.failNext('PUT', /WO-2026-020\/track$/, 100, 400);
    const {outcome} = await apply(pcc.url);
    expect(outcome.failed).toEqual([{id: 'WO-2026-020', error: expect.stringContaining('was refused with 400')}]);
    expect(outcome.applied).toBe(96);
    expect(outcome.verified).toBe(false);
    expect(outcome.mismatches).toEqual(expect.arrayContaining(['WO-2026-020 is on no track, the plan says "Runner Reliability"']));

    const strict = await server();
    strict.server.faults.failNext('PUT', /WO-2025-00[3-8]\/track$/, 100, 400);
    const {outcome: stopped} = await apply(strict.url, {failFast: true, concurrency: 1});
    expect(stopped.stopped).toBe(true);
    expect(stopped.failed).toHaveLength(1);
    expect(stopped.applied).toBeLessThan(10);
  });

  it('the undo plan rolls everything back to the exact earlier state', async () => {
    const pcc = await server();
    // An earlier state with some assignments of its own.
    const ops = await fetch(`${pcc.url}/repos/${PROJECT}/tracks`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"name":"Ops"}'}).then((response) => response.json() as Promise<{track: {id: string}}>);
    await fetch(`${pcc.url}/repos/${PROJECT}/work-orders/WO-2026-120/track`, {method: 'PUT', headers: {'content-type': 'application/json'}, body: JSON.stringify({trackId: ops.track.id})});
    const before = await serverDistribution(pcc.url);
    const {outcome, files} = await apply(pcc.url);
    expect(outcome.verified).toBe(true);
    expect(outcome.undoPlan).toBe(files.undoPlanFile);
    const undoPlan = parsePlan(readFileSync(files.undoPlanFile, 'utf8'), 'undo');
    expect(undoPlan.items).toHaveLength(97);
    expect(undoPlan.warnings[0]).toContain('Tracks created by the run stay in place');
    const undone = await apply(pcc.url, {plan: undoPlan});
    expect(undone.outcome).toMatchObject({verified: true, applied: 97, tracksCreated: []});
    const after = await serverDistribution(pcc.url);
    expect(after.trackIdByWo).toEqual(before.trackIdByWo);
    expect(after.trackNames).toHaveLength(12);
  });
});
