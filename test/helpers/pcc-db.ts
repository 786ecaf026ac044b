import {createRequire} from 'node:module';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import {tempDir} from './fixtures.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;

// Our own DDL for the two shapes of PCC's database seen in the wild (same tables, columns, keys
// and cascades as PCC-API.md describes), for tests of applying into PCC's file.
const OLDER = `
CREATE TABLE projects (id TEXT PRIMARY KEY, path TEXT NOT NULL, name TEXT NOT NULL, description TEXT, created_at TEXT, updated_at TEXT);
CREATE TABLE tracks (
  id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT, goal TEXT, color TEXT, icon TEXT,
  sort_order INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE work_orders (
  id TEXT NOT NULL, project_id TEXT NOT NULL, title TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'backlog', priority INTEGER DEFAULT 3,
  tags TEXT DEFAULT '[]', base_branch TEXT, track_id TEXT REFERENCES tracks(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (project_id, id)
);`;

const NEWER = `${OLDER.replace('created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n);', "created_at TEXT NOT NULL, updated_at TEXT NOT NULL,\n  status TEXT NOT NULL DEFAULT 'active', parent_track_id TEXT REFERENCES tracks(id) ON DELETE SET NULL\n);")}
CREATE TABLE wo_tracks (
  project_id TEXT NOT NULL, wo_id TEXT NOT NULL, track_id TEXT NOT NULL REFERENCES tracks(id) ON DELETE CASCADE, created_at TEXT NOT NULL,
  PRIMARY KEY (project_id, wo_id, track_id),
  FOREIGN KEY (project_id, wo_id) REFERENCES work_orders(project_id, id) ON DELETE CASCADE
);`;

export type Shape = 'older' | 'newer';

export const PROJECT = 'project-control-center';

/** A PCC database file of the given shape, with the project and a row per WO id (as PCC's GETs leave them). */
export function makePccDatabase(shape: Shape, workOrderIds: readonly string[], projectPath = '/nowhere'): string {
  const file = path.join(tempDir('pcc-db-'), 'control-center.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(shape === 'older' ? OLDER : NEWER);
  db.prepare('INSERT INTO projects (id, path, name) VALUES (?, ?, ?)').run(PROJECT, projectPath, 'Project Control Center');
  const insert = db.prepare('INSERT INTO work_orders (id, project_id, title, status) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const id of workOrderIds) insert.run(id, PROJECT, `Title of ${id}`, 'ready');
  })();
  db.close();
  return file;
}

export function openDb(file: string): BetterSqlite3.Database {
  const db = new Database(file, {timeout: 5000});
  db.pragma('foreign_keys = ON');
  return db;
}

/** Adds a track as PCC would; returns its id. */
export function addTrack(file: string, name: string, extra: {status?: string} = {}): string {
  const db = openDb(file);
  const id = `t-${name.toLowerCase().replace(/\W+/g, '-')}-${Math.random().toString(16).slice(2, 8)}`;
  const now = new Date().toISOString();
  const hasStatus = (db.prepare('PRAGMA table_info(tracks)').all() as {name: string}[]).some((column) => column.name === 'status');
  if (hasStatus) db.prepare('INSERT INTO tracks (id, project_id, name, sort_order, created_at, updated_at, status) VALUES (?, ?, ?, 0, ?, ?, ?)').run(id, PROJECT, name, now, now, extra.status ?? 'active');
  else db.prepare('INSERT INTO tracks (id, project_id, name, sort_order, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)').run(id, PROJECT, name, now, now);
  db.close();
  return id;
}

/** Puts a WO on tracks as PCC does: link rows (newer shape) and track_id set to the first. */
export function placeWorkOrder(file: string, woId: string, trackIds: string[]): void {
  const db = openDb(file);
  const newer = Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'wo_tracks'").get());
  db.transaction(() => {
    if (newer) {
      db.prepare('DELETE FROM wo_tracks WHERE project_id = ? AND wo_id = ?').run(PROJECT, woId);
      trackIds.forEach((id, index) => db.prepare('INSERT INTO wo_tracks (project_id, wo_id, track_id, created_at) VALUES (?, ?, ?, ?)').run(PROJECT, woId, id, new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString()));
    }
    db.prepare('UPDATE work_orders SET track_id = ? WHERE project_id = ? AND id = ?').run(trackIds[0] ?? null, PROJECT, woId);
  })();
  db.close();
}

/** WO id → its tracks (by name), as PCC reads them: wo_tracks first, else track_id. */
export function placements(file: string): Map<string, string[]> {
  const db = openDb(file);
  const names = new Map((db.prepare('SELECT id, name FROM tracks').all() as {id: string; name: string}[]).map((row) => [row.id, row.name]));
  const newer = Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'wo_tracks'").get());
  const result = new Map<string, string[]>();
  for (const row of db.prepare('SELECT id, track_id FROM work_orders WHERE project_id = ? ORDER BY id').all(PROJECT) as {id: string; track_id: string | null}[]) {
    const links = newer ? (db.prepare('SELECT track_id FROM wo_tracks WHERE project_id = ? AND wo_id = ? ORDER BY created_at').pluck().all(PROJECT, row.id) as string[]) : [];
    const ids = links.length ? links : row.track_id ? [row.track_id] : [];
    result.set(row.id, ids.map((id) => names.get(id) ?? `?${id}`).sort());
  }
  db.close();
  return result;
}

export function trackNames(file: string): string[] {
  const db = openDb(file);
  const names = db.prepare('SELECT name FROM tracks ORDER BY name').pluck().all() as string[];
  db.close();
  return names;
}
