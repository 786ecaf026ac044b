import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Plan} from '../plan/plan-types.js';
import {renderMarkdown, type Report} from '../report/report.js';

/** Files that belong to one plan file: plan.json → plan.journal.jsonl, plan.undo.json, … */
export function siblingsOf(planFile: string) {
  const stem = planFile.replace(/\.json$/i, '');
  return {
    journal: `${stem}.journal.jsonl`,
    undo: `${stem}.undo.json`,
    reportMd: `${stem}.report.md`,
    reportJson: `${stem}.report.json`,
  };
}

export function writeReportFiles(markdownFile: string, plan: Plan, report: Report): {markdown: string; json: string} {
  mkdirSync(path.dirname(path.resolve(markdownFile)), {recursive: true});
  const jsonFile = markdownFile.replace(/\.md$/i, '') + '.json';
  writeFileSync(markdownFile, renderMarkdown(report, plan));
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  return {markdown: markdownFile, json: jsonFile};
}
