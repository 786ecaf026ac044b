import {spawn} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {CLI, removeTempDirs, tempDir} from '../helpers/fixtures.js';
import {serverDistribution} from '../helpers/plans.js';
import {runCli} from '../helpers/run-cli.js';
import {serverPool} from '../helpers/test-server.js';

const pool = serverPool();
const server = () => pool.start();
afterEach(async () => {
  await pool.stopAll();
  removeTempDirs();
});

describe('the CLI against a server', () => {
  it('--plan-out, then --apply --yes, then a second dry run shows nothing to change for what was applied', async () => {
    const pcc = await server();
    const planFile = path.join(tempDir(), 'plan.json');
    const planned = await runCli(['--api', pcc.url, '--plan-out', planFile]);
    expect(planned.code).toBe(0);
    expect(planned.stderr).toContain('11 tracks to create, 99 to assign');

    const refused = await runCli(['--apply', planFile]);
    expect(refused).toMatchObject({code: 2, stderr: `--apply ${planFile} would change the server and there is no terminal to confirm; pass --yes to apply it.\n`});

    const applied = await runCli(['--apply', planFile, '--yes']);
    expect(applied.code).toBe(0);
    expect(applied.stderr).toContain('Verified: the server matches the plan.');
    expect(applied.stderr).toMatch(/^Applying to the API at http:\/\/127\.0\.0\.1:\d+ \(project project-control-center\)\.$/m);
    expect(applied.stderr).toContain(`Applied to the API at ${pcc.url} (project project-control-center): 99 changes, 0 failed`);
    const stem = planFile.replace(/\.json$/, '');
    expect(readFileSync(`${stem}.report.md`, 'utf8')).toContain('- Verification: the server matches the plan');
    expect(existsSync(`${stem}.undo.json`)).toBe(true);

    const again = await runCli(['--api', pcc.url, '--dry-run', '--json']);
    const {items, assign, unchanged, ...rest} = JSON.parse(again.stdout).changes;
    expect(rest).toEqual({createTracks: 0, deleteTracks: 0, move: 0, clear: 0});
    // The WOs placed by the first run are evidence now: a WO it left in Needs review may be
    // suggested above the bar. Nothing it applied changes.
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as {items: {id: string; plannedKey: string | null}[]};
    const leftForReview = new Set(plan.items.filter((entry) => entry.plannedKey === null).map((entry) => entry.id));
    for (const change of items as {id: string; kind: string}[]) expect({id: change.id, kind: change.kind, leftForReview: leftForReview.has(change.id)}).toEqual({id: change.id, kind: 'assign', leftForReview: true});
    expect(assign + unchanged).toBe(116);
    expect(assign).toBeLessThanOrEqual(1);

    // A plan that sends nothing only reads the server back: no terminal or --yes is needed.
    const settled = path.join(tempDir(), 'settled.json');
    expect((await runCli(['--api', pcc.url, '--no-suggest', '--plan-out', settled])).code).toBe(0);
    const reread = await runCli(['--apply', settled]);
    expect(reread.code).toBe(0);
    expect(reread.stderr).not.toContain('no terminal');
    expect(reread.stderr).toContain('Verified: the server matches the plan.');
    expect(reread.stderr).toContain(': 0 changes');
  });

  it('--json prints one JSON object per event', async () => {
    const pcc = await server();
    const planFile = path.join(tempDir(), 'plan.json');
    await runCli(['--api', pcc.url, '--plan-out', planFile]);
    const run = await runCli(['--apply', planFile, '--yes', '--json']);
    expect(run.code).toBe(0);
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(events[0]).toMatchObject({type: 'target'});
    expect(events[1]).toMatchObject({type: 'start', changes: 99});
    expect(events.filter((event) => event.type === 'track')).toHaveLength(11);
    expect(events.filter((event) => event.type === 'assigned')).toHaveLength(99);
    expect(events.at(-1)).toMatchObject({type: 'finished', outcome: {verified: true}});
  });

  it('Ctrl-C (SIGINT) halfway stops cleanly; the same command resumes and finishes exactly', async () => {
    const pcc = await server();
    const planFile = path.join(tempDir(), 'plan.json');
    await runCli(['--api', pcc.url, '--plan-out', planFile]);
    pcc.server.faults.delay('PUT', /\/track$/, 40, 100_000);
    const child = spawn(process.execPath, [CLI, '--apply', planFile, '--yes', '--json', '--concurrency', '2'], {stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const assigned = stdout.split('\n').filter((line) => line.includes('"type":"assigned"')).length;
      if (assigned >= 15 && !interrupted) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(interrupted).toBe(true);
    expect(code).toBe(1);
    expect(stderr).toContain('Stopping… what has landed is kept in the journal; run the same command again to resume.');
    const finished = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(finished.outcome.stopped).toBe(true);
    expect(finished.outcome.applied).toBeLessThan(100);

    pcc.server.faults.clear();
    const resumed = await runCli(['--apply', planFile, '--yes']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/already done \(resumed\)|were already done/);
    expect(resumed.stderr).toContain('Verified: the server matches the plan.');
    const {byTrack, trackNames} = await serverDistribution(pcc.url);
    expect(trackNames).toHaveLength(11);
    expect(byTrack['Autonomous Orchestration']).toHaveLength(22);
  });

  it('an unreachable server is one sentence and exit 1', async () => {
    const pcc = await server();
    const url = pcc.url;
    await pcc.stop();
    const run = await runCli(['--api', url, '--dry-run']);
    expect(run).toMatchObject({code: 1, stderr: `Cannot reach the PCC server at ${url} (connection refused); start it or pass --api with its address.\n`});
  }, 30_000);

  it('--demo --dry-run runs on the built-in server and sample data without a terminal', async () => {
    const run = await runCli(['--demo', '--dry-run', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.project).toBe('project-control-center');
    // The server leaves out WO-2026-118 (invalid YAML), as PCC does: it is reported, not lost.
    expect(report.totals.workOrders).toBe(116);
    expect(report.notInProject).toEqual(['WO-2026-118']);
    // The demo's own folder is compared with what its server lists, so the reason is given.
    expect(report.invisibleToPcc).toEqual([expect.objectContaining({id: 'WO-2026-118', file: expect.stringMatching(/WO-2026-118\.md$/), line: 9})]);
    // Its server is gone when the command ends: no apply path, no command to apply the plan.
    expect(report.applyPath).toMatchObject({kind: 'none', text: expect.stringContaining("the demo's server stops when this command ends")});
    const {tempDir} = await import('../helpers/fixtures.js');
    const planFile = (await import('node:path')).join(tempDir(), 'plan.json');
    const saved = await runCli(['--demo', '--plan-out', planFile]);
    expect(saved.code).toBe(0);
    expect(saved.stderr).toContain(`Plan saved to ${planFile}.\n`);
    expect(saved.stderr).not.toContain('--apply');
    expect(saved.stderr).not.toContain('Applies to');
  });

  it('a server error quoting escape sequences is printed inert', async () => {
    const http = await import('node:http');
    const hostile = http.createServer((_request, response) => {
      response.writeHead(400, {'content-type': 'application/json'});
      response.end(JSON.stringify({error: '\u001B[2J\u001B]0;owned\u0007boom'}));
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hostile.address() as {port: number}).port}`;
    const run = await runCli(['--api', url, '--dry-run']);
    hostile.close();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('was refused with 400: boom.');
    expect(run.stderr).not.toContain('\u001B');
    expect(run.stderr).not.toContain('\u0007');
  });

  it('--spec WO-ID reads the spec from the project', async () => {
    const pcc = await server();
    const run = await runCli(['--api', pcc.url, '--spec', 'WO-2026-115', '--dry-run', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).spec).toBe('WO-2026-115');
  });
});
