import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';

// Synthetic projects for the benchmark: realistic shapes (tags, dependencies, titles), a spec
// that maps most WOs, and the rest left for suggestions. Deterministic for a given N.

const VOCABULARY: Record<string, {tags: string[]; words: string[]}> = {
  Foundation: {tags: ['scaffold', 'repos', 'settings', 'ui'], words: ['scaffold', 'charter', 'settings', 'discovery', 'sidecar', 'kanban']},
  'Runner Reliability': {tags: ['runner', 'worktree', 'builder', 'git'], words: ['runner', 'worktree', 'iteration', 'merge', 'lock', 'baseline']},
  'VM Isolation': {tags: ['vm', 'containers', 'sync', 'security'], words: ['vm', 'container', 'provisioning', 'sync', 'secrets', 'cleanup']},
  'Chat Experience': {tags: ['chat', 'sse', 'approvals'], words: ['chat', 'thread', 'attention', 'realtime', 'approval']},
  Constitution: {tags: ['constitution', 'prompts', 'signals'], words: ['constitution', 'governance', 'synthesis', 'signal', 'editor']},
  'Autonomous Orchestration': {tags: ['shift', 'agents', 'handoff', 'global'], words: ['shift', 'handoff', 'agent', 'escalation', 'global', 'roadmap']},
  Economy: {tags: ['cost', 'budget', 'metering'], words: ['cost', 'budget', 'metering', 'earning', 'allocation']},
  Visualization: {tags: ['canvas', 'dashboard', 'graph'], words: ['canvas', 'graph', 'timeline', 'heatmap', 'dashboard']},
  'Run Estimation': {tags: ['eta', 'metrics', 'estimation'], words: ['estimate', 'eta', 'phase', 'average', 'duration']},
  'Multi-Repo': {tags: ['cross-project', 'initiatives'], words: ['cross', 'repo', 'initiative', 'dependency']},
  'Testing & Quality': {tags: ['testing', 'flaky', 'e2e'], words: ['test', 'flaky', 'smoke', 'isolation', 'gate']},
};
const TRACKS = Object.keys(VOCABULARY);
const FILLER = ['improve', 'refine', 'extend', 'rework', 'harden', 'document', 'measure', 'streamline'];

/** A small deterministic pseudo-random generator (mulberry32). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type GeneratedProject = {dir: string; workOrdersDir: string; specFile: string; count: number; mapped: number};

/** Writes N WOs and a spec mapping about 85% of them; with `singleTrack`, all mapped WOs go to one track. */
export function generateProject(root: string, count: number, seedFile: string, options: {singleTrack?: boolean} = {}): GeneratedProject {
  const next = random(count * 7919);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const dir = path.join(root, `project-${count}${options.singleTrack ? '-one-track' : ''}`);
  const workOrdersDir = path.join(dir, 'work_orders');
  mkdirSync(workOrdersDir, {recursive: true});
  const byTrack = new Map<string, {id: string; title: string}[]>(TRACKS.map((track) => [track, []]));
  let mapped = 0;
  for (let index = 1; index <= count; index++) {
    const id = `WO-2030-${String(index).padStart(5, '0')}`;
    const track = options.singleTrack ? TRACKS[1] : pick(TRACKS);
    const vocabulary = VOCABULARY[track];
    const title = `${pick(FILLER)} ${pick(vocabulary.words)} ${pick(vocabulary.words)} ${index}`.replace(/^./, (c) => c.toUpperCase());
    const tags = [...new Set([pick(vocabulary.tags), pick(vocabulary.tags), next() < 0.2 ? pick(VOCABULARY[pick(TRACKS)].tags) : null].filter(Boolean))];
    const siblings = byTrack.get(track)!;
    const depends = siblings.length && next() < 0.7 ? [siblings[Math.floor(next() * siblings.length)].id] : [];
    const status = pick(['backlog', 'ready', 'building', 'done', 'done', 'done']);
    // Context and criteria in the track's words, with a mention now and then: what similarity and links read.
    const context = [`${pick(FILLER)} ${pick(vocabulary.words)} and ${pick(vocabulary.words)} for the ${pick(vocabulary.words)} flow`, siblings.length && next() < 0.3 ? `follow-up to ${siblings[Math.floor(next() * siblings.length)].id}` : `keeps ${pick(vocabulary.words)} ${pick(FILLER)}`];
    const criteria = [`${pick(vocabulary.words)} ${pick(FILLER)} works end to end`, `${pick(vocabulary.words)} covered by a test`];
    const text = ['---', `id: ${id}`, `title: ${title}`, `goal: ${pick(FILLER)} the ${pick(vocabulary.words)} path`, 'context:', ...context.map((line) => `  - ${line}`), 'acceptance_criteria:', ...criteria.map((line) => `  - ${line}`), 'priority: 3', `tags: [${tags.join(', ')}]`, `status: ${status}`, 'created_at: 2030-01-01', 'updated_at: 2030-01-02',
      depends.length ? `depends_on:\n  - ${depends[0]}` : 'depends_on: []', 'era: v3', '---', '', `## Overview`, '', `${title}.`, ''].join('\n');
    writeFileSync(path.join(workOrdersDir, `${id}.md`), text);
    if (next() < 0.85) {
      siblings.push({id, title});
      mapped++;
    }
  }
  // The seed's track table, with a mapping for this project.
  const seed = readFileSync(seedFile, 'utf8');
  const head = seed.slice(0, seed.indexOf('## Assignment Mapping'));
  const mapping = ['## Assignment Mapping', ''];
  for (const [track, entries] of byTrack) {
    if (!entries.length) continue;
    mapping.push(`### ${track}`, ...entries.map((entry) => `- ${entry.id}: ${entry.title}`), '');
  }
  const specFile = path.join(dir, 'spec.md');
  writeFileSync(specFile, `${head}${mapping.join('\n')}\n`);
  return {dir, workOrdersDir, specFile, count, mapped};
}
