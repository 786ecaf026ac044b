import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseTrackSpec, type TrackSpec} from '../../src/spec/spec-parser.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SAMPLE_WORK_ORDERS = path.join(ROOT, 'assets/work_orders');
export const SEED_SPEC_FILE = path.join(ROOT, 'assets/WO-2026-115-track-assignment-pcc.md');
export const CLI = path.join(ROOT, 'dist/cli.js');

export function seedSpec(): TrackSpec {
  return parseTrackSpec(readFileSync(SEED_SPEC_FILE, 'utf8'), SEED_SPEC_FILE);
}

const made: string[] = [];

export function tempDir(prefix = 'pcc-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true});
}

/** A writable copy of the sample work_orders folder. */
export function copySampleWorkOrders(): string {
  const dir = path.join(tempDir(), 'work_orders');
  cpSync(SAMPLE_WORK_ORDERS, dir, {recursive: true});
  return dir;
}

/** Writes files into a fresh work_orders folder: name → content. */
export function writeWorkOrders(files: Record<string, string | Buffer>): string {
  const dir = path.join(tempDir(), 'work_orders');
  mkdirSync(dir, {recursive: true});
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

export function workOrderFile(id: string, fields: Record<string, string> = {}): string {
  const lines = ['---', `id: ${id}`, `title: Title of ${id}`, 'status: ready', 'tags:', '  - alpha'];
  for (const [key, value] of Object.entries(fields)) lines.push(`${key}: ${value}`);
  lines.push('---', '', 'Body.', '');
  return lines.join('\n');
}
