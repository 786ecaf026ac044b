import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** The package's assets/ folder, from the bundle in dist/ or from the sources in src/. */
export function assetPath(...parts: string[]): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const candidate = path.join(dir, 'assets');
    if (existsSync(path.join(candidate, 'work_orders'))) return path.join(candidate, ...parts);
    dir = path.dirname(dir);
  }
  throw new Error('The package has no assets/ folder; reinstall pcc-track-wizard.');
}

export const DEFAULT_SPEC_FILE = 'WO-2026-115-track-assignment-pcc.md';
