// npm run bench [-- --json] [-- --quick]: the figures behind the README's performance section.
// Not part of npm test: it takes minutes and measures time, which tests must not.
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {stripVTControlCharacters} from 'node:util';
import pty from '@lydell/node-pty';
import {render} from 'ink-testing-library';
import React from 'react';
import {apiTarget, databaseTarget} from '../src/cli/apply-target-choice.js';
import {PccDatabase} from '../src/pcc/pcc-database.js';
import {PccServer} from '../src/server/pcc-server.js';
import {applyPlan} from '../src/apply/apply-engine.js';
import {buildPlan} from '../src/plan/build-plan.js';
import {createPccClient} from '../src/pcc/pcc-client.js';
import {parseTrackSpec} from '../src/spec/spec-parser.js';
import {App} from '../src/ui/app.js';
import {loadWorkOrdersFromFolder} from '../src/workorders/local-loader.js';
import {generateProject, type GeneratedProject} from './generate.js';
import {median, percentile, round} from './stats.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SEED = path.join(ROOT, 'assets/WO-2026-115-track-assignment-pcc.md');
const PROBE = path.join(ROOT, 'bench/rss-probe.mjs');
const PLAN_PROBE = path.join(ROOT, 'bench/plan-probe.ts');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const SIZES = quick ? [114, 1000] : [114, 1000, 10_000];
const RUNS = quick ? 3 : 5;

const log = (line: string) => process.stderr.write(`${line}\n`);

function dryRunMs(project: GeneratedProject): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [CLI, '--work-orders', project.workOrdersDir, '--spec', project.specFile, '--dry-run', '--json'], {stdio: ['ignore', 'ignore', 'pipe']});
    times.push(performance.now() - started);
    if (result.status !== 0) throw new Error(`dry run failed: ${result.stderr}`);
  }
  return median(times);
}

/** Process start to the overview on screen, in a real pseudo-terminal; also the peak RSS. */
async function startupOnce(project: GeneratedProject, rssFile: string): Promise<{ms: number; rssMb: number}> {
  const env: Record<string, string> = {...(process.env as Record<string, string>), CI: 'false', TERM: 'xterm-256color', PCC_BENCH_RSS_FILE: rssFile};
  const started = performance.now();
  const terminal = pty.spawn(process.execPath, ['--import', PROBE, CLI, '--work-orders', project.workOrdersDir, '--spec', project.specFile], {cols: 100, rows: 30, env});
  let output = '';
  let shownAt = 0;
  const exited = new Promise<void>((resolve) => terminal.onExit(() => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`no overview after 30 s: ${stripVTControlCharacters(output).slice(-500)}`)), 30_000);
    terminal.onData((data) => {
      output += data;
      if (!shownAt && stripVTControlCharacters(output).includes(' new tracks, ')) {
        shownAt = performance.now();
        clearTimeout(timeout);
        resolve();
      }
    });
  });
  terminal.write('q');
  await exited;
  return {ms: shownAt - started, rssMb: Number(readFileSync(rssFile, 'utf8'))};
}

async function startup(project: GeneratedProject, scratch: string): Promise<{ms: number; rssMb: number}> {
  const runs = [];
  for (let run = 0; run < RUNS; run++) runs.push(await startupOnce(project, path.join(scratch, `rss-${project.count}-${run}`)));
  return {ms: median(runs.map((run) => run.ms)), rssMb: Math.max(...runs.map((run) => run.rssMb))};
}

/** Keystroke to updated frame, in a track holding most of 10,000 WOs. */
async function keystrokes(scratch: string): Promise<{median: number; p95: number; byKey: Record<string, {median: number; p95: number}>}> {
  const project = generateProject(scratch, 10_000, SEED, {singleTrack: true});
  const spec = parseTrackSpec(readFileSync(project.specFile, 'utf8'), project.specFile);
  const plan = buildPlan({spec, workOrders: loadWorkOrdersFromFolder(project.workOrdersDir).workOrders, serverTracks: [], project: 'bench', api: null});
  const view = render(React.createElement(App, {plan, theme: {color: true}, title: 'bench', startApply: async () => ({report: '', reportJson: '', planFile: ''}), savePlan: () => '', onExit: () => {}}));
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  async function press(input: string): Promise<number> {
    const before = view.frames.length;
    const started = performance.now();
    view.stdin.write(input);
    while (view.frames.length === before) await settle();
    return performance.now() - started;
  }
  await settle();
  await press('\u001B[B');
  await press('\r');
  const frame = stripVTControlCharacters(view.lastFrame() ?? '');
  if (!frame.includes('Runner Reliability (2/13)')) throw new Error(`the big track did not open:\n${frame}`);
  const samples: Record<string, number[]> = {down: [], pageDown: [], move: [], undo: []};
  for (let i = 0; i < 200; i++) samples.down.push(await press('\u001B[B'));
  for (let i = 0; i < 120; i++) samples.pageDown.push(await press('\u001B[6~'));
  // Enough samples that p95 is not just the second-worst one.
  for (let i = 0; i < 120; i++) {
    await press('m');
    samples.move.push(await press('3'));
    samples.undo.push(await press('u'));
  }
  view.unmount();
  const all = Object.values(samples).flat();
  const byKey = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, {median: round(median(values), 2), p95: round(percentile(values, 95), 2)}]));
  return {median: round(median(all), 2), p95: round(percentile(all, 95), 2), byKey};
}

/**
 * The suggestion and plan CPU times, in a process of their own: as in one CLI run, and not in
 * this one, whose heap still holds the keystroke measurement's rendered 10,000 WOs.
 */
function planMs(project: GeneratedProject): {suggestMs: number; suggestFirstMs: number; planMs: number; suggestions: number} {
  const probe = spawnSync(process.execPath, [...process.execArgv, PLAN_PROBE, project.specFile, project.workOrdersDir, String(RUNS + 4)], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']});
  if (probe.status !== 0) throw new Error(`the planning probe failed (exit ${probe.status})`);
  return JSON.parse(probe.stdout);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The engine against the project's server in its own process, next to a bare fetch loop. Both
 * make the same transitions (no track → track) on the same server, after the same warm-up.
 */
async function applyVersusFetch(project: GeneratedProject, scratch: string, concurrency = 8): Promise<{applyMs: number; fetchBaselineMs: number; applyRatio: number; verified: boolean}> {
  const port = await freePort();
  const server = spawn(process.execPath, [CLI, 'serve', '--work-orders', project.workOrdersDir, '--db', path.join(scratch, 'bench.sqlite'), '--port', String(port)], {stdio: ['ignore', 'pipe', 'inherit']});
  await new Promise<void>((resolve) => server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('PCC-compatible server on') && resolve()));
  const url = `http://127.0.0.1:${port}`;
  const base = `${url}/repos/project-control-center`;
  const put = async (id: string, trackId: string | null) => {
    const response = await fetch(`${base}/work-orders/${id}/track`, {method: 'PUT', headers: {'content-type': 'application/json'}, body: JSON.stringify({trackId})});
    await response.text();
  };
  const fetchLoop = async (requests: {id: string; trackId: string | null}[]) => {
    let next = 0;
    await Promise.all(Array.from({length: concurrency}, async () => {
      while (next < requests.length) {
        const request = requests[next++];
        await put(request.id, request.trackId);
      }
    }));
  };
  try {
    const client = createPccClient({baseUrl: url, project: 'project-control-center', timeoutMs: 30_000});
    const spec = parseTrackSpec(readFileSync(project.specFile, 'utf8'), project.specFile);
    const read = () => Promise.all([client.listWorkOrders(), client.listTracks()]);
    const [{workOrders}] = await read();
    // Tracks first, so that both runs only assign.
    const trackIds = new Map<string, string>();
    for (const track of spec.tracks) trackIds.set(track.name, (await client.createTrack({name: track.name, color: track.color})).id);
    const firstPlan = buildPlan({spec, workOrders, serverTracks: await client.listTracks(), project: 'project-control-center', api: url});
    const targets = firstPlan.items.filter((item) => item.plannedKey !== item.currentKey).map((item) => ({id: item.id, trackId: trackIds.get(firstPlan.tracks.find((track) => track.key === item.plannedKey)!.name)!}));
    const reset = targets.map((target) => ({id: target.id, trackId: null}));
    // Warm both paths (JIT, keep-alive sockets, SQLite pages) before timing either.
    await fetchLoop(targets.slice(0, 300));
    await Promise.all(targets.slice(0, 300).map((target) => client.assignTrack(target.id, target.trackId)));
    await fetchLoop(reset);

    const fetchStarted = performance.now();
    await fetchLoop(targets);
    const fetchBaselineMs = performance.now() - fetchStarted;
    await fetchLoop(reset);

    const [{workOrders: now}, tracks] = await read();
    const plan = buildPlan({spec, workOrders: now, serverTracks: tracks, project: 'project-control-center', api: url});
    const started = performance.now();
    const outcome = await applyPlan({plan, openTarget: apiTarget({baseUrl: url, project: 'project-control-center', timeoutMs: 30_000}).openTarget, journalFile: path.join(scratch, 'bench.journal.jsonl'), undoPlanFile: null, concurrency});
    const applyMs = performance.now() - started;
    return {applyMs: round(applyMs), fetchBaselineMs: round(fetchBaselineMs), applyRatio: round(applyMs / fetchBaselineMs, 2), verified: outcome.verified};
  } finally {
    server.kill();
  }
}

/**
 * The database path: the same project in a PCC-shaped SQLite file (the built-in server's, which
 * has PCC's older shape), planned from it and applied in one transaction, then verified.
 */
async function applyToDatabase(project: GeneratedProject, scratch: string): Promise<{databaseApplyMs: number; databaseWriteMs: number; databaseVerified: boolean}> {
  const file = path.join(scratch, 'pcc-bench.db');
  const server = new PccServer({workOrdersDir: project.workOrdersDir, dbFile: file});
  await server.start();
  // PCC's GETs leave a row per WO; then the server is stopped, as during a maintenance window.
  await fetch(`${server.url}/repos/project-control-center/work-orders`).then((response) => response.text());
  await server.stop();
  const db = PccDatabase.open(file, 'project-control-center');
  const state = db.readState();
  db.close();
  const spec = parseTrackSpec(readFileSync(project.specFile, 'utf8'), project.specFile);
  const {workOrders} = loadWorkOrdersFromFolder(project.workOrdersDir);
  const plan = buildPlan({spec, workOrders, serverTracks: state.tracks, project: 'project-control-center', api: null});
  let writeMs = 0;
  const started = performance.now();
  const outcome = await applyPlan({
    plan: {...plan, pccDb: file},
    openTarget: databaseTarget(file, 'project-control-center', null).openTarget,
    journalFile: path.join(scratch, 'db.journal.jsonl'),
    undoPlanFile: null,
    onEvent: (event) => {
      if (event.type === 'start') writeMs = performance.now();
      if (event.type === 'verify') writeMs = performance.now() - writeMs;
    },
  });
  return {databaseApplyMs: round(performance.now() - started), databaseWriteMs: round(writeMs), databaseVerified: outcome.verified};
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'pcc-bench-'));
  try {
    const projects = SIZES.map((count) => generateProject(scratch, count, SEED));
    const largest = projects.at(-1)!;
    const results = {
      machine: {cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryGb: round(os.totalmem() / 1024 ** 3), node: process.version, date: new Date().toISOString().slice(0, 10)},
      startupMs: {} as Record<number, number>,
      dryRunMs: {} as Record<number, number>,
      rssMb: {} as Record<number, number>,
      keystrokeMs: {} as Awaited<ReturnType<typeof keystrokes>>,
      planMs: 0,
      suggestMs: 0,
      suggestFirstMs: 0,
      suggestions: 0,
      planWorkOrders: largest.count,
      applyMs: 0,
      fetchBaselineMs: 0,
      applyRatio: 0,
      applyWorkOrders: largest.count,
      applyVerified: false,
      databaseApplyMs: 0,
      databaseWriteMs: 0,
      databaseVerified: false,
    };
    for (const project of projects) {
      log(`${project.count} WOs: dry run…`);
      results.dryRunMs[project.count] = round(dryRunMs(project));
      log(`${project.count} WOs: start to first frame…`);
      const start = await startup(project, scratch);
      results.startupMs[project.count] = round(start.ms);
      results.rssMb[project.count] = round(start.rssMb);
    }
    log('keystrokes in a track of 10,000…');
    results.keystrokeMs = await keystrokes(scratch);
    log('planning with suggestions…');
    const planning = planMs(largest);
    results.planMs = round(planning.planMs);
    results.suggestMs = round(planning.suggestMs);
    results.suggestFirstMs = round(planning.suggestFirstMs);
    results.suggestions = planning.suggestions;
    log(`applying ${largest.count} assignments, then the bare fetch loop…`);
    Object.assign(results, await applyVersusFetch(largest, scratch).then(({verified, ...rest}) => ({...rest, applyVerified: verified})));
    log(`applying ${largest.count} assignments into PCC's database…`);
    Object.assign(results, await applyToDatabase(largest, scratch));
    if (args.has('--json')) {
      process.stdout.write(`${JSON.stringify(results)}\n`);
      return;
    }
    const lines = [
      `Machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGb} GB, Node ${results.machine.node}`,
      '',
      '| WOs | start to first frame | dry run | peak RSS (wizard) |',
      '|---:|---:|---:|---:|',
      ...SIZES.map((size) => `| ${size} | ${results.startupMs[size]} ms | ${results.dryRunMs[size]} ms | ${results.rssMb[size]} MB |`),
      '',
      `Keystroke to frame, track of ${'8.5k'} WOs: median ${results.keystrokeMs.median} ms, p95 ${results.keystrokeMs.p95} ms (${Object.entries(results.keystrokeMs.byKey).map(([key, value]) => `${key} ${value.median}/${value.p95}`).join(', ')})`,
      `Suggestions for ${results.planWorkOrders} WOs (${results.suggestions} suggested): ${results.suggestMs} ms CPU (median; the first run in the process ${results.suggestFirstMs} ms); the whole plan with them: ${results.planMs} ms CPU`,
      `Apply ${results.applyWorkOrders}: ${results.applyMs} ms (verified: ${results.applyVerified}); bare fetch loop: ${results.fetchBaselineMs} ms; ratio ${results.applyRatio}`,
      `Apply ${results.applyWorkOrders} into PCC's database: ${results.databaseApplyMs} ms in all (read, write, read back; verified: ${results.databaseVerified}), of which the write and its events ${results.databaseWriteMs} ms`,
      '',
      JSON.stringify(results),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(scratch, {recursive: true, force: true});
  }
}

await main();
