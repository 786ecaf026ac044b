import {readFileSync} from 'node:fs';
import type {Plan} from './plan-types.js';

export class PlanFileError extends Error {}

export function serializePlan(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** Reads a saved plan, refusing anything that is not one this version can apply. */
export function parsePlan(text: string, file: string): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(`${file} is not valid JSON (${(error as Error).message}); pass a plan saved with --plan-out or the confirm screen's "s".`);
  }
  const plan = data as Partial<Plan>;
  if (plan?.format !== 'pcc-track-wizard/plan') {
    throw new PlanFileError(`${file} is not a pcc-track-wizard plan; pass a plan saved with --plan-out or the confirm screen's "s".`);
  }
  if (plan.version !== 1) {
    throw new PlanFileError(`${file} is a plan of format version ${String(plan.version)}, which this version cannot apply; make a new plan.`);
  }
  if (!Array.isArray(plan.items) || !Array.isArray(plan.tracks) || typeof plan.fingerprint !== 'string' || typeof plan.project !== 'string') {
    throw new PlanFileError(`${file} is missing parts of a plan (items, tracks, fingerprint or project); make a new plan.`);
  }
  return plan as Plan;
}

export function readPlanFile(file: string): Plan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PlanFileError(code === 'ENOENT' ? `The plan file ${file} does not exist; check the path passed to --apply.` : `The plan file ${file} cannot be read (${code}).`);
  }
  return parsePlan(text, file);
}
