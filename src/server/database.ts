import {createRequire} from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

export type TrackRow = {
  id: string;
  project_id: string;
  name: string;
  description: string | null;
  goal: string | null;
  color: string | null;
  icon: string | null;
  sort_order: number;
  created_at: string;
  updated_at: string;
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS projects (
  id TEXT PRIMARY KEY,
  path TEXT,
  name TEXT
);
CREATE TABLE IF NOT EXISTS tracks (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  goal TEXT,
  color TEXT,
  icon TEXT,
  sort_order INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tracks_project ON tracks(project_id);
CREATE TABLE IF NOT EXISTS work_orders (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  track_id TEXT REFERENCES tracks(id) ON DELETE SET NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX IF NOT EXISTS work_orders_track ON work_orders(track_id);
`;

export class SqliteMissingError extends Error {}

function loadDriver(): typeof BetterSqlite3 {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  } catch {
    throw new SqliteMissingError('The built-in server needs the better-sqlite3 package, which is not installed or did not build here; run npm install in the project (it needs a C++ toolchain when no prebuilt binary fits).');
  }
}

/** PCC-shaped storage: tracks, and each work order's track_id (cleared when its track goes). */
export function openDatabase(file: string) {
  const Database = loadDriver();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  const statements = {
    listTracks: db.prepare<[string], TrackRow>('SELECT * FROM tracks WHERE project_id = ? ORDER BY sort_order, name'),
    getTrack: db.prepare<[string, string], TrackRow>('SELECT * FROM tracks WHERE project_id = ? AND id = ?'),
    maxSort: db.prepare<[string], {max: number | null}>('SELECT MAX(sort_order) AS max FROM tracks WHERE project_id = ?'),
    insertTrack: db.prepare('INSERT INTO tracks (id, project_id, name, description, goal, color, icon, sort_order, created_at, updated_at) VALUES (@id, @project_id, @name, @description, @goal, @color, @icon, @sort_order, @created_at, @updated_at)'),
    deleteTrack: db.prepare<[string, string]>('DELETE FROM tracks WHERE project_id = ? AND id = ?'),
    assignments: db.prepare<[string], {id: string; track_id: string | null}>('SELECT id, track_id FROM work_orders WHERE project_id = ?'),
    assign: db.prepare<[string, string, string | null]>('INSERT INTO work_orders (project_id, id, track_id) VALUES (?, ?, ?) ON CONFLICT(project_id, id) DO UPDATE SET track_id = excluded.track_id'),
    // As PCC: every listed WO gets a row, and its track_id is left alone.
    touch: db.prepare<[string, string]>('INSERT INTO work_orders (project_id, id) VALUES (?, ?) ON CONFLICT(project_id, id) DO NOTHING'),
    project: db.prepare<[string, string, string]>('INSERT INTO projects (id, path, name) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET path = excluded.path, name = excluded.name'),
  };
  const touched = new Set<string>();
  const touchAll = db.transaction((project: string, ids: readonly string[]) => {
    for (const id of ids) statements.touch.run(project, id);
  });
  return {
    listTracks: (project: string) => statements.listTracks.all(project),
    getTrack: (project: string, id: string) => statements.getTrack.get(project, id),
    nextSortOrder: (project: string) => (statements.maxSort.get(project)?.max ?? 0) + 1,
    insertTrack: (row: TrackRow) => void statements.insertTrack.run(row),
    updateTrack(project: string, id: string, changes: Partial<TrackRow>) {
      const keys = Object.keys(changes) as (keyof TrackRow)[];
      const set = keys.map((key) => `${key} = @${key}`).join(', ');
      db.prepare(`UPDATE tracks SET ${set} WHERE project_id = @project_id AND id = @id`).run({...changes, project_id: project, id});
    },
    deleteTrack: (project: string, id: string) => statements.deleteTrack.run(project, id).changes > 0,
    assignments(project: string): Map<string, string | null> {
      return new Map(statements.assignments.all(project).map((row) => [row.id, row.track_id]));
    },
    assign: (project: string, workOrderId: string, trackId: string | null) => void statements.assign.run(project, workOrderId, trackId),
    saveProject: (id: string, path: string, name: string) => void statements.project.run(id, path, name),
    /** Rows for listed WOs that have none yet (once per id per process). */
    touchWorkOrders(project: string, ids: readonly string[]) {
      const fresh = ids.filter((id) => !touched.has(`${project}\n${id}`));
      if (!fresh.length) return;
      touchAll(project, fresh);
      for (const id of fresh) touched.add(`${project}\n${id}`);
    },
    close: () => db.close(),
  };
}

export type PccDatabase = ReturnType<typeof openDatabase>;
