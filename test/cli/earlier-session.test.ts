import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, afterEach, expect, it} from 'vitest';
import {parseCli} from '../../src/cli/args.js';
import {loadInputs, specFromEarlierSession, type SessionTarget} from '../../src/cli/load-inputs.js';
import {removeTempDirs, SEED_SPEC_FILE, tempDir} from '../helpers/fixtures.js';
import {serverPool} from '../helpers/test-server.js';

const servers = serverPool();
afterEach(() => servers.stopAll());
afterAll(() => removeTempDirs());

function session(out: string, name: string, plan: object | string | null, spec: string | null = '# spec\n'): string {
  mkdirSync(path.join(out, name), {recursive: true});
  if (plan !== null) writeFileSync(path.join(out, name, 'plan.json'), typeof plan === 'string' ? plan : JSON.stringify(plan));
  if (spec !== null) writeFileSync(path.join(out, name, 'spec.md'), spec);
  return path.join(out, name, 'spec.md');
}

const target = (fields: Partial<SessionTarget> = {}): SessionTarget => ({project: 'p', api: 'http://127.0.0.1:4010', pccDb: null, ...fields});

it('the newest session for the same server and project gives its spec copy; other targets, unreadable plans and sessions without a copy do not', () => {
  const out = tempDir();
  expect(specFromEarlierSession(path.join(out, 'missing'), target())).toBeNull();
  const older = session(out, '2026-11-20T10-00-00', {project: 'p', api: 'http://localhost:4010/'});
  session(out, '2026-11-21T10-00-00', {project: 'other', api: 'http://127.0.0.1:4010'});
  session(out, '2026-11-21T11-00-00', {project: 'p', api: 'http://127.0.0.1:4999'});
  session(out, '2026-11-21T12-00-00', {project: 'p', api: 'http://127.0.0.1:4010', pccDb: '/x/pcc.db'});
  session(out, '2026-11-22T10-00-00', '{not json');
  session(out, '2026-11-23T10-00-00', {project: 'p', api: 'http://127.0.0.1:4010'}, null);
  // The same server spelled another way counts as the same server.
  expect(specFromEarlierSession(out, target())).toBe(older);
  expect(specFromEarlierSession(out, target({pccDb: '/x/pcc.db'}))).toBe(path.join(out, '2026-11-21T12-00-00', 'spec.md'));
  expect(specFromEarlierSession(out, target({api: 'http://127.0.0.1:5000'}))).toBeNull();
  const newer = session(out, '2026-11-24T10-00-00', {project: 'p', api: 'http://127.0.0.1:4010'});
  expect(specFromEarlierSession(out, target())).toBe(newer);
});

it('a run against a server reads the earlier copy, says so, and records into a copy of its own; a broken copy is set aside with one sentence; --demo and local runs do not look', async () => {
  const pcc = await servers.start();
  const out = tempDir();
  const seed = readFileSync(SEED_SPEC_FILE, 'utf8');
  const options = (extra: string[] = []) => parseCli(['--api', pcc.url, '--out', out, '--dry-run', ...extra], {});
  // Decided in an earlier session: WO-2026-125 to no track (listed under Uncategorized).
  const decided = seed.replace(/^(### Uncategorized.*\n)/m, '$1- WO-2026-125: decided\n');
  expect(decided).not.toBe(seed);
  const copy = session(out, '2026-11-20T10-00-00', {project: 'project-control-center', api: pcc.url}, decided);

  const inputs = await loadInputs(options(), {});
  expect(inputs.specText).toBe(decided);
  expect(inputs.specFile).toBeNull();
  expect(inputs.specNote).toBe(`Using the bundled spec with the decisions of an earlier session, ${copy}; pass --spec to use another.`);

  expect((await loadInputs(options(['--spec', SEED_SPEC_FILE]), {})).specText).toBe(seed);
  const local = await loadInputs(parseCli(['--work-orders', pcc.workOrdersDir, '--out', out, '--dry-run'], {}), {});
  expect(local.specText).toBe(seed);
  // The demo runs the same way against its own server (here: this one).
  const demo = await loadInputs(parseCli(['--demo', '--out', out, '--dry-run'], {}), {}, {api: pcc.url});
  expect(demo.specText).toBe(seed);

  writeFileSync(copy, '# not a spec\n');
  const broken = await loadInputs(options(), {});
  expect(broken.specText).toBe(seed);
  expect(broken.specNote).toMatch(new RegExp(`^The spec copy of an earlier session, ${copy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, cannot be used \\(.+\\); using the bundled spec`));
});
