import {appendFileSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {Journal, JournalError} from '../../src/apply/journal.js';
import {removeTempDirs, tempDir} from '../helpers/fixtures.js';

afterAll(() => removeTempDirs());

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));

describe('the journal', () => {
  it('records created tracks and where WOs were before their first change, and reads them back on resume', () => {
    const file = path.join(tempDir(), 'plan.journal.jsonl');
    const first = Journal.open(file, 'fp1');
    first.recordTrack('economy', 't1');
    first.recordBefore([{id: 'WO-1', trackIds: []}, {id: 'WO-2', trackIds: ['t0']}]);
    first.close();
    const again = Journal.open(file, 'fp1');
    expect([...again.tracks]).toEqual([['economy', 't1']]);
    // A later run never overwrites where a WO was before the first run.
    again.recordBefore([{id: 'WO-2', trackIds: ['t1']}, {id: 'WO-3', trackIds: ['t1']}]);
    expect(Object.fromEntries(again.before)).toEqual({'WO-1': [], 'WO-2': ['t0'], 'WO-3': ['t1']});
    again.close();
    expect(lines(file).map((entry) => entry.type)).toEqual(['header', 'track', 'before', 'before', 'before']);
  });

  it('repairs a last line cut short by a crash, any number of times; refuses garbage in the middle', () => {
    const file = path.join(tempDir(), 'plan.journal.jsonl');
    writeFileSync(file, '{"type":"header","fingerprint":"fp","startedAt":"x"}\n{"type":"track","key":"a","id":"t"}\n{"type":"tra');
    for (let crash = 0; crash < 3; crash++) {
      const journal = Journal.open(file, 'fp');
      journal.recordTrack(`k${crash}`, `id${crash}`);
      journal.close();
      appendFileSync(file, '{"type":"track","key":"cut');
    }
    const last = Journal.open(file, 'fp');
    expect([...last.tracks.keys()]).toEqual(['a', 'k0', 'k1', 'k2']);
    last.close();
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
    writeFileSync(file, '{"type":"header","fingerprint":"fp","startedAt":"x"}\nnot json\n{"type":"track","key":"a","id":"t"}\n');
    expect(() => Journal.open(file, 'fp')).toThrow(/line 2 is not a journal entry/);
  });

  it("replaces another plan's journal that recorded nothing, refuses one that did", () => {
    const file = path.join(tempDir(), 'plan.journal.jsonl');
    Journal.open(file, 'old').close();
    const replaced = Journal.open(file, 'new');
    replaced.recordTrack('economy', 't1');
    replaced.close();
    expect(lines(file)[0]).toMatchObject({type: 'header', fingerprint: 'new'});
    expect(() => Journal.open(file, 'newer')).toThrow(new JournalError(`${file} belongs to another plan and records 1 entries; apply the plan it was written for, or move it away to start over.`));
  });
});
