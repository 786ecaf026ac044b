import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {normalizeTrackName, parseTrackSpec, specErrors} from '../../src/spec/spec-parser.js';
import {SEED_SPEC_FILE, seedSpec} from '../helpers/fixtures.js';

const SEED_TEXT = readFileSync(SEED_SPEC_FILE, 'utf8');

describe('the seed WO-2026-115', () => {
  const spec = seedSpec();

  it('has no problems and the front matter id', () => {
    expect(spec.problems).toEqual([]);
    expect(spec.id).toBe('WO-2026-115');
  });

  it('defines the 11 tracks with exact names, goals, colors, icons, in order', () => {
    expect(spec.tracks.map((track) => [track.sortOrder, track.name, track.goal, track.color, track.icon])).toEqual([
      [1, 'Foundation', 'Bootstrap the system from zero to functional', '#6B7280', 'foundation'],
      [2, 'Runner Reliability', "Parallel runs that don't break each other", '#10B981', 'shield-check'],
      [3, 'VM Isolation', 'Secure, isolated execution environments', '#8B5CF6', 'server'],
      [4, 'Chat Experience', 'Rich conversational interface with the system', '#3B82F6', 'chat'],
      [5, 'Constitution', 'Define and enforce agent behavior governance', '#F59E0B', 'scroll'],
      [6, 'Autonomous Orchestration', 'Self-directing agent shifts and global coordination', '#EC4899', 'robot'],
      [7, 'Economy', 'Cost awareness and self-sustaining agent budgets', '#14B8A6', 'dollar'],
      [8, 'Visualization', 'Rich visual dashboards for system state', '#F97316', 'chart'],
      [9, 'Run Estimation', 'Predict how long runs will take', '#6366F1', 'clock'],
      [10, 'Multi-Repo', 'Coordinate work across multiple projects', '#84CC16', 'git-branch'],
      [11, 'Testing & Quality', 'Reliable, non-flaky tests', '#EF4444', 'beaker'],
    ]);
    // The table has no description column: nothing is invented.
    expect(spec.tracks.every((track) => track.description === null)).toBe(true);
  });

  it('maps 111 WOs with the seed distribution and 14 to no track', () => {
    const counts: Record<string, number> = {};
    for (const entry of spec.mapping) counts[entry.track ?? '(none)'] = (counts[entry.track ?? '(none)'] ?? 0) + 1;
    expect(spec.mapping).toHaveLength(111);
    expect(counts).toEqual({
      Foundation: 7,
      'Runner Reliability': 14,
      'VM Isolation': 13,
      'Chat Experience': 4,
      Constitution: 8,
      'Autonomous Orchestration': 21,
      Economy: 8,
      Visualization: 10,
      'Run Estimation': 5,
      'Multi-Repo': 2,
      'Testing & Quality': 5,
      '(none)': 14,
    });
  });

  it('reads headings with extra words and short group names', () => {
    const byId = new Map(spec.mapping.map((entry) => [entry.id, entry]));
    expect(byId.get('WO-2025-001')).toMatchObject({group: 'Foundation (WO-2025-001 through WO-2025-008, excluding some)', track: 'Foundation'});
    expect(byId.get('WO-2026-042')?.track).toBe('Chat Experience');
    expect(byId.get('WO-2026-053')?.track).toBe('Testing & Quality');
    expect(byId.get('WO-2026-115')).toMatchObject({group: 'Tracks Meta (self-referential)', track: null});
    expect(byId.get('WO-2025-007')).toMatchObject({group: 'Uncategorized', track: null});
  });

  it('gives the same result with CRLF line endings and a BOM', () => {
    const crlf = parseTrackSpec(`\uFEFF${SEED_TEXT.replace(/\n/g, '\r\n')}`, 'crlf.md');
    expect(crlf.problems).toEqual([]);
    expect(crlf.tracks).toEqual(seedSpec().tracks);
    expect(crlf.mapping).toEqual(seedSpec().mapping);
  });
});

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

describe('bad specs get messages with line numbers', () => {
  it('a color that is not #RRGGBB', () => {
    const text = SEED_TEXT.replace('| #14B8A6 |', '| teal |');
    const spec = parseTrackSpec(text, 'bad.md');
    expect(specErrors(spec)).toEqual([
      {line: lineOf(text, '| teal |'), level: 'error', message: expect.stringContaining('track "Economy" has color "teal", which is not #RRGGBB')},
    ]);
    expect(spec.tracks.find((track) => track.name === 'Economy')?.color).toBeNull();
  });

  it('a WO listed under two groups', () => {
    const text = SEED_TEXT.replace('- WO-2026-037: Cost metering', '- WO-2026-037: Cost metering\n- WO-2026-020: Git Worktree Isolation');
    const spec = parseTrackSpec(text, 'bad.md');
    const errors = specErrors(spec);
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(lineOf(text, '- WO-2026-037: Cost metering') + 1);
    expect(errors[0].message).toMatch(/WO-2026-020 is listed under "Economy" and under "Runner Reliability" \(line \d+\)/);
    // The first placement stands.
    expect(spec.mapping.find((entry) => entry.id === 'WO-2026-020')?.track).toBe('Runner Reliability');
  });

  it('a group that matches no track', () => {
    const text = SEED_TEXT.replace('### Economy', '### Finance');
    const spec = parseTrackSpec(text, 'bad.md');
    const errors = specErrors(spec);
    expect(errors).toEqual([{line: lineOf(text, '### Finance'), level: 'error', message: expect.stringContaining('group "Finance" matches no track')}]);
    expect(spec.mapping.some((entry) => entry.id === 'WO-2026-037')).toBe(false);
  });

  it('a malformed mapping line', () => {
    const text = SEED_TEXT.replace('- WO-2026-037: Cost metering', '- WO2026-037 Cost metering');
    const spec = parseTrackSpec(text, 'bad.md');
    expect(specErrors(spec)).toEqual([{line: lineOf(text, '- WO2026-037'), level: 'error', message: expect.stringContaining('is not a mapping line')}]);
    expect(spec.mapping).toHaveLength(110);
  });

  it('a file without the sections', () => {
    const spec = parseTrackSpec('---\nid: WO-1\n---\n# Nothing here\n', 'empty.md');
    expect(specErrors(spec).map((problem) => problem.message)).toEqual([
      expect.stringContaining('no "## Track Definitions" section'),
      expect.stringContaining('no "## Assignment Mapping" section'),
    ]);
  });
});

it('normalizes track names for matching', () => {
  expect(normalizeTrackName('  Testing &  Quality ')).toBe('testing & quality');
  // Names that only look alike are other tracks.
  expect(normalizeTrackName('Foundation (legacy)')).not.toBe(normalizeTrackName('Foundation'));
  expect(normalizeTrackName('A & B')).not.toBe(normalizeTrackName('A and B'));
});
