import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {loadWorkOrdersFromFolder, LoadError} from '../../src/workorders/local-loader.js';
import {hasUnsafeCharacters, sanitizeText} from '../../src/workorders/sanitize.js';
import {formatProblem} from '../../src/workorders/work-order.js';
import {SAMPLE_WORK_ORDERS, workOrderFile, writeWorkOrders} from '../helpers/fixtures.js';

const GOOD = {'WO-2026-001.md': workOrderFile('WO-2026-001'), 'WO-2026-002.md': workOrderFile('WO-2026-002')};

/** Loads a folder with the two good files plus `extra`, checks the good ones survived. */
function loadWith(extra: Record<string, string | Buffer>) {
  const result = loadWorkOrdersFromFolder(writeWorkOrders({...GOOD, ...extra}));
  const ids = result.workOrders.map((wo) => wo.id);
  expect(ids).toContain('WO-2026-001');
  expect(ids).toContain('WO-2026-002');
  return {...result, messages: result.problems.map(formatProblem), byId: new Map(result.workOrders.map((wo) => [wo.id, wo]))};
}

describe('loading a work_orders folder', () => {
  it('front matter that is not valid YAML: error with file and line, fields recovered', () => {
    const broken = ['---', 'id: WO-2026-118', 'title: Track Filter', 'status: backlog', 'acceptance_criteria:', '  - "Filter by Track" dropdown in WO list header', 'tags: [tracks, ui]', 'depends_on:', '  - WO-2026-114', '---', 'Body'].join('\n');
    const {messages, byId} = loadWith({'WO-2026-118.md': broken});
    expect(messages).toEqual([expect.stringMatching(/^WO-2026-118\.md:6: front matter is not valid YAML \(.+\); quote the value or fix the line/)]);
    expect(byId.get('WO-2026-118')).toMatchObject({title: 'Track Filter', status: 'backlog', tags: ['tracks', 'ui'], dependsOn: ['WO-2026-114'], recovered: true});
  });

  it('a WO file with no front matter is planned from its name and reported', () => {
    const {messages, byId} = loadWith({'WO-2026-050.md': '# WO-2026-050: Resourceful agent posture\n\nText.\n'});
    expect(messages).toEqual([expect.stringContaining('WO-2026-050.md: has no front matter')]);
    expect(byId.get('WO-2026-050')).toMatchObject({title: 'Resourceful agent posture', recovered: true});
  });

  it('a README in the folder is skipped with a note', () => {
    const {problems, workOrders} = loadWith({'README.md': '# Work orders\n'});
    expect(workOrders).toHaveLength(2);
    expect(problems).toEqual([{file: 'README.md', level: 'note', message: 'is not a work order (no front matter); skipped'}]);
  });

  it('duplicate ids keep the first file and name both', () => {
    const {messages, byId, workOrders} = loadWith({'WO-2026-001b.md': workOrderFile('WO-2026-001', {goal: 'copy'})});
    expect(workOrders).toHaveLength(2);
    expect(byId.get('WO-2026-001')?.goal).toBeNull();
    expect(messages).toEqual(['WO-2026-001b.md: repeats id WO-2026-001 already used by WO-2026-001.md; it is ignored until one of them is renumbered']);
  });

  it('unknown statuses are kept and noted', () => {
    const {messages, byId} = loadWith({'WO-2026-003.md': workOrderFile('WO-2026-003').replace('status: ready', 'status: deprecated')});
    expect(byId.get('WO-2026-003')?.status).toBe('deprecated');
    expect(messages).toEqual([expect.stringContaining('has status "deprecated", which PCC does not list')]);
  });

  it('inline and block YAML lists read the same', () => {
    const inline = '---\nid: WO-2026-004\ntitle: T\ntags: [vm, "sync"]\ndepends_on: [WO-2026-001, other-repo:WO-2026-009]\n---\n';
    const block = '---\nid: WO-2026-005\ntitle: T\ntags:\n  - vm\n  - sync\ndepends_on:\n  - WO-2026-001\n  - other-repo:WO-2026-009\n---\n';
    const {byId, problems} = loadWith({'WO-2026-004.md': inline, 'WO-2026-005.md': block});
    expect(problems).toEqual([]);
    expect(byId.get('WO-2026-004')?.tags).toEqual(['vm', 'sync']);
    expect(byId.get('WO-2026-004')?.dependsOn).toEqual(byId.get('WO-2026-005')?.dependsOn);
    expect(byId.get('WO-2026-005')?.dependsOn).toEqual(['WO-2026-001', 'other-repo:WO-2026-009']);
  });

  it('created and created_at, quoted and unquoted dates', () => {
    const {byId} = loadWith({
      'WO-2026-006.md': '---\nid: WO-2026-006\ntitle: T\ncreated: 2026-01-15\n---\n',
      'WO-2026-007.md': '---\nid: WO-2026-007\ntitle: T\ncreated_at: "2026-01-16"\nupdated_at: 2026-01-17T10:00:00Z\n---\n',
    });
    expect(byId.get('WO-2026-006')?.createdAt).toBe('2026-01-15');
    expect(byId.get('WO-2026-007')?.createdAt).toBe('2026-01-16');
    expect(byId.get('WO-2026-007')?.updatedAt).toBe('2026-01-17T10:00:00.000Z');
  });

  it('CRLF line endings and a BOM', () => {
    const crlf = workOrderFile('WO-2026-008').replace(/\n/g, '\r\n');
    const bom = `\uFEFF${workOrderFile('WO-2026-009')}`;
    const {byId, problems} = loadWith({'WO-2026-008.md': crlf, 'WO-2026-009.md': bom});
    expect(problems).toEqual([]);
    expect(byId.get('WO-2026-008')).toMatchObject({title: 'Title of WO-2026-008', tags: ['alpha']});
    expect(byId.get('WO-2026-009')).toMatchObject({title: 'Title of WO-2026-009', status: 'ready'});
  });

  it('a huge file is read only as far as its front matter', () => {
    const huge = `${workOrderFile('WO-2026-010')}${'lorem ipsum '.repeat(300_000)}`;
    const {byId, messages} = loadWith({'WO-2026-010.md': huge});
    expect(byId.get('WO-2026-010')?.title).toBe('Title of WO-2026-010');
    expect(messages).toEqual([expect.stringMatching(/^WO-2026-010\.md: is 3\.4 MB; only its first 256 KB were read$/)]);
  });

  it('files at the size limit, a linked file and a folder named like a WO', async () => {
    const {mkdirSync, symlinkSync, writeFileSync} = await import('node:fs');
    const head = workOrderFile('WO-2026-012');
    // Exactly 1 MB is read whole; one byte more is read only as far as its first 256 KB.
    const exact = head + 'x'.repeat(1024 * 1024 - head.length);
    const over = workOrderFile('WO-2026-013') + 'y'.repeat(1024 * 1024);
    const dir = writeWorkOrders({...GOOD, 'WO-2026-012.md': exact, 'WO-2026-013.md': over});
    writeFileSync(path.join(dir, '..', 'elsewhere.md'), workOrderFile('WO-2026-014'));
    symlinkSync(path.join(dir, '..', 'elsewhere.md'), path.join(dir, 'WO-2026-014.md'));
    mkdirSync(path.join(dir, 'WO-2026-015.md'));
    const result = loadWorkOrdersFromFolder(dir);
    expect(result.workOrders.map((wo) => wo.id)).toEqual(['WO-2026-001', 'WO-2026-002', 'WO-2026-012', 'WO-2026-013', 'WO-2026-014']);
    expect(result.problems.map(formatProblem)).toEqual(['WO-2026-013.md: is 1.0 MB; only its first 256 KB were read']);
  });

  it('control characters and escape sequences in titles: raw kept, safe copy for the screen', () => {
    const file = '---\nid: WO-2026-011\ntitle: "\\e[31mRED\\e[0m \\e]0;owned\\a title\\r\\nnext\\u202Eevil"\n---\n';
    const {byId} = loadWith({'WO-2026-011.md': file});
    const wo = byId.get('WO-2026-011')!;
    expect(wo.title).toContain('\u001B[31m');
    expect(wo.safeTitle).toBe('RED title nextevil');
    expect(hasUnsafeCharacters(wo.title)).toBe(true);
    expect(hasUnsafeCharacters(wo.safeTitle)).toBe(false);
  });

  it('ids that read the same on screen (case, invisible characters) are both kept, with a warning naming both', () => {
    const {messages, byId} = loadWith({
      'WO-2026-004.md': workOrderFile('WO-2026-004'),
      'WO-2026-004b.md': '---\nid: "WO-2026-004\\u200B"\ntitle: Twin\n---\n',
      'WO-2026-005.md': workOrderFile('WO-2026-005'),
      'wo-2026-005.md': '---\nid: wo-2026-005\ntitle: Lower\n---\n',
    });
    expect(byId.has('WO-2026-004\u200B')).toBe(true);
    expect(messages).toEqual([
      'WO-2026-004b.md: has id "WO-2026-004\\u{200b}", which reads the same as "WO-2026-004" in WO-2026-004.md (it differs in case or in invisible characters); renumber one so that nobody mistakes one for the other',
      'wo-2026-005.md: has id "wo-2026-005", which reads the same as "WO-2026-005" in WO-2026-005.md (it differs in case or in invisible characters); renumber one so that nobody mistakes one for the other',
    ]);
  });

  it('a file saved as UTF-16 is named as such, whatever its name, not skipped in silence', () => {
    const utf16 = (text: string, bigEndian: boolean) => {
      const bytes = Buffer.from(`\uFEFF${text}`, 'utf16le');
      return bigEndian ? bytes.swap16() : bytes;
    };
    const {messages, workOrders} = loadWith({'notes.md': utf16('---\nid: WO-2026-040\ntitle: Saved by Notepad\n---\n', false), 'WO-2026-041.md': utf16('---\nid: WO-2026-041\ntitle: Big endian\n---\n', true)});
    expect(workOrders.map((wo) => wo.id)).toEqual(['WO-2026-001', 'WO-2026-002']);
    expect(messages).toEqual(['WO-2026-041.md: is saved as UTF-16, which PCC cannot read; save it as UTF-8 (it is skipped)', 'notes.md: is saved as UTF-16, which PCC cannot read; save it as UTF-8 (it is skipped)']);
  });

  it('a file without an id nor a WO-like name is an error and skipped', () => {
    const {messages, workOrders} = loadWith({'notes.md': '---\ntitle: Loose notes\n---\n'});
    expect(workOrders).toHaveLength(2);
    expect(messages).toEqual([expect.stringContaining('notes.md: has no id in its front matter')]);
  });

  it('a missing folder is one sentence', () => {
    expect(() => loadWorkOrdersFromFolder('/nonexistent/work_orders')).toThrow(new LoadError('The work orders folder /nonexistent/work_orders does not exist; pass --work-orders with the path to a work_orders/ folder.'));
  });
});

describe('the sample work orders in assets/', () => {
  const {workOrders, problems} = loadWorkOrdersFromFolder(SAMPLE_WORK_ORDERS);

  it('load all 117 WOs, the broken one recovered, and report each messy file', () => {
    expect(workOrders).toHaveLength(117);
    expect(problems.map(formatProblem)).toEqual([
      'README.md: is not a work order (no front matter); skipped',
      'WO-2026-096.md: WO-2026-096 has status "archived", which PCC does not list; it is kept as is',
      expect.stringMatching(/^WO-2026-118\.md:9: front matter is not valid YAML/),
    ]);
  });

  it('sanitises the title with escape sequences', () => {
    const wo = workOrders.find((candidate) => candidate.id === 'WO-2026-125')!;
    expect(wo.title).toMatch(/\u001B\[31m/);
    expect(wo.safeTitle).toBe('URGENT Run log viewer');
  });
});

it('sanitizeText folds whitespace and drops C1 controls', () => {
  expect(sanitizeText('a\tb\u0085c\u009B31md')).toBe('a bcd');
});

it('sanitizeText drops invisible and direction characters, tag characters included, and folds line separators', () => {
  const tags = String.fromCodePoint(0xe0041, 0xe007f);
  expect(sanitizeText(`Pay\u00ADment\u034F \u061Cfix\u180E${tags}\u2028next\u2029 line`)).toBe('Payment fix next line');
  expect(hasUnsafeCharacters(`a${tags}`)).toBe(true);
  expect(hasUnsafeCharacters('a\u061Cb')).toBe(true);
  expect(hasUnsafeCharacters('Économie — 経済 🚀')).toBe(false);
});

it('--json escapes what sanitizing drops, tag characters as their UTF-16 pairs, and stays valid JSON', async () => {
  const {safeJson} = await import('../../src/cli/json-lines.js');
  const value = {title: `a\u061Cb\u2028c${String.fromCodePoint(0xe0041)}d\u00ADe`};
  const text = safeJson(value);
  expect(text).toBe('{"title":"a\\u061cb\\u2028c\\udb40\\udc41d\\u00ade"}');
  expect(JSON.parse(text)).toEqual(value);
});

it('track names: a flag made of tag characters and a soft hyphen are fine, a zero-width space or bidi mark is not', async () => {
  const {isTrackName} = await import('../../src/spec/spec-parser.js');
  expect(isTrackName('Scotland 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} office')).toBe(true);
  expect(isTrackName('Infra\u00ADstructure')).toBe(true);
  expect(isTrackName('Eco\u200Bnomy')).toBe(false);
  expect(isTrackName('Eco\u061Cnomy')).toBe(false);
});

it('sanitizeLines breaks at line and paragraph separators as at newlines', async () => {
  const {sanitizeLines} = await import('../../src/workorders/sanitize.js');
  expect(sanitizeLines('one\u2028two\u2029three\nfour\u001B[2J')).toBe('one\ntwo\nthree\nfour');
});
