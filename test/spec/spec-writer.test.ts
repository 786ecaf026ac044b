import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {parseTrackSpec} from '../../src/spec/spec-parser.js';
import {writeMapping} from '../../src/spec/spec-writer.js';
import {SEED_SPEC_FILE} from '../helpers/fixtures.js';

const seed = readFileSync(SEED_SPEC_FILE, 'utf8');

/** Lines removed and added, as a unified diff would list them. */
function diff(before: string, after: string): {removed: string[]; added: string[]} {
  const a = before.split('\n');
  const b = after.split('\n');
  return {removed: a.filter((line) => !b.includes(line)), added: b.filter((line) => !a.includes(line))};
}

describe('writing review decisions into the spec', () => {
  it('moves a line from its group to another, and nothing else changes', () => {
    const {text, moved} = writeMapping(seed, [{id: 'WO-2025-003', title: 'Kanban Work Orders CRUD', track: 'Chat Experience'}]);
    expect(moved).toHaveLength(1);
    expect(diff(seed, text)).toEqual({removed: [], added: []});
    expect(text.split('\n').length).toBe(seed.split('\n').length);
    const spec = parseTrackSpec(text, 'spec');
    expect(spec.mapping.find((entry) => entry.id === 'WO-2025-003')).toMatchObject({track: 'Chat Experience', group: 'Chat Experience'});
    // The line now ends the Chat Experience group.
    const lines = text.split('\n');
    const at = lines.indexOf('- WO-2025-003: Kanban Work Orders CRUD');
    expect(lines[at - 1]).toBe('- WO-2026-042: Chat Worktree Isolation');
    expect(lines[at + 1]).toBe('');
  });

  it('"no track" goes under Uncategorized; a WO the mapping lacked is added; re-parsing gives the decisions', () => {
    const {text} = writeMapping(seed, [
      {id: 'WO-2026-020', title: 'Git Worktree Isolation', track: null},
      {id: 'WO-2026-120', title: 'New \u001b[31mthing', track: 'Economy'},
    ]);
    const spec = parseTrackSpec(text, 'spec');
    expect(spec.problems.filter((problem) => problem.level === 'error')).toEqual([]);
    expect(spec.mapping.find((entry) => entry.id === 'WO-2026-020')).toMatchObject({track: null, group: 'Uncategorized'});
    expect(spec.mapping.find((entry) => entry.id === 'WO-2026-120')).toMatchObject({track: 'Economy', title: 'New thing'});
    expect(diff(seed, text)).toEqual({removed: [], added: ['- WO-2026-120: New thing']});
    expect(text.split('\n').length).toBe(seed.split('\n').length + 1);
  });

  it('adds a group that does not exist yet at the end of the mapping section, before the next section', () => {
    const spec = seed.replace(/### Multi-Repo\n- WO-2026-098: Cross-Project WO Dependencies\n- WO-2026-099: Initiative Decomposition\n\n/, '');
    const {text} = writeMapping(spec, [{id: 'WO-2026-098', title: 'Cross-Project WO Dependencies', track: 'Multi-Repo'}]);
    expect(text).toContain('- WO-2026-052: Convert scope creep into backlog WOs\n\n### Multi-Repo\n- WO-2026-098: Cross-Project WO Dependencies\n\n## Implementation');
  });

  it('keeps CRLF line ends and a BOM byte for byte', () => {
    const crlf = `\uFEFF${seed.replace(/\n/g, '\r\n')}`;
    const {text} = writeMapping(crlf, [{id: 'WO-2025-003', title: 'Kanban Work Orders CRUD', track: null}]);
    expect(text.startsWith('\uFEFF---\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '').includes('\n')).toBe(false);
    expect(text.length).toBe(crlf.length);
  });

  it('writes nothing for decisions the spec already holds, or for tracks outside its table', () => {
    const {text, moved} = writeMapping(seed, [
      {id: 'WO-2025-001', title: 'x', track: 'Foundation'},
      {id: 'WO-2025-007', title: 'x', track: null},
      {id: 'WO-2026-001', title: 'x', track: 'Ops'},
    ]);
    expect(moved).toEqual([]);
    expect(text).toBe(seed);
  });
});

describe('writing decisions into awkward specs', () => {
  it('a lone CR inside a line counts as a line end, as the parser counts it: the right line moves', () => {
    const odd = seed.replace('- WO-2025-002: Repo discovery + sidecar', '- WO-2025-002: Repo discovery\rand sidecar');
    const {text} = writeMapping(odd, [{id: 'WO-2025-005', title: 'Settings UI', track: null}]);
    const spec = parseTrackSpec(text, 'spec');
    expect(spec.problems.filter((problem) => problem.level === 'error')).toEqual([]);
    expect(spec.mapping.find((entry) => entry.id === 'WO-2025-005')).toMatchObject({track: null});
    expect(spec.mapping.find((entry) => entry.id === 'WO-2025-004')).toMatchObject({track: 'Foundation'});
    expect(text).toContain('- WO-2025-002: Repo discovery\rand sidecar');
  });

  it('a WO listed twice in its group leaves with both lines, so the spec still parses', () => {
    const twice = seed.replace('- WO-2025-003: Kanban Work Orders CRUD\n', '- WO-2025-003: Kanban Work Orders CRUD\n- WO-2025-003: Kanban Work Orders CRUD\n');
    const {text} = writeMapping(twice, [{id: 'WO-2025-003', title: 'Kanban Work Orders CRUD', track: 'Economy'}]);
    const spec = parseTrackSpec(text, 'spec');
    expect(spec.problems.filter((problem) => problem.level === 'error')).toEqual([]);
    expect(text.match(/WO-2025-003/g)).toHaveLength(1);
    expect(spec.mapping.find((entry) => entry.id === 'WO-2025-003')).toMatchObject({track: 'Economy'});
  });
});

it('a listed WO moves with its line as written, its note included', () => {
  const {text} = writeMapping(seed, [{id: 'WO-2025-007', title: 'iMessage notifier', track: 'Chat Experience'}]);
  expect(text).toContain('- WO-2025-007: iMessage notifier (notifications, could be its own small track or uncategorized)');
  expect(parseTrackSpec(text, 'spec').mapping.find((entry) => entry.id === 'WO-2025-007')).toMatchObject({track: 'Chat Experience'});
});
