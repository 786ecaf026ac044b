import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, expect, it} from 'vitest';
import {specFromEarlierSession} from '../../src/cli/load-inputs.js';
import {removeTempDirs, tempDir} from '../helpers/fixtures.js';

afterAll(() => removeTempDirs());

function session(out: string, name: string, files: {plan?: string; spec?: boolean}): void {
  mkdirSync(path.join(out, name), {recursive: true});
  if (files.plan !== undefined) writeFileSync(path.join(out, name, 'plan.json'), files.plan);
  if (files.spec) writeFileSync(path.join(out, name, 'spec.md'), '# spec\n');
}

it('the newest session of the same project with a recorded spec gives the decisions; other projects and unreadable plans do not', () => {
  const out = tempDir();
  expect(specFromEarlierSession(path.join(out, 'missing'), 'p')).toBeNull();
  session(out, '2026-11-20T10-00-00', {plan: JSON.stringify({project: 'p'}), spec: true});
  session(out, '2026-11-21T10-00-00', {plan: JSON.stringify({project: 'other'}), spec: true});
  session(out, '2026-11-22T10-00-00', {plan: '{not json', spec: true});
  session(out, '2026-11-23T10-00-00', {plan: JSON.stringify({project: 'p'})});
  expect(specFromEarlierSession(out, 'p')).toBe(path.join(out, '2026-11-20T10-00-00', 'spec.md'));
  expect(specFromEarlierSession(out, 'other')).toBe(path.join(out, '2026-11-21T10-00-00', 'spec.md'));
  session(out, '2026-11-24T10-00-00', {plan: JSON.stringify({project: 'p'}), spec: true});
  expect(specFromEarlierSession(out, 'p')).toBe(path.join(out, '2026-11-24T10-00-00', 'spec.md'));
  expect(specFromEarlierSession(out, 'nobody')).toBeNull();
});
