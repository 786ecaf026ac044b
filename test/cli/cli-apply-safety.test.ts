import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {removeTempDirs, SEED_SPEC_FILE, tempDir} from '../helpers/fixtures.js';
import {holdingProxy} from '../helpers/holding-proxy.js';
import {serverDistribution} from '../helpers/plans.js';
import {runCli, type CliRun} from '../helpers/run-cli.js';
import {serverPool, startTestServer} from '../helpers/test-server.js';

const pool = serverPool();
const server = () => pool.start();
afterEach(async () => {
  await pool.stopAll();
  removeTempDirs();
});

/** The seed spec cut to its first three tracks (their WOs stay in the mapping as no-track groups would not). */
function threeTrackSpec(): string {
  const seed = readFileSync(SEED_SPEC_FILE, 'utf8');
  const kept = seed.replace(/^\| (?:[4-9]|1[01]) \|.*\n/gm, '');
  const file = path.join(tempDir(), 'three-tracks.md');
  // Mapping groups of removed tracks become "Uncategorized" so the spec stays valid.
  writeFileSync(file, kept.replace(/^### (Chat Experience|Constitution|Autonomous Orchestration|Economy|Visualization|Run Estimation|Multi-Repo|Testing & Quality)$/gm, '### Uncategorized ($1)'));
  return file;
}

describe('applying safely from the CLI', () => {
  it('through a proxy that holds every POST for 1.5 s with --timeout 500: exit 0 and, 5 s later, exactly the plan', async () => {
    const pcc = await server();
    const proxy = await holdingProxy(pcc.url, 'POST', 1500);
    const spec = threeTrackSpec();
    const planFile = path.join(tempDir(), 'plan.json');
    expect((await runCli(['--api', proxy.url, '--spec', spec, '--plan-out', planFile])).code).toBe(0);
    const run = await runCli(['--apply', planFile, '--yes', '--timeout', '500']);
    expect(run.stderr).toContain('Verified: the server matches the plan.');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Track "Foundation" found after a lost answer/);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const {byTrack, trackNames} = await serverDistribution(pcc.url);
    expect(trackNames).toEqual(['Foundation', 'Runner Reliability', 'VM Isolation']);
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as {items: {plannedKey: string | null}[]};
    const planned = (key: string) => plan.items.filter((item) => item.plannedKey === key).length;
    expect(planned('foundation')).toBeGreaterThanOrEqual(7);
    expect([byTrack.Foundation.length, byTrack['Runner Reliability'].length, byTrack['VM Isolation'].length]).toEqual([planned('foundation'), planned('runner reliability'), planned('vm isolation')]);
    await proxy.close();
  }, 60_000);

  it('two applies started together: one runs, the other says why and exits 1; then the plan holds exactly', async () => {
    const pcc = await server();
    pcc.server.faults.delay('PUT', /\/track$/, 5, 10_000);
    const planFile = path.join(tempDir(), 'plan.json');
    await runCli(['--api', pcc.url, '--plan-out', planFile]);
    const [a, b] = await Promise.all([runCli(['--apply', planFile, '--yes']), runCli(['--apply', planFile, '--yes'])]);
    const loser = [a, b].find((run) => run.code !== 0) as CliRun;
    const winner = [a, b].find((run) => run.code === 0) as CliRun;
    expect(winner.stderr).toContain('Verified: the server matches the plan.');
    expect(loser.code).toBe(1);
    expect(loser.stderr).toMatch(/^Applying to the API at .*\nNot applied: another pcc-track-wizard \(pid \d+, started .*\) is applying to the API at .*; wait for it to finish, then run the same command again\. Nothing was changed\.\n$/);
    const {trackNames} = await serverDistribution(pcc.url);
    expect(trackNames).toHaveLength(11);
    const again = await runCli(['--apply', planFile, '--yes']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('99 were already done');
  });

  it('a plan goes only where it was made for, unless --retarget', async () => {
    const pcc = await server();
    const other = await server();
    const planFile = path.join(tempDir(), 'plan.json');
    await runCli(['--api', pcc.url, '--plan-out', planFile]);
    const elsewhere = await runCli(['--apply', planFile, '--yes', '--api', other.url]);
    expect(elsewhere).toMatchObject({code: 2, stderr: `This plan would go to another server ${other.url} (the plan was made for ${pcc.url}); pass --retarget to apply it there anyway. Nothing was changed.\n`});
    const project = await runCli(['--apply', planFile, '--yes'], {PCC_PROJECT: 'another'});
    expect(project.code).toBe(2);
    expect(project.stderr).toContain('another project another (the plan was made for project-control-center)');
    expect(other.server.requests).toHaveLength(0);
    const retargeted = await runCli(['--apply', planFile, '--yes', '--api', other.url, '--retarget']);
    expect(retargeted.stderr).toContain(`Applying to the API at ${other.url} (project project-control-center).`);
    // The other server's state differs from what the plan saw, but only in ways that do not matter.
    expect(retargeted.code).toBe(0);
  });

  it('a missing --apply file is a usage problem: exit 2', async () => {
    const run = await runCli(['--apply', '/nonexistent/plan.json', '--yes']);
    expect(run).toMatchObject({code: 2, stderr: 'The plan file /nonexistent/plan.json does not exist; check the path passed to --apply.\n'});
  });

  it('secrets stay secret: control characters in a token, credentials in the URL', async () => {
    const token = await runCli(['--api', 'http://127.0.0.1:9', '--dry-run'], {PCC_TOKEN: 'abc\ndef-secret'});
    expect(token).toMatchObject({code: 2, stderr: 'PCC_TOKEN contains control characters (a pasted line break?); set it again without them.\n'});
    const euro = await runCli(['--api', 'http://127.0.0.1:9', '--dry-run'], {PCC_TOKEN: 'tok\u20acn'});
    expect(euro).toMatchObject({code: 2, stderr: 'PCC_TOKEN contains characters that an HTTP header cannot carry (only printable ASCII); set it again.\n'});
    const empty = await runCli(['--api', 'http://127.0.0.1:9', '--dry-run', '--project', '']);
    expect(empty).toMatchObject({code: 2, stderr: '--project (or PCC_PROJECT) is empty; pass a project id from GET /repos.\n'});
    const url = await runCli(['--api', 'http://ann:hunter2@127.0.0.1:9', '--dry-run']);
    expect(url.code).toBe(2);
    expect(url.stderr).toBe('The server address http://ann:***@127.0.0.1:9 carries credentials; pass the address without them and set PCC_BASIC_AUTH=user:pass instead.\n');
    expect(url.stderr).not.toContain('hunter2');
  });

  it('--json escapes C1 controls and bidi overrides; the markdown report shows them inert', async () => {
    const pcc = await server();
    const hostile = await fetch(`${pcc.url}/repos/project-control-center/tracks`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({name: 'Ops\u009b31m\u202e\u200b'})}).then((response) => response.json() as Promise<{track: {id: string}}>);
    await fetch(`${pcc.url}/repos/project-control-center/work-orders/WO-2026-120/track`, {method: 'PUT', headers: {'content-type': 'application/json'}, body: JSON.stringify({trackId: hostile.track.id})});
    const json = await runCli(['--api', pcc.url, '--dry-run', '--json']);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
    expect(json.stdout).toContain('Ops\\u009b31m\\u202e\\u200b');
    const markdown = await runCli(['--api', pcc.url, '--dry-run']);
    expect(markdown.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u0080-\u009f\u200b-\u200f\u202a-\u202e]/);
    expect(markdown.stdout).toContain('| Ops | 1 |');
  });
});

describe('WO files PCC cannot see', () => {
  it('are named with file, line and reason when the folder is at hand; --spec for one says why PCC does not serve it', async () => {
    const pcc = await server();
    const dry = await runCli(['--api', pcc.url, '--work-orders', pcc.workOrdersDir, '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const report = JSON.parse(dry.stdout);
    expect(report.invisibleToPcc).toEqual([{file: path.join(pcc.workOrdersDir, 'WO-2026-118.md'), id: 'WO-2026-118', line: expect.any(Number), reason: expect.stringMatching(/^front matter is not valid YAML \(.*\); quote the value or fix the line\.$/)}]);
    expect(report.applyPath).toEqual({kind: 'api', text: `the API at ${pcc.url} (project project-control-center)`});
    const text = await runCli(['--api', pcc.url, '--work-orders', pcc.workOrdersDir, '--dry-run']);
    expect(text.stdout).toContain('## Work order files PCC cannot see (1)');
    expect(text.stderr).toMatch(/1 work order file is not seen by PCC:\n {2}.*WO-2026-118\.md:\d+: front matter is not valid YAML .*; quote the value or fix the line\.\n/);
    const spec = await runCli(['--api', pcc.url, '--work-orders', pcc.workOrdersDir, '--spec', 'WO-2026-118', '--dry-run']);
    expect(spec.code).toBe(1);
    expect(spec.stderr).toMatch(/^The spec WO-2026-118 is not served by project project-control-center, because PCC cannot read it: .*WO-2026-118\.md:\d+: front matter is not valid YAML/);
  });

  it('a front matter block that is never closed is reported, not silently recovered', async () => {
    const {writeWorkOrders} = await import('../helpers/fixtures.js');
    const dir = writeWorkOrders({'WO-2026-900.md': '---\nid: WO-2026-900\ntitle: Open ended\nstatus: ready\n\nBody without a closing line.\n'});
    const run = await runCli(['--work-orders', dir, '--dry-run', '--json']);
    expect(JSON.parse(run.stdout).warnings).toEqual(expect.arrayContaining([expect.stringContaining('WO-2026-900.md:1: front matter is never closed (no line starting with `---` after it); add a `---` line after the last field')]));
  });
});

it('a plan saved offline applies with --api URL --project ID, and says what to pass without them', async () => {
  const {SAMPLE_WORK_ORDERS} = await import('../helpers/fixtures.js');
  const pcc = await startTestServer();
  const planFile = path.join(tempDir(), 'offline.json');
  const planned = await runCli(['--work-orders', SAMPLE_WORK_ORDERS, '--plan-out', planFile]);
  expect(planned.stderr).toContain(`apply it with: pcc-track-wizard --apply ${planFile} --yes --api URL --project ID`);
  const bare = await runCli(['--apply', planFile, '--yes']);
  expect(bare).toMatchObject({code: 2, stderr: "This plan was made from local files, so it names no server; pass --api URL --project ID (or --pcc-db PATH) to apply it.\n"});
  const applied = await runCli(['--apply', planFile, '--yes', '--api', pcc.url, '--project', 'project-control-center', '--replan']);
  expect(applied.stderr).toContain('Verified: the server matches the plan.');
  expect(applied.code).toBe(0);
  await pcc.stop();
});

it('--apply on a server that drifted: refused with a JSON event, no report; --replan reports the plan it applied', async () => {
  const pcc = await pool.start();
  const planFile = path.join(tempDir(), 'plan.json');
  expect((await runCli(['--api', pcc.url, '--plan-out', planFile, '--no-suggest'])).code).toBe(0);
  // Someone puts WO-2026-020 on a track of their own after the plan was made.
  const base = `${pcc.url}/repos/project-control-center`;
  const created = (await (await fetch(`${base}/tracks`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({name: 'Ops'})})).json()) as {track: {id: string}};
  await fetch(`${base}/work-orders/WO-2026-020/track`, {method: 'PUT', headers: {'content-type': 'application/json'}, body: JSON.stringify({trackId: created.track.id})});

  const refused = await runCli(['--apply', planFile, '--yes', '--json']);
  expect(refused.code).toBe(1);
  const last = JSON.parse(refused.stdout.trim().split('\n').at(-1)!) as {type: string; outcome: {refusal: string}};
  expect(last.type).toBe('finished');
  expect(last.outcome.refusal).toContain('The server changed since the plan was made (1 difference: WO-2026-020 is now on "Ops" (the plan saw no track))');
  expect(existsSync(planFile.replace(/\.json$/, '.report.md'))).toBe(false);
  expect((await serverDistribution(pcc.url)).trackNames).toEqual(['Ops']);

  const replanned = await runCli(['--apply', planFile, '--yes', '--replan']);
  expect(replanned.code).toBe(0);
  expect(replanned.stderr).toContain('Replanned: the target had changed since the plan was made (1 difference: WO-2026-020 is now on "Ops" (the plan saw no track))');
  const report = JSON.parse(readFileSync(planFile.replace(/\.json$/, '.report.json'), 'utf8')) as {changes: {items: {id: string; kind: string; from: string | null}[]}; apply: {replanned: string[]}};
  // The rebased plan moves WO-2026-020 off Ops; the saved plan only saw it on no track.
  expect(report.changes.items.find((change) => change.id === 'WO-2026-020')).toMatchObject({kind: 'move', from: 'Ops'});
  expect(report.apply.replanned).toHaveLength(1);
  expect(readFileSync(planFile.replace(/\.json$/, '.report.md'), 'utf8')).toContain('- Replanned: the target had changed');
});
