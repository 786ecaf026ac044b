import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {mappingDecisions} from '../plan/mapping-decisions.js';
import type {Plan} from '../plan/plan-types.js';
import {writeMapping, type MappingDecision} from '../spec/spec-writer.js';

export type SpecRecord = {file: string; moved: MappingDecision[]; copy: boolean};

/**
 * Writes the reviewed mapping into the spec, so "no track" and every other decision lasts across
 * runs and is reviewable before merge: into the spec file itself when it is the user's own file,
 * else into a copy beside the plan. Nothing is written when review decided nothing new.
 */
export function recordDecisions(plan: Plan, spec: {text: string; file: string | null}, copyFile: string): SpecRecord | null {
  const {text, moved} = writeMapping(spec.text, mappingDecisions(plan));
  if (!moved.length) return null;
  const file = spec.file ?? copyFile;
  mkdirSync(path.dirname(path.resolve(file)), {recursive: true});
  writeFileSync(file, text);
  return {file, moved, copy: spec.file === null};
}
