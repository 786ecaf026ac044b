import path from 'node:path';
import {sanitizeText} from './sanitize.js';
import type {LoadProblem, WorkOrder} from './work-order.js';

/** A WO file in the folder that PCC does not list, with where and why, and the fix. */
export type InvisibleFile = {file: string; id: string; line: number | null; reason: string};

/**
 * Compares the work_orders folder with what PCC lists. PCC silently leaves out a file whose front
 * matter is missing, never closed, not a mapping or not valid YAML; the loader recovered such
 * files and reported why, so each one is named with that reason.
 */
export function findInvisible(folder: {workOrders: readonly WorkOrder[]; problems: readonly LoadProblem[]}, listedIds: ReadonlySet<string>): InvisibleFile[] {
  const invisible: InvisibleFile[] = [];
  const errorByFile = new Map<string, LoadProblem>();
  for (const problem of folder.problems) if (problem.level === 'error' && !errorByFile.has(problem.file)) errorByFile.set(problem.file, problem);
  for (const wo of folder.workOrders) {
    if (listedIds.has(wo.id)) continue;
    const problem = errorByFile.get(path.basename(wo.source));
    invisible.push({
      file: path.resolve(wo.source),
      id: wo.id,
      line: problem?.line ?? null,
      // The loader's note that it recovered the fields is about planning, not about PCC.
      reason: problem ? sanitizeText(problem.message.replace(/\. Fields were recovered line by line$/, '').replace(/\. Planned from its file name$/, '')) + '.' : 'the server does not list it (is this the folder the server reads?).',
    });
  }
  return invisible;
}

export function formatInvisible(entry: InvisibleFile): string {
  return `${sanitizeText(entry.file)}${entry.line ? `:${entry.line}` : ''}: ${entry.reason}`;
}
