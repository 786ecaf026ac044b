import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {Journal, JournalError} from '../../src/apply/journal.js';
import {removeTempDirs, tempDir} from '../helpers/fixtures.js';

afterAll(() => removeTempDirs());

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));

describe('the journal', () => {
  it('records confirmed changes and reads them back on resume', () => {
    const file = path.join(tempDir(), 'plan.journal.jsonl');
    const first = Journal.open(file, 'fp1');
    first.recordTrack('economy', 't1');
    first.recordAssigned('WO-1', 't1');
    first.close();
    const again = Journal.open(file, 'fp1');
    expect(again.resumed).toBe(true);
    expect([...again.tracks]).toEqual([['economy', 't1']]);
    expect([...again.assigned]).toEqual([['WO-1', 't1']]);
    again.close();
    expect(lines(file).map((entry) => entry.type)).toEqual(['header', 'track', 'assigned']);
  });

  it('ignores a last line cut short by a crash, refuses garbage in the middle', () => {
    const file = path.join(tempDir(), 'plan.journal.jsonl');
    writeFileSync(file, '{"type":"header","fingerprint":"fp","startedAt":"x"}\n{"type":"assigned","id":"WO-1","trackId":"t"}\n{"type":"assig');
    const journal = Journal.open(file, 'fp');
    expect([...journal.assigned.keys()]).toEqual(['WO-1']);
    journal.close();
    writeFileSync(file, '{"type":"header","fingerprint":"fp","startedAt":"x"}\nnot json\n{"type":"assigned","id":"WO-1","trackId":"t"}\n');
    expect(() => Journal.open(file, 'fp')).toThrow(/line 2 is not valid JSON/);
  });

  it('replaces another plan\'s journal that recorded nothing, refuses one that did', () => {
    const file = path.join(tempDir(), 'plan.journal.jsonl');
    Journal.open(file, 'old').close();
    const replaced = Journal.open(file, 'new');
    expect(replaced.resumed).toBe(false);
    replaced.recordAssigned('WO-1', null);
    replaced.close();
    expect(lines(file)[0]).toMatchObject({type: 'header', fingerprint: 'new'});
    expect(() => Journal.open(file, 'newer')).toThrow(new JournalError(`${file} belongs to another plan and records 1 confirmed changes; apply the plan it was written for, or move it away to start over.`));
  });
});
