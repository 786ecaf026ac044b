import {isDeepStrictEqual} from 'node:util';
import matter from 'gray-matter';
import yaml from 'js-yaml';
import {describe, expect, it} from 'vitest';
// Seeded, so a failing case can be replayed.
import {random} from '../../bench/generate.js';
import {readPlainYaml, splitFrontMatter} from '../../src/workorders/plain-front-matter.js';
import {isEmptyBlock, readFrontMatter} from '../../src/workorders/front-matter.js';

/** The reference: gray-matter with js-yaml 4 as its engine, as PCC-style readers use it (null when it throws). */
function general(text: string): {data: unknown; body: string} | null {
  try {
    const parsed = matter(text, {engines: {yaml: (source: string) => (yaml.load(source) ?? {}) as object}});
    return {data: parsed.data, body: parsed.content};
  } catch {
    return null;
  }
}

// Values chosen at the edges of YAML's typing and syntax.
const VALUES = [
  'plain words', 'true', 'True', 'TRUE', 'tRue', 'yes', 'no', 'on', 'null', 'Null', 'NULL', 'nUll', '~', '~113 WOs', '0', '00', '007', '12',
  '123456789012345', '1234567890123456', '-1', '+1', '1.5', '.5', '.inf', '.NaN', '1e3', '1_000', '0x1F', '0o17', '0b11', '2026-01-05',
  '2026-13-45', '2026-1-5', '2026-01-05 10:00:00', '2026-01-05T10:00:00Z', '0.9 broke it', '11 tracks', '3 things: x', 'a: b', 'a:b',
  'a #b', 'a#b', '#x', '-x', '- x', '-', '--', '? x', '?x', ':x', 'x:', '[a, b]', '[a,b', '[]', '[ ]', '[a,,b]', '[a, b,]', `['a', "b"]`,
  `['a''s', 1, true, ~, 2026-02-03]`, '[a: b]', '[a b, c d ]', '[a] x', '{a: b}', '&a x', '*a', '!tag x', '|', '>', '%x', '@x', '`x',
  '<<', '<x', '"q"', '"q\\"x"', `'q''s'`, `'q'x`, `'q' `, '"open', 'x  y', 'x\ty', 'x   ', '日本語', 'emoji 😀', '\u0085x', 'x\u2028y',
  '\u001b[31mred', 'a,b', 'a]b', 'a[b', 'a{b}', 'http://x.y/z?q=1#f', 'C:\\path', '=', '.hidden', '..', '...', '---', 'x ---', '"a # b"',
  `'a: b'`, '""', `''`, 'x\u00a0y', '\u00a0x', 'x\u3000', 'WO-2026-001 through 004',
];
const KEYS = ['id', 'title', 'a-b', 'a_b', 'A', 'true', 'null', '1', '_x', '__proto__', 'a b', 'tags', 'key'];

function randomFrontMatter(next: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const lines: string[] = [];
  const count = 1 + Math.floor(next() * 5);
  for (let field = 0; field < count; field++) {
    const key = next() < 0.8 ? pick(KEYS.slice(0, 2)) + (next() < 0.7 ? String(field) : '') : pick(KEYS);
    const shape = next();
    if (shape < 0.5) lines.push(`${key}: ${pick(VALUES)}`);
    else if (shape < 0.55) lines.push(`${key}:${pick(VALUES)}`);
    else if (shape < 0.6) lines.push(`${key}:   ${pick(VALUES)}`);
    else {
      lines.push(`${key}:${next() < 0.1 ? '  ' : ''}`);
      const indent = pick(['', '  ', '    ']);
      const items = Math.floor(next() * 4);
      for (let item = 0; item < items; item++) {
        const odd = next();
        if (odd < 0.05) lines.push('');
        else if (odd < 0.08) lines.push('# note');
        else if (odd < 0.1) lines.push(`${indent}  # note`);
        else if (odd < 0.13) lines.push(`${indent}  more`);
        else if (odd < 0.15) lines.push(`${pick(['', '  ', '    ', ' '])}- ${pick(VALUES)}`);
        else if (odd < 0.17) lines.push(`${indent}-${pick(VALUES)}`);
        else if (odd < 0.19) lines.push(`${indent}-`);
        else lines.push(`${indent}- ${pick(VALUES)}`);
      }
    }
    if (next() < 0.05) lines.push(pick(['  continued', '\tx', '# comment', '   ', '...', '? x']));
  }
  return `---\n${lines.join('\n')}\n---\n${next() < 0.5 ? '\n' : ''}Body WO-2026-001\n`;
}

/** Fields and body of a file by the fast path alone, or null where it steps aside. */
function readPlainFrontMatter(text: string): {data: Record<string, unknown>; body: string} | null {
  const split = splitFrontMatter(text);
  const data = split ? readPlainYaml(split.block) : null;
  return split && data ? {data, body: split.body} : null;
}

/** `count` generated front matters from one seed. */
function* randomFrontMatters(seed: number, count: number): Generator<string> {
  const next = random(seed);
  for (let round = 0; round < count; round++) yield randomFrontMatter(next);
}

describe('plain front matter fast path', () => {
  it('gives exactly what gray-matter with js-yaml gives, or steps aside', () => {
    let accepted = 0;
    for (const text of randomFrontMatters(20261124, 4000)) {
      const plain = readPlainFrontMatter(text);
      if (!plain) continue;
      accepted++;
      const expected = general(text);
      if (!expected || !isDeepStrictEqual(plain, expected)) {
        expect({text, plain}).toEqual({text, plain: expected});
      }
    }
    // The generator reaches both sides: most documents hold something the fast path declines.
    expect(accepted).toBeGreaterThan(300);
    expect(accepted).toBeLessThan(3600);
  });

  it('the whole reader, fast path or not, gives the fields gray-matter gives', () => {
    let compared = 0;
    for (const text of randomFrontMatters(7, 1500)) {
      const expected = general(text);
      const read = readFrontMatter(text, 'x.md');
      if (!expected) {
        expect(read.recovered).toBe(true);
        continue;
      }
      if (typeof expected.data !== 'object' || Array.isArray(expected.data)) continue;
      compared++;
      expect({text, data: read.data, body: read.body, problems: read.problems}).toEqual({text, ...expected, problems: []});
    }
    expect(compared).toBeGreaterThan(500);
    // Edges of the delimiters themselves.
    const edges = ['---\nid: WO-2026-001\ntitle: Real\n--- # end of front matter\nid: WO-2026-999\nstatus: done\n', '---\nid: a\n---x\nbody', '---  \nid: a\n---\nbody', '---\nid: a\n---x\nbody\n---\n', '---\nid: a\n----\nbody\n---\nmore', '---\n# only a comment\n---\nbody', '---\n---\nbody', '---\n\n---\n\n\nbody', '---\nid: a\n---'];
    for (const text of edges) {
      const read = readFrontMatter(text, 'x.md');
      expect({text, data: read.data, body: read.body}).toEqual({text, ...general(text)});
    }
  });

  it('judges a block of comments and blank lines empty as gray-matter does, in time linear in its length', () => {
    const reference = (block: string) => block.replace(/^\s*#[^\n]+/gm, '').trim() === '';
    const lines = ['', '  ', '\t', '#', '# c', '  # c', '\u00a0# c', '\u3000#c', '#\u00a0', '\r', 'a: 1', ' #', '##', 'x # y'];
    const next = random(11);
    for (let round = 0; round < 3000; round++) {
      const block = Array.from({length: 1 + Math.floor(next() * 5)}, () => lines[Math.floor(next() * lines.length)]).join('\n');
      expect({block, empty: isEmptyBlock(block)}).toEqual({block, empty: reference(block)});
    }
    // A long run of blank lines in a block the fast path leaves to js-yaml: read, not stalled.
    const text = `---\nid: WO-2026-001\ntitle: t\nx: [\n${'\n'.repeat(300_000)}---\nbody\n`;
    const read = readFrontMatter(text, 'x.md');
    expect(read.recovered).toBe(true);
    expect(read.data).toMatchObject({id: 'WO-2026-001', title: 't'});
  });

  it('types each edge value as js-yaml does, inline, in lists and in flow lists', () => {
    let accepted = 0;
    for (const value of VALUES) {
      for (const shape of [`k: ${value}`, `k:\n  - ${value}`, `k:\n- ${value}`, `k: [${value}]`, `k: [${value}, x]`, `k:  ${value}  `]) {
        const text = `---\n${shape}\n---\nbody`;
        const plain = readPlainFrontMatter(text);
        if (!plain) continue;
        accepted++;
        expect({shape, ...plain}).toEqual({shape, ...general(text)});
      }
    }
    expect(accepted).toBeGreaterThan(200);
  });

  it('trims only spaces, and steps aside for characters js-yaml refuses anywhere (comments too)', () => {
    const cases = ['k: \u00a0x', 'k: x\u2028', 'k: \u00a0', 'k: [a\u3000]', 'k:\n  - \u00a0', 'k: \ufeffx', 'k: \u000bx', 'a: 1\n# c\rb: 2', 'k: \rfoo', 'a: 1\n# \u0000'];
    for (const block of cases) {
      const text = `---\n${block}\n---\nb`;
      const plain = readPlainFrontMatter(text);
      if (plain) expect({block, ...plain}).toEqual({block, ...general(text)});
    }
    expect(readPlainFrontMatter('---\nk: \u00a0x\n---\nb')?.data).toEqual({k: '\u00a0x'});
    expect(readPlainFrontMatter('---\na: 1\n# \u0000\n---\nb')).toBeNull();
  });

  it('reads a typical WO: scalars, dates, numbers, both list forms', () => {
    const text = ['---', 'id: WO-2026-120', "title: 'It''s the runner'", 'priority: 2', 'created_at: 2026-02-03', 'tags: [runner, vm]', 'depends_on:', '  - WO-2026-100', '  - WO-2026-101', 'non_goals: []', 'era:', 'context:', '- 0.9 broke the runner', '---', '', 'Body'].join('\n');
    expect(readPlainFrontMatter(text)).toEqual({
      data: {id: 'WO-2026-120', title: "It's the runner", priority: 2, created_at: new Date(Date.UTC(2026, 1, 3)), tags: ['runner', 'vm'], depends_on: ['WO-2026-100', 'WO-2026-101'], non_goals: [], era: null, context: ['0.9 broke the runner']},
      body: '\nBody',
    });
  });

  it('steps aside for escapes, comments, nesting, block scalars and repeated keys', () => {
    for (const odd of ['title: "a \\"b\\""', 'title: a # note', 'title: |\n  text', 'meta:\n  owner: x', 'id: a\nid: b', 'title: ~113 left: x', '  id: x']) {
      expect(readPlainFrontMatter(`---\n${odd}\n---\nBody\n`)).toBeNull();
    }
  });

  it('the loader gives the same fields and problems whichever path a file takes', () => {
    const text = ['---', 'id: WO-2026-121', 'title: Fast path', 'tags:', '  - a', '---', 'see WO-2026-100'].join('\n');
    const withComment = text.replace('title: Fast path', 'title: Fast path # comment');
    const fast = readFrontMatter(text, 'a.md');
    const slow = readFrontMatter(withComment, 'a.md');
    expect(readPlainFrontMatter(withComment)).toBeNull();
    expect(fast).toEqual(slow);
  });
});
