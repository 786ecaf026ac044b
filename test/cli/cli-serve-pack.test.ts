import {spawn, spawnSync} from 'node:child_process';
import path from 'node:path';
import {afterAll, expect, it} from 'vitest';
import {CLI, ROOT, copySampleWorkOrders, removeTempDirs, tempDir} from '../helpers/fixtures.js';

afterAll(() => removeTempDirs());

it('serve starts the PCC-compatible server on the given port and prints its URL', async () => {
  const db = path.join(tempDir(), 'rehearsal.sqlite');
  const child = spawn(process.execPath, [CLI, 'serve', '--work-orders', copySampleWorkOrders(), '--db', db, '--port', '0'], {stdio: ['ignore', 'pipe', 'pipe']});
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  // A server that fails to start says why instead of leaving the test to time out.
  const line = await Promise.race([new Promise<string>((resolve) => child.stdout.on('data', (chunk: Buffer) => resolve(chunk.toString()))), closed.then((code) => `exited ${code}: ${stderr}`)]);
  const url = /on (http:\/\/127\.0\.0\.1:\d+) \(project project-control-center, database (.+)\)/.exec(line);
  expect(url?.[2]).toBe(db);
  const projects = await (await fetch(`${url![1]}/repos`)).json();
  expect(projects).toEqual([expect.objectContaining({id: 'project-control-center'})]);
  child.kill('SIGTERM');
  expect(await closed).toBe(0);
});

it('the npm package carries the bundle, the assets, and nothing of the tests', () => {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: ROOT, encoding: 'utf8'});
  expect(result.status).toBe(0);
  const files = (JSON.parse(result.stdout)[0].files as {path: string}[]).map((file) => file.path);
  expect(files).toContain('dist/cli.js');
  expect(files).toContain('assets/WO-2026-115-track-assignment-pcc.md');
  expect(files).toContain('assets/work_orders/WO-2026-115.md');
  expect(files.some((file) => file.startsWith('test/') || file.startsWith('src/'))).toBe(false);
});
