import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {CLI, ROOT, SAMPLE_WORK_ORDERS, tempDir, writeWorkOrders, workOrderFile} from '../helpers/fixtures.js';
import {runCli} from '../helpers/run-cli.js';

const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

describe('the CLI without a server', () => {
  it('--help and --version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--dry-run');
    expect(help.stdout).toContain('Exit codes: 0 done, 1 failed, 2 usage.');
    const shown = await runCli(['--version']);
    expect(shown).toMatchObject({code: 0, stdout: `${version}\n`});
  });

  it('a dry run from local files never loads ky or fetch (they load on the first request)', async () => {
    const probe = path.join(tempDir(), 'probe.mjs');
    const {writeFileSync} = await import('node:fs');
    // Node lists every built-in module it has loaded; fetch's implementation is one of them.
    writeFileSync(probe, "process.on('exit', () => process.stderr.write(`fetch loaded: ${process.moduleLoadList.some((name) => name.includes('undici'))}\\n`));\n");
    const {spawnSync} = await import('node:child_process');
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', probe, CLI, ...args], {encoding: 'utf8'});
    const offline = run(['--work-orders', SAMPLE_WORK_ORDERS, '--dry-run', '--json']);
    expect(offline.status).toBe(0);
    expect(offline.stderr).toContain('fetch loaded: false');
    // The probe can tell: a run that asks a server (here one that is not there) loads it.
    const online = run(['--api', 'http://127.0.0.1:9', '--work-orders', SAMPLE_WORK_ORDERS, '--dry-run', '--json']);
    expect(online.stderr).toContain('fetch loaded: true');
  });

  it('unknown flags, missing folders and missing spec files: one sentence, exit 2, no stack', async () => {
    const unknown = await runCli(['--frobnicate']);
    expect(unknown).toMatchObject({code: 2, stderr: "Unknown option '--frobnicate'; run pcc-track-wizard --help for the flags.\n"});
    const folder = await runCli(['--work-orders', '/nope/work_orders', '--dry-run']);
    expect(folder).toMatchObject({code: 2, stderr: 'The work orders folder /nope/work_orders does not exist; pass --work-orders with the path to a work_orders/ folder.\n'});
    const spec = await runCli(['--work-orders', SAMPLE_WORK_ORDERS, '--spec', '/nope/spec.md', '--dry-run']);
    expect(spec.code).toBe(2);
    expect(spec.stderr).toBe('The spec file /nope/spec.md does not exist; pass --spec with a track-assignment WO markdown file or a WO id.\n');
    expect(`${unknown.stderr}${folder.stderr}${spec.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('a spec with errors lists them with line numbers and exits 1', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'spec.md');
    const seed = readFileSync(path.join(ROOT, 'assets/WO-2026-115-track-assignment-pcc.md'), 'utf8');
    const {writeFileSync} = await import('node:fs');
    writeFileSync(file, seed.replace('| #EF4444 |', '| red |'));
    const run = await runCli(['--work-orders', SAMPLE_WORK_ORDERS, '--spec', file, '--dry-run']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^The spec ${file} cannot be used \\(1 problem\\); fix these lines:\\n  ${file}:\\d+: track "Testing & Quality" has color "red"`));
  });

  it('--dry-run on the sample data prints the distribution', async () => {
    const run = await runCli(['--work-orders', SAMPLE_WORK_ORDERS, '--dry-run', '--no-suggest']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('| Autonomous Orchestration (new) | 21 |');
    expect(run.stdout).toContain('| No track | 14 |');
    expect(run.stdout).toContain('| Needs review | 6 |');
    expect(run.stdout).not.toContain('\u001B');
    expect(run.stderr).toContain('117 work orders, 11 tracks: 11 tracks to create, 97 to assign, 0 to move, 0 to clear, 20 unchanged.');
  });

  it('--dry-run --json prints the report JSON, --report writes both files', async () => {
    const out = tempDir();
    const report = path.join(out, 'report.md');
    const run = await runCli(['--work-orders', SAMPLE_WORK_ORDERS, '--dry-run', '--json', '--report', report]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    // The seed's distribution, plus the suggestions confident enough to place.
    const placed = json.suggested.filter((suggestion: {placed: boolean}) => suggestion.placed);
    expect(json.suggested).toHaveLength(6);
    expect(placed.map((suggestion: {id: string}) => suggestion.id)).toEqual(['WO-2026-121', 'WO-2026-123', 'WO-2026-124']);
    expect(json.tracks.map((track: {count: number}) => track.count).reduce((a: number, b: number) => a + b, 0)).toBe(97 + placed.length);
    // The guess of no track is shown, below the bar here.
    expect(json.suggested.find((suggestion: {id: string}) => suggestion.id === 'WO-2026-120')).toMatchObject({track: 'No track', placed: false});
    // Placed follows the value shown, at the default bar.
    for (const suggestion of json.suggested as {confidence: number; placed: boolean}[]) expect(suggestion.placed).toBe(suggestion.confidence >= 0.85);
    expect(json.needsReview).toHaveLength(3);
    expect(json.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^WO-2026-118\.md:9: front matter is not valid YAML/)]));
    expect(readFileSync(report, 'utf8')).toContain('## Summary');
    expect(JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'))).toEqual(json);
  });

  it('bad files are reported by name and the rest is still planned', async () => {
    const dir = writeWorkOrders({
      'WO-2026-020.md': workOrderFile('WO-2026-020'),
      'WO-2026-021.md': '---\nid: WO-2026-021\ntitle: "Quoted" then more\n---\n',
    });
    const run = await runCli(['--work-orders', dir, '--dry-run', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.totals.workOrders).toBe(2);
    expect(json.warnings).toEqual([expect.stringMatching(/^WO-2026-021\.md:3: front matter is not valid YAML/)]);
  });

  it('a folder without any .md file is planned (nothing) with a warning that names it', async () => {
    const dir = tempDir();
    const run = await runCli(['--work-orders', dir, '--dry-run', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.totals.workOrders).toBe(0);
    expect(json.warnings).toEqual([`${dir}: has no .md files; pass --work-orders with the path of the project's work_orders/ folder`]);
  });

  it('a pipe named like a WO, or a link to one, is skipped with a note instead of waiting for a writer', async () => {
    const {mkdirSync, symlinkSync} = await import('node:fs');
    const {spawnSync} = await import('node:child_process');
    const dir = writeWorkOrders({'WO-2026-030.md': workOrderFile('WO-2026-030'), 'WO-2026-031.md': workOrderFile('WO-2026-031')});
    const outside = path.join(dir, '..', 'pipe');
    expect(spawnSync('mkfifo', [path.join(dir, 'WO-2026-032.md'), outside]).status).toBe(0);
    symlinkSync(outside, path.join(dir, 'WO-2026-033.md'));
    mkdirSync(path.join(dir, 'WO-2026-034.md'));
    // In a child with a deadline: opening a pipe for reading blocks the whole process.
    const run = spawnSync(process.execPath, [CLI, '--work-orders', dir, '--dry-run', '--json'], {encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL'});
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.totals.workOrders).toBe(2);
    expect(json.warnings).toEqual(['WO-2026-032.md', 'WO-2026-033.md'].map((name) => `${name}: is not a regular file (a pipe, socket or device, or a link to one); skipped`));
  });

  it('the wizard without a terminal says what to pass and exits 2', async () => {
    const run = await runCli(['--work-orders', SAMPLE_WORK_ORDERS]);
    expect(run).toMatchObject({code: 2, stderr: 'The wizard needs an interactive terminal; without one pass --dry-run, --plan-out FILE, or --apply FILE --yes.\n'});
  });

  it('evaluate prints the leave-one-out accuracy of suggestions, as text or JSON', async () => {
    const text = await runCli(['evaluate', '--work-orders', SAMPLE_WORK_ORDERS]);
    expect(text.code).toBe(0);
    // 97 on tracks and the 8 of the coherent no-track group "Tracks Meta".
    expect(text.stdout).toMatch(/^105 mapped work orders, leave-one-out: each predicted from all the others:/);
    expect(text.stdout).toMatch(/top-1 accuracy: \d+\.\d% \(\d+\/105\)/);
    expect(text.stdout).toMatch(/ {2}0\.85 +\d+ \( *\d+\.\d%\) +\d+\.\d% +← the bar in use/);
    const newest = await runCli(['evaluate', '--work-orders', SAMPLE_WORK_ORDERS, '--protocol', 'newest']);
    expect(newest.stdout).toMatch(/mapped work orders, the newest half of each group hidden and predicted from the older half:/);
    expect(text.stdout).toContain('most frequent confusions (mapped → suggested):');
    const json = await runCli(['evaluate', '--work-orders', SAMPLE_WORK_ORDERS, '--json', '--min-confidence', '0.5']);
    expect(JSON.parse(json.stdout)).toMatchObject({evaluated: 105, protocol: 'loo', minConfidence: 0.5, placed: expect.any(Number), confusions: expect.any(Array)});
    const demo = await runCli(['evaluate', '--demo', '--json']);
    expect(demo.code).toBe(0);
    // WO-2026-118 is invisible to the server (invalid YAML), so one fewer.
    expect(JSON.parse(demo.stdout).evaluated).toBe(104);
    // A spec that maps nothing in the folder: said in words, not as 0.0% of 0.
    const {writeFileSync} = await import('node:fs');
    const empty = path.join(tempDir(), 'spec.md');
    writeFileSync(empty, '---\nid: WO-2099-001\ntitle: Tracks\n---\n## Track Definitions to Create\n\n| Track | Goal |\n|---|---|\n| Billing | Money |\n\n## Assignment Mapping\n\n### Billing\n- WO-1999-001: not in the folder\n');
    const nothing = await runCli(['evaluate', '--work-orders', SAMPLE_WORK_ORDERS, '--spec', empty]);
    expect(nothing.stdout).toBe('Nothing to evaluate: the spec (WO-2099-001) places no work order that is in the project; evaluate needs a mapping to hide WOs from.\n');
  });

  it('--plan-out writes a plan without a server', async () => {
    const file = path.join(tempDir(), 'plan.json');
    const run = await runCli(['--work-orders', SAMPLE_WORK_ORDERS, '--plan-out', file]);
    expect(run.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({format: 'pcc-track-wizard/plan', version: 1, items: expect.any(Array)});
  });
});
